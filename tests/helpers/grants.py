"""A tiny pure model of Copilot grants, to check the planner's effects without the simulator.

It follows the API semantics: a member holds an active seat while at least one grant exists
(a direct selection, or membership of a selected team); a seat whose last grant goes stays
listed as pending; a seat shows the alphabetically first selected team that grants it.
:func:`observe` is what a reader would see (members of declared and shown teams only), and
:func:`apply_effects` plays a plan's changes the way GitHub would, refusing what GitHub
refuses (422).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from reconciler.model import DesiredState, LiveOrg, LiveSeat, LiveState, key
from reconciler.plan import Plan
from reconciler.simulator.world import DEFAULT_SETTINGS

ORG = "grant-org"
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
NEXT_CYCLE = date(2026, 12, 1)


class Refused(AssertionError):
    """GitHub would answer 422 to this change."""


@dataclass(frozen=True)
class Grants:
    """One org's members, teams, selections and seat records (all keys lower case)."""

    members: frozenset[str]
    teams: Mapping[str, frozenset[str]]
    selected_teams: frozenset[str] = frozenset()
    selected_users: frozenset[str] = frozenset()
    records: frozenset[str] = frozenset()  # logins with a seat row (active or pending)
    exclusion: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def grants(self, login: str) -> int:
        direct = login in self.selected_users
        return direct + sum(login in self.teams[t] for t in self.selected_teams)

    def active(self) -> frozenset[str]:
        return frozenset(login for login in self.members if self.grants(login))

    def shown_team(self, login: str) -> str | None:
        granting = sorted(t for t in self.selected_teams if login in self.teams[t])
        return granting[0] if granting else None

    def with_records(self) -> Grants:
        """Every granted member has a seat row."""
        return replace(self, records=self.records | self.active())


def observe(world: Grants, desired: DesiredState) -> LiveState:
    """What the reader would return for ``world`` and ``desired`` (one org)."""
    world = world.with_records()
    active = world.active()
    seats = {
        login: LiveSeat(
            login=login,
            created_at=CREATED,
            assigning_team=world.shown_team(login) if login in active else None,
            pending_cancellation_date=None if login in active else NEXT_CYCLE,
        )
        for login in sorted(world.records)
    }
    config = desired.org(ORG)
    policy = config.seats if config is not None else None
    declared_teams = {key(t.slug) for t in policy.teams} if policy else set()
    needed = declared_teams | {s.assigning_team for s in seats.values() if s.assigning_team}
    declared_users = {key(u.login) for u in (policy.users if policy else ())}
    org = LiveOrg(
        org=ORG,
        settings=dict(DEFAULT_SETTINGS),
        seat_breakdown={"total": len(seats)},
        seats=seats,
        team_members={t: world.teams[t] for t in sorted(needed) if t in world.teams},
        team_names={t: t for t in sorted(needed) if t in world.teams},
        non_members=frozenset(declared_users - world.members),
        content_exclusion=dict(world.exclusion),
    )
    return LiveState({ORG: org}, read_at=CREATED)


def apply_effects(world: Grants, plan: Plan) -> Grants:
    """``world`` after GitHub ran ``plan``'s changes in order."""
    world = world.with_records()
    for change in plan.changes:
        users = frozenset(key(u) for u in change.users)
        teams = frozenset(key(t) for t in change.teams)
        if change.action == "add_teams":
            if teams - world.teams.keys():
                raise Refused(f"unknown teams {sorted(teams - world.teams.keys())}")
            world = replace(world, selected_teams=world.selected_teams | teams)
        elif change.action == "add_users":
            if users - world.members:
                raise Refused(f"not members: {sorted(users - world.members)}")
            world = replace(world, selected_users=world.selected_users | users)
        elif change.action == "remove_teams":
            world = replace(world, selected_teams=world.selected_teams - teams)
        elif change.action == "remove_users":
            team_only = {u for u in users if u not in world.selected_users and world.grants(u)}
            if team_only:
                raise Refused(f"seats that come only from teams: {sorted(team_only)}")
            world = replace(world, selected_users=world.selected_users - users)
        else:
            world = replace(world, exclusion=dict(change.after or {}))
        world = world.with_records()
    return world
