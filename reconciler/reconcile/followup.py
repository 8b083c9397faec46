"""Which changes left after an apply round only finish what the approved plan started.

The API shows one grant per seat (a selected team, or none for a direct grant), so a seat
may hold grants it cannot show: once a plan removes the grant it saw, the seat can turn out
to hold another (a direct grant, a second team). Apply then runs follow-up rounds, but only
for changes the approved plan already stands for:

- cancelling a seat the approved plan cancels (directly, or with a team it unselects);
- granting a seat the approved plan grants, or protects: a seat that was active when the
  plan was made and that the plan does not cancel;
- selecting a team the approved plan selects, or that was granting seats when it was made.

Anything else (a seat the plan did not cancel, a seat it cancels being granted back because
the configuration now declares it, a content-exclusion map that differs after its PUT) is
not the reviewed plan: apply stops before any further request and reports what differs.
"""

from __future__ import annotations

from collections.abc import Iterable

from reconciler.model import LiveState, key
from reconciler.plan import Change, Plan

Name = tuple[str, str]  # (org key, login or team key)


def cancelled_by(changes: Iterable[Change]) -> set[Name]:
    """Every (org, login) whose seat ``changes`` cancel, directly or through a team."""
    return {
        (key(change.org), key(login))
        for change in changes
        for login in (change.users if change.action == "remove_users" else change.cancelled_logins)
        if change.action in ("remove_users", "remove_teams")
    }


def is_follow_up(residual: Iterable[Change], approved: Plan, before: LiveState) -> bool:
    """True when every change of ``residual`` finishes what ``approved`` started (module
    docstring); ``before`` is the live state the approved plan was checked against."""
    cancelled = cancelled_by(approved.changes)
    granted = _named(approved.changes, "add_users", "users")
    selected = _named(approved.changes, "add_teams", "teams")
    active: set[Name] = set()
    granting: set[Name] = set()
    for org_key, live_org in before.orgs.items():
        for login, seat in live_org.seats.items():
            if seat.active:
                active.add((org_key, key(login)))
                if seat.assigning_team:
                    granting.add((org_key, key(seat.assigning_team)))
    protected = (granted | active) - cancelled
    for change in residual:
        org = key(change.org)
        if change.action == "set_content_exclusion":
            return False
        if change.action in ("remove_users", "remove_teams"):
            if not cancelled_by([change]) <= cancelled:
                return False
        elif change.action == "add_users":
            if not {(org, key(login)) for login in change.users} <= protected:
                return False
        elif not {(org, key(team)) for team in change.teams} <= selected | granting:
            return False
    return True


def _named(changes: Iterable[Change], action: str, field: str) -> set[Name]:
    return {
        (key(change.org), key(name))
        for change in changes
        if change.action == action
        for name in getattr(change, field)
    }
