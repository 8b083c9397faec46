"""The wider GitHub API a reconciler reads: teams, team members and org membership."""

from __future__ import annotations

import httpx
from jsonschema import Draft202012Validator

from reconciler.simulator import Simulator
from tests.helpers.shapes import ORGANIZATION_FULL

from .conftest import ClientFactory, org_world


def test_the_organization_is_githubs_full_object_for_any_token(
    sim: Simulator, connect: ClientFactory
) -> None:
    answer = connect(sim, "stranger-token").get("/orgs/OCTO-ORG")  # public on GitHub
    assert answer.status_code == 200
    body = answer.json()
    assert list(Draft202012Validator(ORGANIZATION_FULL).iter_errors(body)) == []
    assert (body["login"], body["url"]) == ("octo-org", "https://api.github.com/orgs/octo-org")
    seat = connect(sim).get("/orgs/octo-org/copilot/billing/seats").json()["seats"][0]
    assert seat["organization"]["id"] == body["id"]


def test_an_unknown_organization_is_404_and_no_token_401(
    sim: Simulator, connect: ClientFactory
) -> None:
    assert connect(sim).get("/orgs/no-such-org").status_code == 404
    assert connect(sim, None).get("/orgs/octo-org").status_code == 401


def test_teams_list_in_githubs_shape(client: httpx.Client) -> None:
    teams = client.get("/orgs/octo-org/teams").json()
    assert [t["slug"] for t in teams] == ["engineering"]
    assert set(teams[0]) == {
        "id",
        "node_id",
        "url",
        "html_url",
        "name",
        "slug",
        "description",
        "privacy",
        "notification_setting",
        "permission",
        "members_url",
        "repositories_url",
        "parent",
        "type",
    }
    assert (teams[0]["name"], teams[0]["parent"], teams[0]["type"]) == (
        "Engineering",
        None,
        "organization",
    )


def test_one_team_carries_counts_and_its_org_and_unknown_is_404(client: httpx.Client) -> None:
    team = client.get("/orgs/octo-org/teams/ENGINEERING").json()
    assert (team["slug"], team["members_count"], team["organization"]["login"]) == (
        "engineering",
        2,
        "octo-org",
    )
    assert client.get("/orgs/octo-org/teams/ghosts").status_code == 404


def test_team_members_are_full_users(client: httpx.Client) -> None:
    members = client.get("/orgs/octo-org/teams/engineering/members").json()
    assert [m["login"] for m in members] == ["alice", "bob"]
    assert members[0]["type"] == "User"
    assert client.get("/orgs/octo-org/teams/ghosts/members").status_code == 404


def test_membership_check_is_204_or_404(client: httpx.Client) -> None:
    member = client.get("/orgs/octo-org/members/ALICE")
    assert (member.status_code, member.content) == (204, b"")
    assert client.get("/orgs/octo-org/members/mallory").status_code == 404


def test_ids_are_stable_integers_per_name(sim: Simulator, client: httpx.Client) -> None:
    first = client.get("/orgs/octo-org/members").json()
    with Simulator(org_world()) as other:
        again = httpx.Client(base_url="https://api.github.com", transport=other.transport())
        body = again.get(
            "/orgs/octo-org/members", headers={"Authorization": "Bearer demo-token"}
        ).json()
        again.close()
    assert [(u["login"], u["id"]) for u in first] == [(u["login"], u["id"]) for u in body]
    assert len({u["id"] for u in first}) == len(first)


def test_member_lists_page_by_30_with_links(sim: Simulator, client: httpx.Client) -> None:
    names = [f"user{i:02d}" for i in range(70)]
    sim.load_world(org_world(members=names))
    first = client.get("/orgs/octo-org/members")
    assert len(first.json()) == 30
    assert first.links["last"]["url"].endswith("per_page=30&page=3")
    everyone: list[str] = []
    url: str | None = "/orgs/octo-org/members?per_page=100"
    while url:
        page = client.get(url)
        everyone += [u["login"] for u in page.json()]
        url = page.links.get("next", {}).get("url")
    assert everyone == sorted([*names, "alice", "bob", "carol", "dave", "octo-admin"])


def test_members_of_an_org_may_read_its_teams_but_strangers_get_404(
    sim: Simulator, connect: ClientFactory
) -> None:
    assert connect(sim, "stranger-token").get("/orgs/octo-org/teams").status_code == 404
    answer = connect(sim, "bare-token").get("/orgs/octo-org/teams")
    assert (answer.status_code, answer.headers["x-accepted-oauth-scopes"]) == (403, "read:org")
