"""The mass-cancellation guard: refuse (exit 3) unless --force."""

from __future__ import annotations

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
