"""Grants the API cannot show: apply needs a follow-up round, and the plans say which."""

from __future__ import annotations

from reconciler.model import DeclaredUser, DesiredState, OrgConfig, SeatPolicy, Source
from reconciler.plan.planner import plan
from tests.helpers.builders import NOW, TODAY
from tests.helpers.grants import ORG, Grants, apply_effects, observe

HERE = Source("org.yaml", 1, 1)


def keep_only(*logins: str) -> DesiredState:
    policy = SeatPolicy(
        mode="exact",
        users=(),
        teams=(),
        keep=tuple(DeclaredUser(login, HERE) for login in logins),
        source=HERE,
    )
    return DesiredState({ORG: OrgConfig(ORG, (HERE,), seats=policy)})


def test_a_hidden_direct_grant_surfaces_after_the_team_goes_and_is_removed_next() -> None:
    world = Grants(
        members=frozenset({"mallory"}),
        teams={"old": frozenset({"mallory"})},
        selected_teams=frozenset({"old"}),
        selected_users=frozenset({"mallory"}),  # hidden: the seat shows 'old'
    )
    desired = keep_only()
    first = plan(desired, observe(world, desired), today=TODAY, now=NOW)
    assert [(c.action, c.teams, c.cancelled_logins) for c in first.changes] == [
        ("remove_teams", ("old",), ("mallory",))
    ]
    assert "follow-up round" in first.changes[0].reason
    world = apply_effects(world, first)
    second = plan(desired, observe(world, desired), today=TODAY, now=NOW)
    assert [(c.action, c.users) for c in second.changes] == [("remove_users", ("mallory",))]
    world = apply_effects(world, second)
    assert plan(desired, observe(world, desired), today=TODAY, now=NOW).changes == ()
    assert world.active() == frozenset()


def test_a_selected_team_no_seat_shows_surfaces_after_the_shown_team_goes() -> None:
    # Both teams grant mallory; the seat shows 'alpha' (alphabetically first), so nothing
    # tells the planner that 'beta' is selected until 'alpha' is gone.
    world = Grants(
        members=frozenset({"mallory"}),
        teams={"alpha": frozenset({"mallory"}), "beta": frozenset({"mallory"})},
        selected_teams=frozenset({"alpha", "beta"}),
    )
    desired = keep_only()
    first = plan(desired, observe(world, desired), today=TODAY, now=NOW)
    assert [(c.action, c.teams) for c in first.changes] == [("remove_teams", ("alpha",))]
    world = apply_effects(world, first)
    second = plan(desired, observe(world, desired), today=TODAY, now=NOW)
    assert [(c.action, c.teams, c.cancelled_logins) for c in second.changes] == [
        ("remove_teams", ("beta",), ("mallory",))
    ]
