"""Which declared users' idle seats to take back, and which to leave, and why.

A seat is idle when its last activity is at least ``idle_days`` days old, or when GitHub has
no activity on record and the seat is at least ``idle_days`` days old (null means "never
used" or "idle over 90 days"; a seat granted last week has not had its chance yet). Only
an entry of ``seats.users`` can be removed; everything else idle is reported with the
reason it is not edited: ``exempt``, ``keep``, a time-boxed entry, a seat that a declared
team grants, an org in additive mode (removing the entry would cancel nothing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from reconciler.model import DesiredState, LiveOrg, LiveSeat, OrgConfig, Source, key
from reconciler.plan.pricing import seat_price
from reconciler.report.seats import days_idle

Action = Literal["remove", "report", "skip"]


@dataclass(frozen=True)
class Candidate:
    """An idle seat of a configured org and what reclaim does with it."""

    org: str
    login: str
    days_idle: int | None
    last_activity_at: datetime | None
    action: Action
    reason: str
    source: Source | None = None


@dataclass(frozen=True)
class ReclaimPlan:
    """Every idle seat of the configuration's orgs; ``remove`` ones are edited by --write."""

    idle_days: int
    candidates: tuple[Candidate, ...]
    monthly_saving: float

    @property
    def removals(self) -> tuple[Candidate, ...]:
        return tuple(c for c in self.candidates if c.action == "remove")


def is_idle(seat: LiveSeat, today: date, idle_days: int) -> bool:
    """Idle for ``idle_days`` days or more (see the module docstring)."""
    idle = days_idle(seat, today)
    if idle is None:
        return seat.created_at.date() <= today - timedelta(days=idle_days)
    return idle >= idle_days


def select_reclaim(
    desired: DesiredState,
    live: Mapping[str, LiveOrg],
    *,
    today: date,
    idle_days: int,
    prices: Mapping[str, float] | None = None,
) -> ReclaimPlan:
    """The idle seats of every org of ``desired`` whose seats are managed, in org and login
    order. ``live`` is keyed by :func:`key` of the org name and read as for a plan (seats,
    billing, and the members of every declared team)."""
    found: list[Candidate] = []
    saving = 0.0
    for org_key in sorted(desired.orgs):
        config, org = desired.orgs[org_key], live.get(org_key)
        if config.seats is None or org is None:
            continue
        price = seat_price(org.settings.get("plan_type"), prices)
        teams = _teams_of(org)
        for seat in sorted(org.seats.values(), key=lambda s: key(s.login)):
            if not seat.active or not is_idle(seat, today, idle_days):
                continue
            action, reason, source = _decide(config, seat, teams.get(key(seat.login), ()), today)
            found.append(
                Candidate(
                    config.org,
                    seat.login,
                    days_idle(seat, today),
                    seat.last_activity_at,
                    action,
                    reason,
                    source,
                )
            )
            saving += price if action == "remove" else 0.0
    return ReclaimPlan(idle_days, tuple(found), round(saving, 2))


def _teams_of(org: LiveOrg) -> dict[str, tuple[str, ...]]:
    """login key -> the teams (read by the reader) the login is a member of, sorted."""
    teams: dict[str, list[str]] = {}
    for slug, members in sorted(org.team_members.items()):
        for member in members:
            teams.setdefault(key(member), []).append(org.team_names.get(slug, slug))
    return {login: tuple(names) for login, names in teams.items()}


def _decide(
    config: OrgConfig, seat: LiveSeat, member_of: Sequence[str], today: date
) -> tuple[Action, str, Source | None]:
    policy = config.seats
    assert policy is not None
    me = key(seat.login)
    for listed in policy.exempt:
        if key(listed.login) == me:
            return "skip", f"exempt at {listed.source}", None
    for listed in policy.keep:
        if key(listed.login) == me:
            return "skip", f"kept by keep: at {listed.source} (never cancelled)", None
    # The seat's team, else any declared team the user is a member of: either keeps (or, once
    # the planner selects it, gives) the seat whatever seats.users says.
    mine = {key(t) for t in (seat.assigning_team, *member_of) if t}
    declared_team = next((t for t in policy.teams if key(t.slug) in mine), None)
    user = next((u for u in policy.users if key(u.login) == me), None)
    if user is None:
        if declared_team is not None:
            return (
                "report",
                f"seated through team {declared_team.slug} (declared at {declared_team.source}):"
                " remove them from the team, or the team from seats.teams",
                None,
            )
        if policy.mode == "additive":
            return "skip", "not declared, and additive mode keeps it: nothing to edit", None
        return "skip", "not declared: the next plan cancels it already (exact mode)", None
    if user.expires is not None:
        state = "expired on" if user.expires < today else "time-boxed until"
        return "skip", f"{state} {user.expires} at {user.source}: left to its expiry", None
    if policy.mode == "additive":
        return (
            "report",
            f"declared at {user.source}, but seats.mode is additive: removing the entry would "
            "not cancel the seat",
            None,
        )
    if declared_team is not None:
        return (
            "report",
            f"declared at {user.source} and also seated through team {declared_team.slug}: "
            "removing the entry alone would not free the seat",
            None,
        )
    return "remove", f"declared at {user.source}", user.source
