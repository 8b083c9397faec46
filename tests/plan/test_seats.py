"""Seat planning: each rule of the planner, stated on the smallest live state that shows it."""

from __future__ import annotations

from datetime import date

import pytest

from reconciler.model import LiveOrg, SeatPolicy
from reconciler.plan import Change, Plan
from reconciler.plan.planner import plan
from tests.helpers.builders import (
    NOW,
    ORG,
    TODAY,
    desired,
    live,
    live_org,
    org_config,
    seat,
    seats,
    user,
)


def plan_for(policy: SeatPolicy, org: LiveOrg) -> Plan:
    return plan(desired(org_config(seat_policy=policy)), live(org), today=TODAY, now=NOW)


# ----------------------------------------------------------------------------- grants


def test_a_declared_team_with_members_without_a_seat_is_selected() -> None:
    result = plan_for(
        seats(teams=["eng"]),
        live_org(seat_list=[seat("bob", pending=True)], teams={"eng": ["alice", "bob"]}),
    )
    assert result.changes == (
        Change(
            org=ORG,
            action="add_teams",
            teams=("eng",),
            reason="1 declared team(s) to select: 2 member seat(s) to activate",
            reasons={"eng": "declared in org.yaml:5:11; 2 member(s) without an active seat"},
            seats_added=2,
        ),
    )
    assert (result.summary.seats_added, result.summary.seats_reactivated) == (2, 1)


def test_a_declared_team_shown_on_a_seat_is_known_selected_and_left_alone() -> None:
    result = plan_for(
        seats(teams=["eng"]),
        live_org(
            seat_list=[seat("alice", "eng"), seat("bob", "eng")], teams={"eng": ["alice", "bob"]}
        ),
    )
    assert result.changes == ()


def test_a_declared_team_whose_members_all_hold_seats_otherwise_is_not_planned() -> None:
    # Its selection cannot be observed: planning it would show as drift after every apply.
    result = plan_for(
        seats(users=["alice"], teams=["eng"]),
        live_org(seat_list=[seat("alice")], teams={"eng": ["alice"]}),
    )
    assert result.changes == ()


def test_a_declared_user_without_a_seat_gets_one_with_the_place_it_is_declared() -> None:
    result = plan_for(seats(users=[user("alice", 12)]), live_org())
    assert result.changes == (
        Change(
            org=ORG,
            action="add_users",
            users=("alice",),
            reason="1 declared user(s) without an active seat",
            reasons={"alice": "declared in org.yaml:12:7"},
            seats_added=1,
        ),
    )


def test_a_declared_user_covered_by_a_team_being_selected_gets_no_direct_grant() -> None:
    result = plan_for(seats(users=["alice"], teams=["eng"]), live_org(teams={"eng": ["alice"]}))
    assert [(c.action, c.teams, c.users) for c in result.changes] == [("add_teams", ("eng",), ())]
    assert result.summary.seats_added == 1


def test_a_declared_user_pending_cancellation_is_reactivated() -> None:
    result = plan_for(seats(users=["alice"]), live_org(seat_list=[seat("alice", pending=True)]))
    assert result.changes == (
        Change(
            org=ORG,
            action="add_users",
            users=("alice",),
            reason="1 declared user(s) without an active seat",
            reasons={
                "alice": "declared in org.yaml:10:7; reactivates the seat pending "
                "cancellation on 2026-12-01"
            },
            seats_added=1,
        ),
    )


def test_a_declared_login_that_is_not_an_org_member_is_a_warning_not_a_change() -> None:
    result = plan_for(seats(users=["ghost"]), live_org(non_members=["ghost"]))
    assert result.changes == ()
    assert result.warnings == (
        "octo-org: ghost (declared in org.yaml:10:7) is not a member of the org: GitHub "
        "cannot grant a seat until they join",
    )


def test_names_compare_caselessly_and_changes_use_the_canonical_spelling() -> None:
    assert plan_for(seats(users=["ALICE"]), live_org(seat_list=[seat("Alice")])).changes == ()
    result = plan_for(seats(users=["carol"]), live_org(seat_list=[seat("Carol", pending=True)]))
    assert result.changes[0].users == ("Carol",)


def test_names_in_a_change_are_sorted_caselessly() -> None:
    result = plan_for(seats(users=["bob", "Alice", "carol"]), live_org())
    assert result.changes[0].users == ("Alice", "bob", "carol")
    assert list(result.changes[0].reasons) == ["Alice", "bob", "carol"]


# ----------------------------------------------------------------------------- cancellations


def test_an_undeclared_direct_seat_is_cancelled_with_remove_users() -> None:
    result = plan_for(seats(users=["alice"]), live_org(seat_list=[seat("alice"), seat("mallory")]))
    assert result.changes == (
        Change(
            org=ORG,
            action="remove_users",
            users=("mallory",),
            reason="1 direct seat(s) not declared or expired",
            reasons={"mallory": "not declared"},
            seats_cancelled=1,
        ),
    )


def test_an_undeclared_team_seat_is_cancelled_by_unselecting_the_team_never_remove_users() -> None:
    result = plan_for(
        seats(users=["alice"]),
        live_org(
            seat_list=[seat("alice"), seat("mallory", "old-team"), seat("trent", "old-team")],
            teams={"old-team": ["mallory", "trent"]},
        ),
    )
    assert result.changes == (
        Change(
            org=ORG,
            action="remove_teams",
            teams=("old-team",),
            reason=(
                "1 undeclared team(s) to unselect: 2 seat(s) to cancel (a member who also "
                "holds a direct grant keeps the seat until the follow-up round removes it)"
            ),
            reasons={
                "mallory": "member of undeclared team 'old-team'",
                "old-team": "not declared; grants the seat of 2 undeclared member(s)",
                "trent": "member of undeclared team 'old-team'",
            },
            seats_cancelled=2,
            cancelled_logins=("mallory", "trent"),
        ),
    )


def test_desired_members_of_an_unselected_team_get_a_direct_grant_first() -> None:
    result = plan_for(
        seats(users=[user("alice", 12)], keep=[user("root", 41)], teams=["eng"]),
        live_org(
            seat_list=[
                seat("alice", "old"),
                seat("root", "old"),
                seat("bob", "eng"),
                seat("mallory", "old"),
            ],
            teams={"old": ["alice", "root", "bob", "mallory"], "eng": ["bob"]},
        ),
    )
    assert [c.action for c in result.changes] == ["add_users", "remove_teams"]
    grant = result.changes[0]
    # bob keeps his seat through eng, which is selected (a seat shows it): no direct grant.
    assert grant.users == ("alice", "root")
    assert grant.reasons == {
        "alice": "declared in org.yaml:12:7; keeps the seat when team 'old' is unselected",
        "root": "kept in org.yaml:41:7; keeps the seat when team 'old' is unselected",
    }
    assert (grant.seats_added, result.changes[1].cancelled_logins) == (0, ("mallory",))
    assert (result.summary.seats_added, result.summary.seats_cancelled) == (0, 1)


def test_a_member_of_an_unselected_team_in_a_declared_unselected_team_gets_that_team() -> None:
    result = plan_for(
        seats(teams=["eng"]),
        live_org(
            seat_list=[seat("alice", "old"), seat("mallory", "old")],
            teams={"old": ["alice", "mallory"], "eng": ["alice"]},
        ),
    )
    assert [(c.action, c.teams, c.users) for c in result.changes] == [
        ("add_teams", ("eng",), ()),
        ("remove_teams", ("old",), ()),
    ]
    assert result.changes[0].reasons == {
        "eng": "declared in org.yaml:5:11; 1 member(s) would lose the seat of an unselected team"
    }
    assert result.summary.seats_added == 0


def test_a_seat_shown_with_a_declared_team_is_desired() -> None:
    result = plan_for(seats(teams=["eng"]), live_org(seat_list=[seat("zed", "eng")], teams={}))
    assert result.changes == ()


def test_every_known_selected_undeclared_team_granting_an_undeclared_seat_goes_at_once() -> None:
    # mallory shows 'alpha' but 'beta' (selected: carol's seat shows it) grants her seat too.
    result = plan_for(
        seats(users=["carol"]),
        live_org(
            seat_list=[seat("mallory", "alpha"), seat("carol", "beta")],
            teams={"alpha": ["mallory"], "beta": ["mallory", "carol"]},
        ),
    )
    assert [(c.action, c.teams, c.users) for c in result.changes] == [
        ("add_users", (), ("carol",)),
        ("remove_teams", ("alpha", "beta"), ()),
    ]
    assert result.changes[1].cancelled_logins == ("mallory",)


def test_an_undeclared_team_that_grants_only_desired_seats_is_left_selected() -> None:
    # Unselecting it would change no seat: it would be a change without an effect.
    result = plan_for(
        seats(users=["alice"]),
        live_org(seat_list=[seat("alice", "old")], teams={"old": ["alice"]}),
    )
    assert result.changes == ()


def test_seats_already_pending_cancellation_that_should_go_are_left_alone() -> None:
    result = plan_for(
        seats(users=["alice"]),
        live_org(seat_list=[seat("alice"), seat("gone", pending=True)]),
    )
    assert result.changes == ()


def test_keep_protects_a_seat_but_does_not_ask_for_one() -> None:
    result = plan_for(
        seats(keep=["root", "spare"]),
        live_org(seat_list=[seat("root"), seat("spare", pending=True)]),
    )
    assert result.changes == ()


def test_additive_mode_never_cancels() -> None:
    result = plan_for(
        seats(users=["alice"], mode="additive"),
        live_org(
            seat_list=[seat("mallory"), seat("trent", "old")],
            teams={"old": ["trent"]},
        ),
    )
    assert [(c.action, c.users) for c in result.changes] == [("add_users", ("alice",))]
    assert result.summary.seats_cancelled == 0


def test_an_org_whose_seats_are_not_managed_plans_no_seat_change() -> None:
    result = plan(
        desired(org_config()),
        live(live_org(seat_list=[seat("mallory")])),
        today=TODAY,
        now=NOW,
    )
    assert (result.changes, result.has_drift) == ((), False)


# ----------------------------------------------------------------------------- time boxes


def test_an_expired_user_counts_as_undeclared() -> None:
    result = plan_for(
        seats(
            users=[
                user("carol", 14, expires=date(2026, 11, 1)),
                user("dan", 15, expires=date(2026, 11, 23)),
            ]
        ),
        live_org(seat_list=[seat("carol")]),
    )
    assert result.changes == (
        Change(
            org=ORG,
            action="remove_users",
            users=("carol",),
            reason="1 direct seat(s) not declared or expired",
            reasons={"carol": "expired 2026-11-01, declared in org.yaml:14:7"},
            seats_cancelled=1,
        ),
    )


def test_a_user_expiring_within_14_days_is_warned_about_and_still_granted() -> None:
    result = plan_for(
        seats(
            users=[
                user("today", 10, expires=TODAY),
                user("soon", 11, expires=date(2026, 12, 8)),
                user("later", 12, expires=date(2026, 12, 9)),
            ]
        ),
        live_org(seat_list=[seat("today"), seat("soon"), seat("later")]),
    )
    assert result.changes == ()
    assert result.warnings == (
        "octo-org: the seat of soon expires on 2026-12-08 (in 14 days; declared in org.yaml:11:7)",
        "octo-org: the seat of today expires on 2026-11-24 (today; declared in org.yaml:10:7)",
    )


def test_additive_mode_warns_about_an_expired_user_who_keeps_a_seat() -> None:
    result = plan_for(
        seats(users=[user("carol", 14, expires=date(2026, 11, 1))], mode="additive"),
        live_org(seat_list=[seat("carol")]),
    )
    assert result.changes == ()
    assert result.warnings == (
        "octo-org: carol expired on 2026-11-01 (declared in org.yaml:14:7) but keeps the "
        "seat: additive mode never cancels",
    )


# ----------------------------------------------------------------------------- around seats


def test_seat_changes_under_a_blocking_setting_warn_that_github_will_refuse_them() -> None:
    settings = {"seat_management_setting": "assign_all", "public_code_suggestions": "block"}
    result = plan_for(seats(users=["alice"]), live_org(settings=settings))
    assert result.warnings == (
        "octo-org: seat_management_setting is 'assign_all', so GitHub will refuse the seat "
        "changes (422) until an owner changes it at "
        "https://github.com/organizations/octo-org/settings/copilot/seat_management",
    )


def test_an_org_missing_from_the_live_state_is_a_bug_not_an_empty_org() -> None:
    with pytest.raises(ValueError, match="octo-org: not in the live state"):
        plan(desired(org_config(seat_policy=seats())), live(), today=TODAY, now=NOW)


def test_changes_run_per_org_in_sorted_order_grants_before_cancellations() -> None:
    policy = seats(users=["alice"], teams=["eng"])
    orgs = [
        live_org(
            name,
            seat_list=[seat("mallory"), seat("trent", "old")],
            teams={"eng": ["bob"], "old": ["trent"]},
            exclusion={},
        )
        for name in ("b-org", "A-org")
    ]
    configs = [
        org_config(name, seat_policy=policy, exclusion={"*": ["/x"]}) for name in ("b-org", "A-org")
    ]
    result = plan(desired(*configs), live(*orgs), today=TODAY, now=NOW)
    expected_actions = [
        "set_content_exclusion",
        "add_teams",
        "add_users",
        "remove_teams",
        "remove_users",
    ]
    assert [(c.org, c.action) for c in result.changes] == [
        (org, action) for org in ("A-org", "b-org") for action in expected_actions
    ]


def test_planning_is_deterministic() -> None:
    policy = seats(users=["alice", "bob"], teams=["eng", "ops"], keep=["root"])
    org = live_org(
        seat_list=[seat("x", "old"), seat("y"), seat("bob", pending=True)],
        teams={"eng": ["a", "b", "c"], "ops": ["d"], "old": ["x", "alice"]},
    )
    assert plan_for(policy, org) == plan_for(policy, org)
