"""Telling our own changes from another writer's.

No lock guards an org (GitHub's API offers none), so two applies, or an apply and a person
in the GitHub UI, can change one org at once; ``docs/product.md`` says to run one apply per
org at a time (one CI concurrency group per org). When an apply does not converge, this
module compares the live state before the apply with the one read after it, against the
changes the apply made: what changed that none of them touched was done by someone else, and
apply says so plainly instead of printing a bare list of differences.
"""

from __future__ import annotations

from collections.abc import Iterable

from reconciler.model import LiveOrg, LiveSeat, LiveState, key
from reconciler.plan import Change
from reconciler.plan.exclusion import normalize

#: Changes named before "and N more".
SHOWN = 5


def unexplained_changes(
    before: LiveState, after: LiveState, executed: Iterable[Change]
) -> list[str]:
    """One phrase per change between ``before`` and ``after`` that ``executed`` (every change
    the apply ran, follow-up rounds included) does not explain; at most :data:`SHOWN`."""
    changes = list(executed)
    found: list[str] = []
    for org_key in sorted(before.orgs.keys() & after.orgs.keys()):
        mine = [change for change in changes if key(change.org) == org_key]
        found += _org_changes(before.orgs[org_key], after.orgs[org_key], mine)
    if len(found) > SHOWN:
        return [*found[:SHOWN], f"and {len(found) - SHOWN} more"]
    return found


def _org_changes(before: LiveOrg, after: LiveOrg, mine: list[Change]) -> list[str]:
    org = after.org
    teams = {key(team) for change in mine for team in change.teams}
    touched = {key(login) for change in mine for login in (*change.users, *change.cancelled_logins)}
    for team in teams:  # a team's grants reach its members as seen before and after
        touched |= before.team_members.get(team, frozenset()) | after.team_members.get(
            team, frozenset()
        )
    found = []
    for login in sorted(before.seats.keys() | after.seats.keys()):
        was, now = before.seats.get(login), after.seats.get(login)
        seat = now or was
        if seat is None or login in touched or _seat_facts(was) == _seat_facts(now):
            continue
        if was is not None and now is not None and key(was.assigning_team or "") in teams:
            continue  # its team was (un)selected: the seat now shows its next grant
        found.append(f"{org}: the seat of {seat.login} {_how(was, now)}")
    for team in sorted(before.team_members.keys() & after.team_members.keys()):
        if before.team_members[team] != after.team_members[team]:
            found.append(f"{org}: the members of team {after.team_names.get(team, team)} changed")
    for name in sorted(before.settings.keys() | after.settings.keys()):
        if before.settings.get(name) != after.settings.get(name):
            found.append(
                f"{org}: setting {name} changed from {before.settings.get(name)} to "
                f"{after.settings.get(name)}"
            )
    found += _exclusion_changes(before, after, mine)
    return found


def _exclusion_changes(before: LiveOrg, after: LiveOrg, mine: list[Change]) -> list[str]:
    if before.content_exclusion is None or after.content_exclusion is None:
        return []
    puts = [change.after for change in mine if change.action == "set_content_exclusion"]
    expected = puts[-1] if puts else before.content_exclusion
    if expected is not None and normalize(expected) != normalize(after.content_exclusion):
        return [f"{after.org}: the content-exclusion rules changed"]
    return []


def _seat_facts(seat: LiveSeat | None) -> tuple[bool, str | None] | None:
    if seat is None:
        return None
    return seat.active, key(seat.assigning_team) if seat.assigning_team else None


def _how(was: LiveSeat | None, now: LiveSeat | None) -> str:
    if was is None:
        return "was granted"
    if now is None:
        return "was removed"
    if was.active and not now.active:
        return "was cancelled"
    if now.active and not was.active:
        return "was granted again"
    return f"moved from {_grant(was)} to {_grant(now)}"


def _grant(seat: LiveSeat) -> str:
    return f"team {seat.assigning_team}" if seat.assigning_team else "a direct grant"
