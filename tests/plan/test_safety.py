"""The mass-cancellation guard: refuse (exit 3) unless --force."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconciler.errors import UnsafePlanError
from reconciler.model import DesiredState, LiveOrg, SafetyPolicy, Source
from reconciler.plan import Plan, check_safety
from reconciler.plan.planner import plan
from tests.helpers.builders import NOW, TODAY, desired, live, live_org, org_config, seat, seats


def cancelling(count: int, total: int, *, keep: int = 1) -> tuple[Plan, LiveOrg]:
    """An org of ``total`` seats whose plan cancels ``count`` direct seats."""
    holders = [seat(f"kept{i}") for i in range(keep)]
    holders += [seat(f"gone{i}") for i in range(count)]
    holders += [seat(f"pend{i}", pending=True) for i in range(total - count - keep)]
    org = live_org(seat_list=holders)
    return plan(desired_for(None, keep), live(org), today=TODAY, now=NOW), org


def desired_for(safety: SafetyPolicy | None, keep: int = 1) -> DesiredState:
    policy = seats(users=[f"kept{i}" for i in range(keep)])
    return desired(org_config(seat_policy=policy, safety=safety))


@pytest.mark.parametrize(
    ("count", "total", "refused"),
    [
        (10, 11, False),  # not more than 10
        (11, 110, False),  # not more than 10 %
        (11, 109, True),
        (50, 60, True),
    ],
)
def test_the_default_refuses_more_than_10_seats_and_more_than_10_percent(
    count: int, total: int, refused: bool
) -> None:
    result, _ = cancelling(count, total)
    assert result.summary.seats_cancelled == count
    if refused:
        with pytest.raises(UnsafePlanError) as caught:
            check_safety(result, desired_for(None), force=False)
        assert caught.value.exit_code == 3
        assert str(caught.value) == (
            f"refused: octo-org: the plan cancels {count} seat(s), more than the default "
            f"limit of 10 seats and 10% of the org's {total} seat(s) "
            "(safety.max_cancellations: default); pass --force to apply anyway or raise "
            "safety.max_cancellations"
        )
    else:
        check_safety(result, desired_for(None), force=False)


def test_force_applies_anything() -> None:
    result, _ = cancelling(50, 60)
    check_safety(result, desired_for(None), force=True)


def test_a_configured_absolute_limit_names_where_it_is_set() -> None:
    result, _ = cancelling(3, 1000)
    policy = SafetyPolicy(max_cancellations=2, source=Source("org.yaml", 30, 22))
    with pytest.raises(
        UnsafePlanError, match=r"more than safety.max_cancellations = 2 \(set at org.yaml:30:22\)"
    ):
        check_safety(result, desired_for(policy), force=False)
    check_safety(result, desired_for(SafetyPolicy(max_cancellations=3)), force=False)


def test_a_configured_percentage_is_of_the_orgs_billed_seats() -> None:
    result, _ = cancelling(6, 50)
    check_safety(result, desired_for(SafetyPolicy(max_cancellations_percent=12.0)), force=False)
    with pytest.raises(UnsafePlanError, match="10% of the org's 50 seat"):
        check_safety(result, desired_for(SafetyPolicy(max_cancellations_percent=10.0)), force=False)


def test_an_empty_exact_seat_list_that_cancels_is_refused_whatever_the_numbers() -> None:
    org = live_org(seat_list=[seat("alice")], total=1000)
    empty = desired(org_config(seat_policy=seats()))
    result = plan(empty, live(org), today=TODAY, now=NOW)
    with pytest.raises(UnsafePlanError) as caught:
        check_safety(result, empty, force=False)
    assert str(caught.value) == (
        "refused: octo-org: the plan cancels 1 seat(s), and the seats section at org.yaml:4:1 "
        "declares no users, teams or keep in exact mode (that would cancel every seat); pass "
        "--force to apply anyway or raise safety.max_cancellations"
    )
    check_safety(result, empty, force=True)


def test_an_empty_exact_seat_list_that_cancels_nothing_is_fine() -> None:
    empty = desired(org_config(seat_policy=seats()))
    result = plan(empty, live(live_org()), today=TODAY, now=NOW)
    check_safety(result, empty, force=False)


def test_every_refused_org_is_named() -> None:
    orgs = [live_org(name, seat_list=[seat(f"u{i}") for i in range(12)]) for name in ("b", "a")]
    state = desired(*(org_config(name, seat_policy=seats(users=["x"])) for name in ("a", "b")))
    result = plan(state, live(*orgs), today=TODAY, now=NOW)
    with pytest.raises(UnsafePlanError, match=r"^refused: a: the plan cancels 12 .*; b: the plan"):
        check_safety(result, state, force=False)


def test_the_plan_records_each_refusal_with_its_limit_and_where_it_is_set() -> None:
    result, org = cancelling(3, 1000)
    configured = SafetyPolicy(max_cancellations=2, source=Source("org.yaml", 30, 22))
    refused = plan(desired_for(configured), live(org), today=TODAY, now=NOW)
    by_default, _ = cancelling(50, 60)

    assert result.refusals == ()
    assert not result.refused
    assert [(r.org, r.limit, r.cancellations, r.source) for r in refused.refusals] == [
        ("octo-org", 2, 3, Source("org.yaml", 30, 22))
    ]
    assert refused.refusals[0].reason == (
        "the plan cancels 3 seat(s), more than safety.max_cancellations = 2 (set at org.yaml:30:22)"
    )
    # The default allows 10 seats or 10 % of 60 (6), whichever is more; nothing sets it.
    assert [(r.limit, r.source) for r in by_default.refusals] == [(10, None)]


def test_a_percentage_limit_is_recorded_as_the_seats_it_allows() -> None:
    _, org = cancelling(6, 50)
    policy = SafetyPolicy(max_cancellations_percent=10.0, source=Source("org.yaml", 8, 22))
    result = plan(desired_for(policy), live(org), today=TODAY, now=NOW)
    assert [(r.limit, r.cancellations, r.source) for r in result.refusals] == [
        (5, 6, Source("org.yaml", 8, 22))
    ]


def test_an_empty_exact_seat_list_is_recorded_with_limit_0_at_the_seats_section() -> None:
    org = live_org(seat_list=[seat("alice")], total=1000)
    result = plan(desired(org_config(seat_policy=seats())), live(org), today=TODAY, now=NOW)
    assert [(r.limit, r.cancellations, r.source) for r in result.refusals] == [
        (0, 1, Source("org.yaml", 4, 1))
    ]


def test_check_safety_recomputes_and_ignores_the_refusals_a_saved_plan_carries() -> None:
    result, _ = cancelling(50, 60)
    tampered = replace(result, refusals=())
    with pytest.raises(UnsafePlanError):
        check_safety(tampered, desired_for(None), force=False)
