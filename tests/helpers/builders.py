"""Small builders of desired and live states for planner tests.

Every builder takes plain names and fills the rest with fixed values, so that a test states
only what it is about.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime

from reconciler.model import (
    DeclaredTeam,
    DeclaredUser,
    DesiredState,
    ExclusionRule,
    LiveOrg,
    LiveSeat,
    LiveState,
    OrgConfig,
    SafetyPolicy,
    SeatMode,
    SeatPolicy,
    SettingAssertion,
    Source,
    key,
)
from reconciler.simulator.world import DEFAULT_SETTINGS

ORG = "octo-org"
FILE = "org.yaml"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
CREATED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
NEXT_CYCLE = date(2026, 12, 1)
# A live org's settings as GitHub reports them by default (the simulator's defaults).
SETTINGS = dict(DEFAULT_SETTINGS)


def src(line: int = 1, column: int = 1, file: str = FILE) -> Source:
    return Source(file, line, column)


def user(
    login: str, line: int = 1, *, expires: date | None = None, reason: str | None = None
) -> DeclaredUser:
    return DeclaredUser(login, src(line, 7), expires=expires, reason=reason)


def team(slug: str, line: int = 1) -> DeclaredTeam:
    return DeclaredTeam(slug, src(line, 11))


def users(*logins: str) -> tuple[DeclaredUser, ...]:
    """Declared users on consecutive lines from 10 on."""
    return tuple(user(login, 10 + i) for i, login in enumerate(logins))


def seats(
    *,
    users: Iterable[DeclaredUser | str] = (),
    teams: Iterable[DeclaredTeam | str] = (),
    keep: Iterable[DeclaredUser | str] = (),
    mode: SeatMode = "exact",
) -> SeatPolicy:
    def as_user(item: DeclaredUser | str, line: int) -> DeclaredUser:
        return item if isinstance(item, DeclaredUser) else user(item, line)

    return SeatPolicy(
        mode=mode,
        users=tuple(as_user(u, 10 + i) for i, u in enumerate(users)),
        teams=tuple(t if isinstance(t, DeclaredTeam) else team(t, 5) for t in teams),
        keep=tuple(as_user(u, 40 + i) for i, u in enumerate(keep)),
        source=src(4, 1),
    )


def org_config(
    org: str = ORG,
    *,
    seat_policy: SeatPolicy | None = None,
    exclusion: Mapping[str, Iterable[str]] | None = None,
    settings: Mapping[str, str] | None = None,
    safety: SafetyPolicy | None = None,
) -> OrgConfig:
    rules = None
    if exclusion is not None:
        rules = tuple(
            ExclusionRule(repo, tuple(patterns), src(60 + i, 3))
            for i, (repo, patterns) in enumerate(exclusion.items())
        )
    asserted = None
    if settings is not None:
        asserted = tuple(
            SettingAssertion(name, value, src(2 + i, 3))
            for i, (name, value) in enumerate(settings.items())
        )
    return OrgConfig(
        org=org,
        sources=(src(),),
        settings=asserted,
        seats=seat_policy,
        content_exclusion=rules,
        safety=safety,
    )


def desired(*configs: OrgConfig) -> DesiredState:
    return DesiredState({key(config.org): config for config in configs})


def seat(login: str, team: str | None = None, *, pending: bool = False) -> LiveSeat:
    return LiveSeat(
        login=login,
        created_at=CREATED,
        assigning_team=team,
        pending_cancellation_date=NEXT_CYCLE if pending else None,
        last_activity_at=None,
    )


def live_org(
    org: str = ORG,
    *,
    seat_list: Iterable[LiveSeat] = (),
    teams: Mapping[str, Iterable[str]] | None = None,
    non_members: Iterable[str] = (),
    exclusion: Mapping[str, Iterable[str]] | None = None,
    settings: Mapping[str, str] | None = None,
    total: int | None = None,
) -> LiveOrg:
    listed = {key(s.login): s for s in seat_list}
    return LiveOrg(
        org=org,
        settings=dict(SETTINGS if settings is None else settings),
        seat_breakdown={"total": len(listed) if total is None else total},
        seats=listed,
        team_members={
            key(slug): frozenset(key(m) for m in members) for slug, members in (teams or {}).items()
        },
        team_names={key(slug): slug for slug in (teams or {})},
        non_members=frozenset(key(login) for login in non_members),
        content_exclusion=(
            None
            if exclusion is None
            else {repo: tuple(patterns) for repo, patterns in exclusion.items()}
        ),
    )


def live(*orgs: LiveOrg) -> LiveState:
    return LiveState({key(org.org): org for org in orgs}, read_at=NOW)
