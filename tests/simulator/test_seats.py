"""Seat semantics of api-semantics.md: grants, pending cancellation, reactivation, the four
mutations, their preconditions and counts, the seat list and billing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from reconciler.simulator import Simulator

from .conftest import ClientFactory, logins, org_world

SEATS = "/orgs/octo-org/copilot/billing/seats"
USERS = "/orgs/octo-org/copilot/billing/selected_users"
TEAMS = "/orgs/octo-org/copilot/billing/selected_teams"


def add_users(client: httpx.Client, *names: str) -> httpx.Response:
    return client.post(USERS, json={"selected_usernames": list(names)})


def remove_users(client: httpx.Client, *names: str) -> httpx.Response:
    return client.request("DELETE", USERS, json={"selected_usernames": list(names)})


def add_teams(client: httpx.Client, *names: str) -> httpx.Response:
    return client.post(TEAMS, json={"selected_teams": list(names)})


def remove_teams(client: httpx.Client, *names: str) -> httpx.Response:
    return client.request("DELETE", TEAMS, json={"selected_teams": list(names)})


def seat(client: httpx.Client, login: str) -> dict[str, Any]:
    answer = client.get(f"/orgs/octo-org/members/{login}/copilot")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_world_grants_give_active_seats_and_a_pending_seat_stays_listed(
    client: httpx.Client,
) -> None:
    assert logins(client) == {"alice": None, "bob": None, "carol": None, "dave": "2026-12-01"}
    assert client.get(SEATS).json()["total_seats"] == 4


def test_adding_a_user_creates_an_active_seat_dated_now(client: httpx.Client) -> None:
    answer = add_users(client, "octo-admin")
    assert (answer.status_code, answer.json()) == (201, {"seats_created": 1})
    assert seat(client, "octo-admin")["created_at"] == "2026-11-24T12:00:00Z"
    assert seat(client, "octo-admin")["pending_cancellation_date"] is None


def test_removing_the_last_grant_makes_the_seat_pending_until_the_next_cycle(
    client: httpx.Client,
) -> None:
    answer = remove_users(client, "carol")
    assert (answer.status_code, answer.json()) == (200, {"seats_cancelled": 1})
    assert seat(client, "carol")["pending_cancellation_date"] == "2026-12-01"
    assert client.get(SEATS).json()["total_seats"] == 4  # still billed


def test_a_pending_seat_disappears_when_the_clock_reaches_its_date(
    sim: Simulator, client: httpx.Client
) -> None:
    remove_users(client, "carol")
    sim.advance(6)  # 2026-11-30 12:00: still pending
    assert logins(client)["carol"] == "2026-12-01"
    sim.set_now(datetime(2026, 12, 1, tzinfo=UTC))
    assert logins(client) == {"alice": None, "bob": None}


def test_the_billing_cycle_is_a_calendar_month_in_utc(sim: Simulator, client: httpx.Client) -> None:
    sim.set_now(datetime(2026, 12, 31, 23, 59, tzinfo=UTC))
    remove_users(client, "carol")
    assert seat(client, "carol")["pending_cancellation_date"] == "2027-01-01"


def test_a_grant_on_a_pending_seat_reactivates_it_with_a_new_created_at(
    client: httpx.Client,
) -> None:
    answer = add_users(client, "DAVE")
    assert (answer.status_code, answer.json()) == (201, {"seats_created": 1})
    assert seat(client, "dave")["pending_cancellation_date"] is None
    assert seat(client, "dave")["created_at"] == "2026-11-24T12:00:00Z"


def test_repeating_a_mutation_is_allowed_and_counts_zero(client: httpx.Client) -> None:
    assert add_users(client, "carol").json() == {"seats_created": 0}
    assert add_teams(client, "engineering").json() == {"seats_created": 0}
    assert remove_users(client, "bob").status_code == 422  # team-only, see below
    remove_teams(client, "engineering")
    assert remove_teams(client, "engineering").json() == {"seats_cancelled": 0}


def test_selecting_a_team_grants_every_member_and_counts_new_seats(
    sim: Simulator, client: httpx.Client
) -> None:
    sim.load_world(org_world(selected_teams=[], seats={}))
    answer = add_teams(client, "Engineering")
    assert (answer.status_code, answer.json()) == (201, {"seats_created": 2})
    assert logins(client) == {"alice": None, "bob": None, "carol": None}


def test_unselecting_a_team_cancels_the_seats_it_alone_granted(client: httpx.Client) -> None:
    add_users(client, "alice")
    answer = remove_teams(client, "engineering")
    assert (answer.status_code, answer.json()) == (200, {"seats_cancelled": 1})
    assert logins(client) == {
        "alice": None,
        "bob": "2026-12-01",
        "carol": None,
        "dave": "2026-12-01",
    }


def test_removing_a_user_whose_seat_comes_only_from_a_team_is_refused_whole(
    client: httpx.Client,
) -> None:
    answer = remove_users(client, "carol", "bob")
    assert answer.status_code == 422
    assert [e["value"] for e in answer.json()["errors"]] == ["bob"]
    assert logins(client)["carol"] is None  # nothing changed


def test_a_user_with_direct_and_team_grants_keeps_the_seat_when_the_direct_one_goes(
    client: httpx.Client,
) -> None:
    add_users(client, "alice")
    assert remove_users(client, "alice").json() == {"seats_cancelled": 0}
    assert seat(client, "alice")["pending_cancellation_date"] is None


def test_assigning_team_appears_only_on_team_granted_seats(client: httpx.Client) -> None:
    assert "assigning_team" not in seat(client, "carol")
    assert seat(client, "alice")["assigning_team"]["slug"] == "engineering"
    add_users(client, "alice")  # direct and team: the API shows the team only
    assert seat(client, "alice")["assigning_team"]["slug"] == "engineering"


def test_assigning_team_is_the_first_granting_team_alphabetically(
    sim: Simulator, client: httpx.Client
) -> None:
    sim.load_world(
        org_world(
            teams={
                "zeta": {"members": ["alice"]},
                "alpha": {"members": ["alice"]},
                "mid": {"members": ["alice"]},
            },
            selected_teams=["zeta", "mid"],
            seats={},
        )
    )
    assert seat(client, "alice")["assigning_team"]["slug"] == "mid"


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("seat_management_setting", "assign_all"),
        ("seat_management_setting", "unconfigured"),
        ("seat_management_setting", "disabled"),
        ("public_code_suggestions", "unconfigured"),
    ],
)
def test_mutations_are_refused_under_settings_that_forbid_them(
    sim: Simulator, client: httpx.Client, setting: str, value: str
) -> None:
    world = org_world()
    world["orgs"]["octo-org"].setdefault("settings", {})[setting] = value
    sim.load_world(world)
    before = logins(client)
    statuses = [
        add_users(client, "dave").status_code,
        remove_users(client, "carol").status_code,
        add_teams(client, "engineering").status_code,
        remove_teams(client, "engineering").status_code,
    ]
    assert statuses == [422, 422, 422, 422]
    assert logins(client) == before


@pytest.mark.parametrize(
    "body",
    [
        {"selected_usernames": []},
        {"selected_usernames": "alice"},
        {"selected_usernames": [1]},
        {"users": ["alice"]},
        ["alice"],
    ],
)
def test_a_body_that_is_not_the_documented_object_is_422(client: httpx.Client, body: Any) -> None:
    answer = client.post(USERS, json=body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "selected_usernames"


def test_unparseable_json_is_422_problems_parsing_json(client: httpx.Client) -> None:
    answer = client.post(USERS, content=b"{nope")
    assert (answer.status_code, answer.json()["message"]) == (422, "Problems parsing JSON")


def test_non_members_are_refused_by_name_and_nothing_changes(client: httpx.Client) -> None:
    answer = add_users(client, "octo-admin", "mallory", "eve")
    assert answer.status_code == 422
    assert [e["value"] for e in answer.json()["errors"]] == ["mallory", "eve"]
    assert "octo-admin" not in logins(client)


def test_unknown_teams_are_refused_by_name(client: httpx.Client) -> None:
    answer = add_teams(client, "engineering", "ghosts")
    assert answer.status_code == 422
    assert [e["value"] for e in answer.json()["errors"]] == ["ghosts"]


def test_names_compare_caselessly_and_answers_echo_the_canonical_case(
    client: httpx.Client,
) -> None:
    assert add_users(client, "Octo-Admin", "OCTO-ADMIN").json() == {"seats_created": 1}
    assert seat(client, "OCTO-admin")["assignee"]["login"] == "octo-admin"
    answer = client.get("/orgs/OCTO-ORG/copilot/billing/seats")
    assert answer.json()["seats"][0]["organization"]["login"] == "octo-org"


def test_seat_of_a_member_without_one_is_404_and_of_an_invitee_422(
    sim: Simulator, client: httpx.Client
) -> None:
    sim.load_world(org_world(invitations=["newbie"]))
    assert client.get("/orgs/octo-org/members/octo-admin/copilot").status_code == 404
    assert client.get("/orgs/octo-org/members/nobody/copilot").status_code == 404
    assert client.get("/orgs/octo-org/members/newbie/copilot").status_code == 422


def test_the_seat_breakdown_is_computed_from_the_seats(
    sim: Simulator, client: httpx.Client
) -> None:
    add_users(client, "octo-admin")  # added this cycle
    body = client.get("/orgs/octo-org/copilot/billing").json()
    assert body == {
        "seat_breakdown": {
            "total": 5,
            "added_this_cycle": 1,
            "pending_invitation": 0,
            "pending_cancellation": 1,
            "active_this_cycle": 1,  # carol used Copilot on 2026-11-20
            "inactive_this_cycle": 4,
        },
        "seat_management_setting": "assign_selected",
        "ide_chat": "enabled",
        "platform_chat": "enabled",
        "cli": "enabled",
        "public_code_suggestions": "block",
        "plan_type": "business",
    }


def test_seat_list_pages_default_to_50_cap_at_100_and_link_every_page(
    sim: Simulator, client: httpx.Client
) -> None:
    names = [f"user{i:03d}" for i in range(120)]
    sim.load_world(
        org_world(members=names, selected_users=names, teams={}, selected_teams=[], seats={})
    )
    first = client.get(SEATS)
    assert (len(first.json()["seats"]), first.json()["total_seats"]) == (50, 120)
    assert set(first.links) == {"next", "last"}
    assert first.links["last"]["url"].endswith("per_page=50&page=3")
    capped = client.get(SEATS, params={"per_page": 500})
    assert len(capped.json()["seats"]) == 100
    middle = client.get(SEATS, params={"per_page": 50, "page": 2})
    assert set(middle.links) == {"next", "last", "first", "prev"}
    last = client.get(middle.links["last"]["url"])
    assert (len(last.json()["seats"]), set(last.links)) == (20, {"first", "prev"})
    assert sorted(logins(client)) == names


def test_one_page_holding_everything_has_no_link_header(client: httpx.Client) -> None:
    assert "link" not in client.get(SEATS).headers


def test_pending_invitation_counts_zero_and_team_membership_changes_grant_at_once(
    sim: Simulator, client: httpx.Client
) -> None:
    sim.add_team_member("octo-org", "Engineering", "octo-admin")
    assert seat(client, "octo-admin")["assigning_team"]["slug"] == "engineering"
    sim.remove_team_member("octo-org", "engineering", "octo-admin")
    assert seat(client, "octo-admin")["pending_cancellation_date"] == "2026-12-01"


def test_mutations_need_the_manage_billing_scope(sim: Simulator, connect: ClientFactory) -> None:
    reader = connect(sim, "read-token")
    answer = add_users(reader, "dave")
    assert answer.status_code == 403
    assert answer.headers["x-accepted-oauth-scopes"] == "manage_billing:copilot"
    assert reader.get(SEATS).status_code == 200  # reads accept read:org
