"""The pure planner: ``plan(desired, live) -> Plan``.

No I/O, no clock reads: the caller passes ``today`` (for expiry and proration) and ``now``
(the plan's timestamp), so the same inputs always give the same plan. Per org, in sorted
order, and only for the sections the configuration manages:

1. ``set_content_exclusion`` first: it only narrows what Copilot may read, is independent of
   seats, and so should hold before anyone gets a new seat;
2. ``add_teams``, ``add_users``: grants, before the cancellations that depend on them (a
   declared member of a team being unselected gets a direct grant first);
3. ``remove_teams``, ``remove_users``: cancellations.

Settings are compared and reported as drift (the API cannot write them). The plan records
what the safety guard will refuse (:mod:`reconciler.plan.safety`) and the fingerprints of
both states it was made from. See
:mod:`reconciler.plan.seats` for the seat rules and :mod:`reconciler.plan.pricing` for costs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from reconciler import __version__
from reconciler.model import DesiredState, LiveOrg, LiveState, OrgConfig
from reconciler.plan.data import Change, Plan, SettingDrift, Summary
from reconciler.plan.desired_fingerprint import desired_fingerprint
from reconciler.plan.exclusion import plan_content_exclusion
from reconciler.plan.fingerprint import fingerprint
from reconciler.plan.pricing import CostDelta, seat_cost_delta, seat_price
from reconciler.plan.safety import find_refusals
from reconciler.plan.seats import plan_seats
from reconciler.plan.settings_drift import blocking_warnings, plan_settings

__all__ = ["plan"]


@dataclass
class _Draft:
    """What the orgs planned so far add up to."""

    changes: list[Change] = field(default_factory=list)
    drift: list[SettingDrift] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    added: int = 0
    reactivated: int = 0
    cancelled: int = 0
    cost: CostDelta = field(default_factory=CostDelta)


def plan(
    desired: DesiredState,
    live: LiveState,
    *,
    today: date,
    now: datetime,
    prices: Mapping[str, float] | None = None,
) -> Plan:
    """Compare ``desired`` with ``live`` and return the plan that reconciles them.

    ``prices`` overrides :data:`reconciler.plan.pricing.DEFAULT_PRICES` per plan type. Every org
    of ``desired`` must be in ``live`` (the reader always reads it): a missing one is a bug
    and raises :class:`ValueError`, never an empty org that would cancel every seat.
    """
    draft = _Draft()
    for org_key in sorted(desired.orgs):
        config = desired.orgs[org_key]
        live_org = live.org(config.org)
        if live_org is None:
            raise ValueError(f"{config.org}: not in the live state (the reader must read it)")
        _plan_org(draft, config, live_org, today=today, prices=prices)
    cost = draft.cost.rounded()
    summary = Summary(
        seats_added=draft.added,
        seats_cancelled=draft.cancelled,
        monthly_cost_delta_usd=cost.monthly,
        prorated_cost_this_cycle_usd=cost.this_cycle,
        seats_reactivated=draft.reactivated,
        content_exclusion_changes=sum(c.action == "set_content_exclusion" for c in draft.changes),
        settings_drift=len(draft.drift),
    )
    return Plan(
        changes=tuple(draft.changes),
        settings_drift=tuple(draft.drift),
        warnings=tuple(draft.warnings),
        summary=summary,
        live_fingerprint=fingerprint(live),
        generated_at=now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC),
        tool_version=__version__,
        org_seat_totals=draft.totals,
        desired_fingerprint=desired_fingerprint(desired),
        refusals=find_refusals(draft.changes, desired, draft.totals),
    )


def _plan_org(
    draft: _Draft,
    config: OrgConfig,
    live_org: LiveOrg,
    *,
    today: date,
    prices: Mapping[str, float] | None,
) -> None:
    """Add one org's changes, drift, warnings and costs to ``draft``, in apply's order."""
    org = live_org.org
    draft.totals[org] = live_org.seat_breakdown.get("total", len(live_org.seats))
    if config.content_exclusion is not None:
        exclusion = plan_content_exclusion(
            org, config.content_exclusion, live_org.content_exclusion
        )
        draft.changes.extend([exclusion] if exclusion else [])
    if config.seats is not None:
        seats = plan_seats(org, config.seats, live_org, today)
        draft.changes.extend(seats.changes)
        draft.warnings.extend(seats.warnings)
        if seats.changes:
            draft.warnings.extend(blocking_warnings(org, live_org.settings))
        draft.added += seats.new_seats + seats.reactivated_seats
        draft.reactivated += seats.reactivated_seats
        draft.cancelled += seats.cancelled_seats
        draft.cost += seat_cost_delta(
            price=seat_price(live_org.settings.get("plan_type"), prices),
            new_seats=seats.new_seats,
            reactivated_seats=seats.reactivated_seats,
            cancelled_seats=seats.cancelled_seats,
            today=today,
        )
    if config.settings is not None:
        draft.drift.extend(plan_settings(org, config.settings, live_org.settings))
