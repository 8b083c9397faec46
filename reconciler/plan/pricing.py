"""What a plan costs: seat prices per plan type and the billing-cycle arithmetic.

GitHub bills Copilot seats per calendar month (UTC). The model the planner uses:

- a **new seat** is billed from the day it is created: this cycle costs the price times the
  share of the cycle that is left (today included), and every later month costs the price;
- a **reactivated seat** (one that was pending cancellation) is still billed this cycle
  anyway, so reactivating it costs nothing extra now; it keeps costing the price every month
  from the next cycle, where it would otherwise have disappeared;
- a **cancelled seat** becomes pending cancellation and stays billed until the cycle ends:
  it saves nothing this cycle and the price every month from the next cycle.

Prices are USD per seat per month, configurable per plan type; the defaults are GitHub's
published list prices.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

#: USD per seat per month, by Copilot plan type (GitHub's published list prices).
DEFAULT_PRICES: Mapping[str, float] = MappingProxyType({"business": 19.0, "enterprise": 39.0})

#: The plan type assumed when an org does not report one.
DEFAULT_PLAN_TYPE = "business"

_SPEC = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(\S+)\s*$")


def price_table(prices: Mapping[str, float] | None = None) -> dict[str, float]:
    """The default prices overridden by ``prices`` (plan types compare caselessly)."""
    table = dict(DEFAULT_PRICES)
    table.update({plan_type.lower(): float(value) for plan_type, value in (prices or {}).items()})
    return table


def seat_price(plan_type: str | None, prices: Mapping[str, float] | None = None) -> float:
    """The monthly price of one seat of ``plan_type``.

    An org that reports no plan type, or one this table does not know, is priced as
    ``business``: the cheaper published price, so that a cost estimate never overstates.
    """
    table = price_table(prices)
    name = (plan_type or DEFAULT_PLAN_TYPE).lower()
    return table.get(name, table[DEFAULT_PLAN_TYPE])


def cycle_days(today: date) -> tuple[int, int]:
    """(days left in the billing cycle, today included; days in the cycle) for ``today``.

    Billing cycles are calendar months in UTC, so the cycle of ``today`` is its month.
    """
    days_in_month = calendar.monthrange(today.year, today.month)[1]
    return days_in_month - today.day + 1, days_in_month


def prorated_price(price: float, today: date) -> float:
    """What one seat created ``today`` costs for the rest of the current cycle."""
    left, total = cycle_days(today)
    return price * left / total


@dataclass(frozen=True)
class CostDelta:
    """The change in spending a plan causes, in USD (positive: more spending)."""

    monthly: float = 0.0
    this_cycle: float = 0.0

    def __add__(self, other: CostDelta) -> CostDelta:
        return CostDelta(self.monthly + other.monthly, self.this_cycle + other.this_cycle)

    def rounded(self) -> CostDelta:
        """Rounded to cents, as reported (``+ 0.0`` turns a ``-0.0`` into ``0.0``)."""
        return CostDelta(round(self.monthly, 2) + 0.0, round(self.this_cycle, 2) + 0.0)


def seat_cost_delta(
    *,
    price: float,
    new_seats: int,
    reactivated_seats: int,
    cancelled_seats: int,
    today: date,
) -> CostDelta:
    """The cost of creating, reactivating and cancelling seats of one price (module docstring)."""
    monthly = price * (new_seats + reactivated_seats - cancelled_seats)
    return CostDelta(monthly=monthly, this_cycle=prorated_price(price, today) * new_seats)


def parse_prices(specs: Sequence[str]) -> dict[str, float]:
    """The price table for ``PLAN_TYPE=USD`` strings (a CLI option given several times).

    Returns the defaults overridden by the specs. Raises :class:`ValueError` naming the bad
    spec when one is not ``name=number``, names a plan type that is not one of
    :data:`DEFAULT_PRICES` (a typo would otherwise price nothing, silently), or its price is
    negative or not finite.
    """
    overrides: dict[str, float] = {}
    for spec in specs:
        match = _SPEC.match(spec)
        if match is None:
            raise ValueError(
                f"invalid price {spec!r}: expected PLAN_TYPE=USD_PER_SEAT_PER_MONTH, "
                "e.g. business=19"
            )
        name, amount = match.group(1).lower(), match.group(2)
        if name not in DEFAULT_PRICES:
            raise ValueError(
                f"invalid price {spec!r}: unknown plan type {match.group(1)!r}; "
                f"the plan types are {', '.join(DEFAULT_PRICES)}"
            )
        try:
            value = float(amount)
        except ValueError:
            raise ValueError(f"invalid price {spec!r}: {amount!r} is not a number") from None
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"invalid price {spec!r}: a price is a finite number >= 0")
        overrides[name] = value
    return price_table(overrides)
