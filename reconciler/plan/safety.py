"""The mass-cancellation guard (``docs/product.md``, "Safety").

A plan that would cancel many seats at once is more likely a mistake (a file left out of the
configuration, a team renamed, an empty list) than an intent, and cancelling seats is the one
change that hurts people at once. So, per org and unless ``--force`` is given:

- with ``safety.max_cancellations`` configured, a plan that cancels more than the absolute
  number, or more than the percentage of the org's billed seats, is refused;
- without it, a plan that cancels more than 10 seats **and** more than 10 % of the org's
  seats is refused (small orgs may churn a few seats; large orgs many, but not a tenth);
- an exact-mode org whose seat section declares nobody (no users, teams or keep) while the
  plan cancels seats is refused whatever the numbers: it would cancel every seat.

:func:`find_refusals` is pure and total (it never raises): the planner records its result in
the plan, so that ``plan`` shows what ``apply`` will refuse. :func:`check_safety` is the guard
``apply`` runs, raising :class:`~reconciler.errors.UnsafePlanError`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from reconciler.errors import UnsafePlanError
from reconciler.model import DesiredState, OrgConfig, Source, key
from reconciler.plan.data import Change, Refusal

if TYPE_CHECKING:
    from reconciler.plan.data import Plan

#: The default guard: refuse when cancellations exceed both of these.
DEFAULT_MAX_CANCELLATIONS = 10
DEFAULT_MAX_CANCELLATIONS_PERCENT = 10.0

_ADVICE = "pass --force to apply anyway or raise safety.max_cancellations"


def find_refusals(
    changes: Iterable[Change], desired: DesiredState, seat_totals: Mapping[str, int]
) -> tuple[Refusal, ...]:
    """The orgs, in sorted order, whose cancellations in ``changes`` exceed their policy
    (module docstring); ``seat_totals`` are the orgs' billed seats before the plan."""
    cancelled: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for change in changes:
        cancelled[key(change.org)] += change.seats_cancelled
        names.setdefault(key(change.org), change.org)
    totals = {key(org): total for org, total in seat_totals.items()}
    found = []
    for org_key in sorted(cancelled):
        count = cancelled[org_key]
        if count == 0:
            continue
        verdict = _refusal(desired.org(org_key), count, totals.get(org_key, 0))
        if verdict is not None:
            reason, limit, source = verdict
            found.append(
                Refusal(
                    org=names[org_key],
                    reason=f"the plan cancels {count} seat(s), {reason}",
                    limit=limit,
                    cancellations=count,
                    source=source,
                )
            )
    return tuple(found)


def refusal_message(refusals: Iterable[Refusal]) -> str:
    """The one line that names every refused org and what to do."""
    parts = [f"{refusal.org}: {refusal.reason}" for refusal in refusals]
    return f"refused: {'; '.join(parts)}; {_ADVICE}"


def check_safety(plan: Plan, desired: DesiredState, *, force: bool) -> None:
    """Raise :class:`~reconciler.errors.UnsafePlanError` when ``plan`` cancels more seats in
    some org than that org's safety policy allows (module docstring), unless ``force``.

    The refusals are computed again from the plan's changes and ``desired`` (a saved plan's
    own ``refusals`` are not trusted). The message names every org refused, how many seats
    the plan cancels, the limit and where it comes from (the configuration's place, or
    "default").
    """
    if force:
        return
    refusals = find_refusals(plan.changes, desired, plan.org_seat_totals)
    if refusals:
        raise UnsafePlanError(refusal_message(refusals))


def _refusal(
    config: OrgConfig | None, count: int, total: int
) -> tuple[str, int, Source | None] | None:
    """Why cancelling ``count`` of ``total`` seats is refused for ``config`` (the reason,
    the most cancellations allowed and where that is set), or None."""
    seats = config.seats if config is not None else None
    if (
        seats is not None
        and seats.mode == "exact"
        and not (seats.users or seats.teams or seats.keep)
    ):
        reason = (
            f"and the seats section at {seats.source} declares no users, teams or keep in "
            "exact mode (that would cancel every seat)"
        )
        return reason, 0, seats.source
    policy = config.safety if config is not None else None
    if policy is None or (
        policy.max_cancellations is None and policy.max_cancellations_percent is None
    ):
        percent_limit = total * DEFAULT_MAX_CANCELLATIONS_PERCENT / 100
        if count > DEFAULT_MAX_CANCELLATIONS and count > percent_limit:
            reason = (
                f"more than the default limit of {DEFAULT_MAX_CANCELLATIONS} seats and "
                f"{DEFAULT_MAX_CANCELLATIONS_PERCENT:g}% of the org's {total} seat(s) "
                "(safety.max_cancellations: default)"
            )
            return reason, max(DEFAULT_MAX_CANCELLATIONS, math.floor(percent_limit)), None
        return None
    where = str(policy.source) if policy.source is not None else "default"
    if policy.max_cancellations is not None and count > policy.max_cancellations:
        reason = f"more than safety.max_cancellations = {policy.max_cancellations} (set at {where})"
        return reason, policy.max_cancellations, policy.source
    percent = policy.max_cancellations_percent
    if percent is not None and count > total * percent / 100:
        reason = (
            f"more than safety.max_cancellations = {percent:g}% of the org's {total} seat(s), "
            f"i.e. {total * percent / 100:g} (set at {where})"
        )
        return reason, math.floor(total * percent / 100), policy.source
    return None
