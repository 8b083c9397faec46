"""Pricing: list prices, proration over the calendar-month cycle, and the --seat-price option."""

from __future__ import annotations

from datetime import date

import pytest

from reconciler.plan.planner import plan
from reconciler.plan.pricing import (
    DEFAULT_PRICES,
    CostDelta,
    cycle_days,
    parse_prices,
    prorated_price,
    seat_cost_delta,
    seat_price,
)
from tests.helpers.builders import (
    NOW,
    SETTINGS,
    TODAY,
    desired,
    live,
    live_org,
    org_config,
    seat,
    seats,
)


def test_default_prices_are_the_published_ones() -> None:
    assert dict(DEFAULT_PRICES) == {"business": 19.0, "enterprise": 39.0}


def test_a_seat_is_priced_by_plan_type_and_unknown_types_as_business() -> None:
    assert [seat_price(t) for t in ("business", "Enterprise", None, "mystery")] == [
        19.0,
        39.0,
        19.0,
        19.0,
    ]
    assert seat_price("enterprise", {"enterprise": 30}) == 30.0


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 1), (30, 30)),
        (date(2026, 11, 30), (1, 30)),
        (date(2028, 2, 29), (1, 29)),
        (date(2026, 12, 24), (8, 31)),
    ],
)
def test_the_billing_cycle_is_the_calendar_month_today_included(
    today: date, expected: tuple[int, int]
) -> None:
    assert cycle_days(today) == expected


def test_new_seats_cost_a_prorated_cycle_and_reactivated_ones_only_from_the_next() -> None:
    delta = seat_cost_delta(
        price=30.0, new_seats=2, reactivated_seats=1, cancelled_seats=4, today=date(2026, 11, 21)
    )
    assert delta == CostDelta(monthly=30.0 * (2 + 1 - 4), this_cycle=2 * 30.0 * 10 / 30)
    assert prorated_price(30.0, date(2026, 11, 21)) == 10.0


def test_the_plan_summary_prices_each_org_by_its_plan_type_rounded_to_cents() -> None:
    config = org_config(seat_policy=seats(users=["alice", "bob", "carol"]))
    org = live_org(
        seat_list=[seat("carol", pending=True), seat("mallory")],
        settings={**SETTINGS, "plan_type": "enterprise"},
    )
    result = plan(desired(config), live(org), today=TODAY, now=NOW)
    # 2 new, 1 reactivated, 1 cancelled at 39; 7 of 30 days left on 2026-11-24.
    assert (
        result.summary.monthly_cost_delta_usd,
        result.summary.prorated_cost_this_cycle_usd,
    ) == (78.0, round(2 * 39 * 7 / 30, 2))
    cheaper = plan(desired(config), live(org), today=TODAY, now=NOW, prices={"enterprise": 10})
    assert cheaper.summary.monthly_cost_delta_usd == 20.0


def test_parse_prices_overrides_the_defaults() -> None:
    assert parse_prices(["business=21.5", " Enterprise = 40 "]) == {
        "business": 21.5,
        "enterprise": 40.0,
    }
    assert parse_prices([]) == {"business": 19.0, "enterprise": 39.0}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("business", "expected PLAN_TYPE=USD_PER_SEAT_PER_MONTH"),
        ("=19", "expected PLAN_TYPE=USD_PER_SEAT_PER_MONTH"),
        ("business=cheap", "'cheap' is not a number"),
        ("business=-1", "a price is a finite number >= 0"),
        ("business=nan", "a price is a finite number >= 0"),
    ],
)
def test_parse_prices_rejects_bad_specs_naming_them(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_prices([spec])
    assert repr(spec) in str(caught.value)
