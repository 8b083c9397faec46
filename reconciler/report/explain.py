"""Why one user has a Copilot seat, or why not, and what the next ``apply`` does about it.

The seat comes from the per-user seat operation (one request); the configuration says which
rules grant it. Team memberships are read only when no cheaper rule answers: a declared
user, a ``keep`` entry or a declared team shown as the seat's ``assigning_team`` needs no
read. The verdict follows the planner's rules (reconciler/planning/seats.py) for one login.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

from reconciler.model import LiveSeat, OrgConfig, SeatPolicy, key

TeamMembers = Callable[[str], Collection[str]]
IsMember = Callable[[], bool]


@dataclass(frozen=True)
class Explanation:
    """What is known about one user's seat and why."""

    org: str
    login: str
    seat: LiveSeat | None
    grants: tuple[str, ...]
    verdict: str
    notes: tuple[str, ...] = ()


def explain_seat(
    org: str,
    login: str,
    seat: LiveSeat | None,
    config: OrgConfig | None,
    *,
    today: date,
    team_members: TeamMembers,
    is_member: IsMember,
) -> Explanation:
    """Explain ``login``'s seat in ``org`` under ``config`` (``None``: no configuration).

    ``team_members(slug)`` and ``is_member()`` read the API; they are called only when the
    explanation needs them, at most once per declared team and once for membership.
    """
    if config is None:
        return Explanation(org, login, seat, (), _no_config(seat))
    policy = config.seats
    if policy is None:
        return Explanation(
            org,
            login,
            seat,
            (),
            f"this configuration does not manage the seats of {config.org} (no seats section): "
            "apply changes nothing",
        )
    grants, notes, kept = _grants(login, seat, policy, today, team_members)
    verdict = _verdict(login, seat, policy, grants, kept, is_member)
    return Explanation(org, login, seat, tuple(grants), verdict, tuple(notes))


def _grants(
    login: str, seat: LiveSeat | None, policy: SeatPolicy, today: date, team_members: TeamMembers
) -> tuple[list[str], list[str], bool]:
    """The rules that want the seat, notes, and whether ``keep`` lists the login."""
    me = key(login)
    grants: list[str] = []
    notes: list[str] = []
    for user in policy.users:
        if key(user.login) != me:
            continue
        boxed = f" until {user.expires}" if user.expires else ""
        why = f" ({user.reason})" if user.reason else ""
        if user.expires and user.expires < today:
            notes.append(
                f"declared in {user.source} but expired on {user.expires}{why}: counts as "
                "undeclared"
            )
        else:
            grants.append(f"declared in {user.source} (seats.users{boxed}){why}")
    kept = any(key(user.login) == me for user in policy.keep)
    grants += [f"kept by keep: at {u.source}" for u in policy.keep if key(u.login) == me]
    shown = key(seat.assigning_team) if seat and seat.active and seat.assigning_team else None
    teams = {key(team.slug): team for team in policy.teams}
    if shown in teams:
        team = teams[shown]
        grants.append(f"via team {team.slug} (declared at {team.source}; the seat shows it)")
    elif not grants:
        # Only when nothing cheaper answered: one member list per declared team, in order.
        for team in teams.values():
            if me in {key(m) for m in team_members(team.slug)}:
                grants.append(f"via team {team.slug} (declared at {team.source}; a member)")
                break
    notes += [f"exempt from reclaim at {u.source}" for u in policy.exempt if key(u.login) == me]
    return grants, notes, kept


def _verdict(
    login: str,
    seat: LiveSeat | None,
    policy: SeatPolicy,
    grants: list[str],
    kept: bool,
    is_member: IsMember,
) -> str:
    wanted = [g for g in grants if not g.startswith("kept by")]
    if seat is not None and seat.active:
        if grants:
            return "the next apply keeps the seat"
        if policy.mode == "additive":
            return "not declared, but seats.mode is additive: the next apply never cancels"
        if seat.assigning_team:
            return (
                f"not declared in users, teams or keep: the next apply would cancel it by "
                f"unselecting team {seat.assigning_team}, which grants it and is not declared "
                "(with every other seat that team alone grants)"
            )
        return (
            "not declared in users, teams or keep: the next apply would cancel it (remove the "
            "direct grant); it stays billed until the end of the month"
        )
    if seat is not None:  # pending cancellation
        ends = seat.pending_cancellation_date
        if wanted:
            return f"pending cancellation on {ends}, but declared: the next apply reactivates it"
        if kept:
            return (
                f"pending cancellation on {ends}; keep protects a seat from cancellation but "
                "does not ask for one, so the next apply leaves it to lapse"
            )
        return f"pending cancellation on {ends} and not declared: the next apply leaves it"
    if not wanted:
        return f"{login} has no seat and none is declared: the next apply does nothing"
    if not is_member():
        return (
            f"{login} has no seat and is declared, but is not a member of the organization: "
            "GitHub cannot grant a seat until they join"
        )
    return f"{login} has no seat and is declared: the next apply grants one"


def _no_config(seat: LiveSeat | None) -> str:
    if seat is None:
        return "no seat; pass the configuration (PATH) to see whether one is declared"
    how = f"team {seat.assigning_team}" if seat.assigning_team else "a direct grant"
    return (
        f"the seat comes from {how} (as GitHub reports it); pass the configuration (PATH) "
        "to see which rule declares it"
    )
