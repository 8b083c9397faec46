"""The live-state reader: the whole LiveOrg, the fewest requests, and only managed sections."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from reconciler.errors import NotFoundError
from reconciler.github import read_live_state
from reconciler.model import DeclaredUser, LiveOrg, LiveSeat, LiveState, Source
from reconciler.simulator import Simulator
from tests.helpers.worlds import (
    NOW,
    ORG,
    SCOPES,
    SETTINGS,
    TOKEN,
    desired,
    org_config,
    org_world,
    team_names,
)

from .conftest import MakeClient, Recorder

READ_AT = datetime(2026, 11, 24, 12, tzinfo=UTC)
SEATS = "GET /orgs/{org}/copilot/billing/seats"
BILLING = "GET /orgs/{org}/copilot/billing"
EXCLUSION = "GET /orgs/{org}/copilot/content_exclusion"
TEAM_MEMBERS = "GET /orgs/{org}/teams/{team_slug}/members"
IS_MEMBER = "GET /orgs/{org}/members/{username}"
MEMBERS = "GET /orgs/{org}/members"


def small_world() -> dict[str, Any]:
    return {
        "now": NOW,
        "tokens": {TOKEN: {"login": "octo-admin", "scopes": SCOPES}},
        "orgs": {
            "Octo-Org": {
                "owners": ["octo-admin"],
                "members": ["octo-admin", "Alice", "bob", "carol", "dave", "erin"],
                "teams": {
                    "engineering": {"name": "Engineering", "members": ["Alice", "bob"]},
                    "design": {"name": "Design", "members": ["erin"]},
                },
                "selected_teams": ["engineering"],
                "selected_users": ["carol"],
                "seats": {
                    "carol": {
                        "created_at": "2026-01-02T03:04:05Z",
                        "last_activity_at": "2026-11-20T09:00:00Z",
                        "last_activity_editor": "vscode/1.95.0",
                    },
                    "dave": {"pending_cancellation_date": "2026-12-01"},
                },
                "content_exclusion": {"octo-repo": ["/secrets/**"]},
            }
        },
    }


def test_a_small_org_reads_into_the_whole_live_org(make_client: MakeClient) -> None:
    sim = Simulator(small_world())
    config = org_config(
        "octo-org", teams=["Design"], users=["carol", "dave", "mallory", "erin"], keep=["zed"]
    )

    state = read_live_state(make_client(sim.transport()), desired(config), now=READ_AT)

    seats = {s.login: s for s in state.orgs["octo-org"].seats.values()}
    assert state == LiveState(
        orgs={
            "octo-org": LiveOrg(
                org="Octo-Org",
                settings=SETTINGS,
                seat_breakdown={
                    "total": 4,
                    "added_this_cycle": 0,
                    "pending_invitation": 0,
                    "pending_cancellation": 1,
                    "active_this_cycle": 1,
                    "inactive_this_cycle": 3,
                },
                seats={
                    "alice": LiveSeat(
                        "Alice", seats["Alice"].created_at, "engineering", plan_type="business"
                    ),
                    "bob": LiveSeat(
                        "bob", seats["bob"].created_at, "engineering", plan_type="business"
                    ),
                    "carol": LiveSeat(
                        "carol",
                        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                        None,
                        last_activity_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
                        last_activity_editor="vscode/1.95.0",
                        plan_type="business",
                    ),
                    "dave": LiveSeat(
                        "dave",
                        seats["dave"].created_at,
                        None,
                        pending_cancellation_date=date(2026, 12, 1),
                        plan_type="business",
                    ),
                },
                team_members={
                    "design": frozenset({"erin"}),
                    "engineering": frozenset({"alice", "bob"}),
                },
                team_names={"design": "Design", "engineering": "engineering"},
                # dave's seat is pending, so he needs a membership check (he is a member);
                # erin is known from her team; mallory is not a member.
                non_members=frozenset({"mallory"}),
                content_exclusion={"octo-repo": ("/secrets/**",)},
            )
        },
        read_at=READ_AT,
    )
    assert all(s.created_at.tzinfo is not None for s in seats.values())


@pytest.mark.parametrize(("n_seats", "n_teams"), [(1, 0), (250, 3), (10_000, 20)])
def test_reading_an_org_costs_billing_seat_pages_team_pages_and_exclusion(
    make_client: MakeClient, n_seats: int, n_teams: int
) -> None:
    sim = Simulator(org_world(n_seats, n_teams))
    config = org_config(teams=team_names(n_teams), users=["user00000"])

    state = read_live_state(make_client(sim.transport()), desired(config), now=READ_AT)

    pages = math.ceil(n_seats / 100)
    expected = {BILLING: 1, SEATS: pages, EXCLUSION: 1} | (
        {TEAM_MEMBERS: n_teams} if n_teams else {}
    )
    assert sim.stats() == {
        "total": 2 + pages + n_teams,
        "mutations": 0,
        "not_modified": 0,
        "by_operation": expected,
    }
    live = state.orgs["octo-org"]
    assert (len(live.seats), len(live.team_members), live.non_members) == (
        n_seats,
        n_teams,
        frozenset(),
    )


def test_teams_seen_in_assigning_team_are_read_even_when_not_declared(
    make_client: MakeClient,
) -> None:
    sim = Simulator(org_world(300, 3))

    state = read_live_state(
        make_client(sim.transport()), desired(org_config(teams=["team-01"])), now=READ_AT
    )

    live = state.orgs["octo-org"]
    assert live.team_names == {"team-00": "team-00", "team-01": "team-01", "team-02": "team-02"}
    assert live.team_members["team-02"] == frozenset(f"user{i:05d}" for i in range(200, 300))


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        ({"seats": False}, {BILLING: 1, EXCLUSION: 1}),
        ({"seats": False, "content_exclusion": False}, {BILLING: 1}),
        ({"seats": False, "settings": False}, {EXCLUSION: 1}),
        ({"seats": False, "settings": False, "content_exclusion": False}, {}),
        ({"content_exclusion": False, "settings": False}, {BILLING: 1, SEATS: 3, TEAM_MEMBERS: 2}),
    ],
)
def test_a_section_that_is_not_managed_is_not_read(
    make_client: MakeClient, sections: dict[str, bool], expected: dict[str, int]
) -> None:
    sim = Simulator(org_world(250, 2))

    state = read_live_state(
        make_client(sim.transport()), desired(org_config(**sections)), now=READ_AT
    )

    assert sim.stats()["by_operation"] == expected
    live = state.orgs["octo-org"]
    assert (live.content_exclusion is None) == (sections.get("content_exclusion") is False)
    if sections.get("seats") is False:
        assert (live.seats, live.team_members, live.non_members) == ({}, {}, frozenset())


def test_a_declared_team_that_does_not_exist_names_the_team_and_its_place(
    make_client: MakeClient,
) -> None:
    sim = Simulator(org_world(10, 1))
    config = org_config(teams=["team-00", "platfrom"])

    with pytest.raises(NotFoundError) as caught:
        read_live_state(make_client(sim.transport()), desired(config), now=READ_AT)

    assert str(caught.value) == (
        "org.yaml:6:9: team platfrom does not exist in organization octo-org: fix the slug in "
        "seats.teams (the team's URL slug, not its display name), create the team, or remove it"
    )


def test_few_membership_candidates_are_checked_one_by_one(make_client: MakeClient) -> None:
    sim = Simulator(org_world(250, 1, extra_members=["newbie"]))
    config = org_config(teams=["team-00"], users=["newbie", "stranger", "user00150"])

    live = read_live_state(make_client(sim.transport()), desired(config), now=READ_AT).orgs[
        "octo-org"
    ]

    assert live.non_members == frozenset({"stranger"})
    assert sim.stats()["by_operation"][IS_MEMBER] == 2
    assert MEMBERS not in sim.stats()["by_operation"]


def test_many_membership_candidates_are_settled_by_listing_the_members(
    make_client: MakeClient,
) -> None:
    newcomers = [f"new{i:03d}" for i in range(120)]
    sim = Simulator(org_world(50, 0, extra_members=newcomers[:100]))
    config = org_config(users=newcomers)

    live = read_live_state(make_client(sim.transport()), desired(config), now=READ_AT).orgs[
        "octo-org"
    ]

    assert live.non_members == frozenset(newcomers[100:])
    # 151 members: two pages listed instead of 120 single checks.
    assert (sim.stats()["by_operation"].get(IS_MEMBER), sim.stats()["by_operation"][MEMBERS]) == (
        None,
        2,
    )


def test_listing_stops_after_the_first_page_when_single_checks_are_then_cheaper(
    make_client: MakeClient,
) -> None:
    # No seats, so no lower bound on the member count: 3 candidates against possibly one
    # page. The first page (of 3) holds aaron and abby; one check settles zora.
    others = [f"user{i:05d}" for i in range(250)]
    sim = Simulator(org_world(0, 0, extra_members=["aaron", "abby", *others]))
    config = org_config(users=["aaron", "abby", "zora"])

    live = read_live_state(make_client(sim.transport()), desired(config), now=READ_AT).orgs[
        "octo-org"
    ]

    assert live.non_members == frozenset({"zora"})
    ops = sim.stats()["by_operation"]
    assert (ops[MEMBERS], ops[IS_MEMBER]) == (1, 1)


def test_expired_users_and_active_seat_holders_need_no_membership_check(
    make_client: MakeClient,
) -> None:
    sim = Simulator(org_world(5, 0))
    expired = DeclaredUser("gone-contractor", Source("org.yaml", 3, 3), expires=date(2026, 11, 23))
    config = org_config(users=[expired, "user00001", "user00002"])

    live = read_live_state(make_client(sim.transport()), desired(config), now=READ_AT).orgs[
        "octo-org"
    ]

    assert (live.non_members, IS_MEMBER in sim.stats()["by_operation"]) == (frozenset(), False)


def test_concurrent_reads_return_the_same_state_with_the_same_requests(
    make_client: MakeClient,
) -> None:
    sim = Simulator(org_world(2_000, 5))
    config = org_config(teams=team_names(5), users=["stranger"])
    serial = read_live_state(make_client(sim.transport()), desired(config), now=READ_AT)
    serial_stats = sim.stats()
    sim.reset_stats()

    parallel = read_live_state(
        make_client(sim.transport(), concurrency=4), desired(config), now=READ_AT
    )

    assert (parallel, sim.stats()) == (serial, serial_stats)


def test_progress_reports_every_seat_page(make_client: MakeClient, recorder: Recorder) -> None:
    sim = Simulator(org_world(350, 0))

    read_live_state(make_client(sim.transport()), desired(org_config()), now=READ_AT)

    assert recorder.progress == [
        ("octo-org", 1, 4),
        ("octo-org", 2, 4),
        ("octo-org", 3, 4),
        ("octo-org", 4, 4),
    ]


def test_rereading_an_unchanged_org_with_the_cache_costs_only_304s(
    make_client: MakeClient, tmp_path: Path
) -> None:
    sim = Simulator(org_world(1_000, 4))
    config = desired(org_config(teams=team_names(4)))
    first = read_live_state(make_client(sim.transport(), cache_dir=tmp_path), config, now=READ_AT)
    sim.reset_stats()

    again = read_live_state(make_client(sim.transport(), cache_dir=tmp_path), config, now=READ_AT)

    stats = sim.stats()
    assert (again, stats["total"], stats["not_modified"]) == (first, 16, 16)


def test_the_org_key_is_the_configured_name_and_orgs_are_read_in_order(
    make_client: MakeClient,
) -> None:
    world = org_world(3, 0)
    world["orgs"]["second-org"] = {**world["orgs"][ORG], "content_exclusion": {}}
    sim = Simulator(world)
    config = desired(org_config("Second-Org", content_exclusion=True), org_config(ORG))

    state = read_live_state(make_client(sim.transport()), config, now=READ_AT)

    assert sorted(state.orgs) == ["octo-org", "second-org"]
    assert state.orgs["second-org"].content_exclusion == {}
