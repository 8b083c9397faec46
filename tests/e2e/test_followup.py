"""Follow-up rounds only finish what the approved plan started (issue 10, point 1)."""

from __future__ import annotations

from reconciler.plan import Change
from reconciler.plan.planner import plan
from reconciler.reconcile.followup import is_follow_up
from tests.helpers.builders import NOW, TODAY, desired, live, live_org, org_config, seat, seats

# alice is declared and holds a seat; erin holds one through the undeclared team legacy;
# mallory holds a direct one; bob is declared without a seat.
BEFORE = live(
    live_org(
        seat_list=[seat("alice"), seat("erin", "legacy"), seat("mallory")],
        teams={"legacy": ["erin"], "eng": ["bob"]},
    )
)
APPROVED = plan(
    desired(org_config(seat_policy=seats(users=["alice", "bob"]))), BEFORE, today=TODAY, now=NOW
)


def grant(*logins: str) -> Change:
    return Change("octo-org", "add_users", users=logins)


def cancel(*logins: str) -> Change:
    return Change("octo-org", "remove_users", users=logins)


def test_the_approved_plan_grants_bob_and_cancels_erin_and_mallory() -> None:
    actions = [(c.action, c.users or c.teams) for c in APPROVED.changes]
    assert actions == [
        ("add_users", ("bob",)),
        ("remove_teams", ("legacy",)),
        ("remove_users", ("mallory",)),
    ]


def test_cancelling_again_what_the_plan_cancels_is_a_follow_up() -> None:
    # erin turned out to hold a hidden direct grant too.
    assert is_follow_up([cancel("erin")], APPROVED, BEFORE)
    assert is_follow_up([cancel("Mallory")], APPROVED, BEFORE)


def test_granting_what_the_plan_grants_or_protects_is_a_follow_up() -> None:
    assert is_follow_up([grant("bob")], APPROVED, BEFORE)
    assert is_follow_up([grant("alice")], APPROVED, BEFORE)  # active before, not cancelled


def test_granting_back_a_seat_the_plan_cancels_is_not() -> None:
    # The configuration now declares erin: the reviewed plan cancels her seat.
    assert not is_follow_up([grant("erin")], APPROVED, BEFORE)


def test_anything_the_plan_does_not_stand_for_is_not() -> None:
    assert not is_follow_up([cancel("alice")], APPROVED, BEFORE)
    assert not is_follow_up([grant("carol")], APPROVED, BEFORE)
    assert not is_follow_up([Change("octo-org", "add_teams", teams=("ops",))], APPROVED, BEFORE)
    assert not is_follow_up(
        [Change("octo-org", "set_content_exclusion", after={})], APPROVED, BEFORE
    )
    assert not is_follow_up([cancel("erin"), grant("carol")], APPROVED, BEFORE)
