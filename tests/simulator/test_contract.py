"""The contract: every documented status code of every operation of the copied OpenAPI
document is produced by the simulator, and every body validates against the document's
schema (resolved with jsonschema + referencing) and against GitHub's stricter shapes."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import referencing
import yaml
from jsonschema import Draft202012Validator
from referencing.jsonschema import DRAFT202012

from reconciler.simulator import Simulator
from tests.helpers import shapes

from .conftest import BASE_WORLD, HEADERS

SPEC_PATH = Path(__file__).resolve().parents[2] / "schemas" / "github-copilot-api.openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
REGISTRY = referencing.Registry().with_resource("urn:spec", DRAFT202012.create_resource(SPEC))
METHODS = ("get", "post", "put", "delete", "patch")


def _pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def documented() -> list[tuple[str, str, str, str]]:
    """(operationId, method, path template, status) for every documented answer."""
    found = []
    for path, item in SPEC["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                for status in op["responses"]:
                    found.append((op["operationId"], method, path, str(status)))
    return found


def response_schema(method: str, path: str, status: str) -> dict[str, Any] | None:
    """A schema that $refs the documented JSON body of one answer, or None (no body)."""
    answer = SPEC["paths"][path][method]["responses"][status]
    where = _pointer("paths", path, method, "responses", status)
    if "$ref" in answer:
        name = answer["$ref"].rsplit("/", 1)[1]
        answer = SPEC["components"]["responses"][name]
        where = _pointer("components", "responses", name)
    if "content" not in answer:
        return None
    return {"$ref": "urn:spec#" + where + _pointer("content", "application/json", "schema")}


def validate(schema: dict[str, Any], body: Any) -> list[str]:
    validator = Draft202012Validator(
        schema, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]


# --------------------------------------------------------------------------- the requests


def contract_world() -> dict[str, Any]:
    """Before 2026-04-02 (so the metrics endpoints still answer), with a five-member team."""
    world = copy.deepcopy(BASE_WORLD)
    world["now"] = "2026-03-01T12:00:00Z"
    org = world["orgs"]["octo-org"]
    org["members"] += ["erin", "frank", "gina"]
    org["invitations"] = ["newbie"]
    org["teams"]["engineering"]["members"] = ["alice", "bob", "erin", "frank", "gina"]
    org["seats"]["dave"]["pending_cancellation_date"] = "2026-04-01"
    return world


Call = tuple[str, str, dict[str, Any]]  # method, URL, httpx keyword arguments
ORG = "/orgs/octo-org"
ENT = "/enterprises/octo-ent/copilot/metrics/reports"
DAY = {"params": {"day": "2026-02-20"}}
OLD = {"params": {"since": "2020-01-01"}}

SUCCESS: dict[str, Call] = {
    "getCopilotBillingForOrganization": ("GET", f"{ORG}/copilot/billing", {}),
    "listCopilotSeats": ("GET", f"{ORG}/copilot/billing/seats", {"params": {"per_page": 3}}),
    "addTeamsToCopilotSubscription": (
        "POST",
        f"{ORG}/copilot/billing/selected_teams",
        {"json": {"selected_teams": ["engineering"]}},
    ),
    "removeTeamsFromCopilotSubscription": (
        "DELETE",
        f"{ORG}/copilot/billing/selected_teams",
        {"json": {"selected_teams": ["engineering"]}},
    ),
    "addUsersToCopilotSubscription": (
        "POST",
        f"{ORG}/copilot/billing/selected_users",
        {"json": {"selected_usernames": ["octo-admin"]}},
    ),
    "removeUsersFromCopilotSubscription": (
        "DELETE",
        f"{ORG}/copilot/billing/selected_users",
        {"json": {"selected_usernames": ["carol"]}},
    ),
    "getCopilotSeatForUser": ("GET", f"{ORG}/members/alice/copilot", {}),
    "getCopilotMetricsForOrganization": ("GET", f"{ORG}/copilot/metrics", {}),
    "getCopilotMetricsForTeam": ("GET", f"{ORG}/team/engineering/copilot/metrics", {}),
    "getEnterpriseCopilotUsageDaily": ("GET", f"{ENT}/enterprise-1-day", DAY),
    "getEnterpriseCopilotUsage28Day": ("GET", f"{ENT}/enterprise-28-day/latest", {}),
    "getEnterpriseUsersCopilotUsageDaily": ("GET", f"{ENT}/users-1-day", DAY),
    "getEnterpriseUsersCopilotUsage28Day": ("GET", f"{ENT}/users-28-day/latest", {}),
    "getOrganizationCopilotUsageDaily": (
        "GET",
        f"{ORG}/copilot/metrics/reports/organization-1-day",
        DAY,
    ),
    "getOrganizationCopilotUsage28Day": (
        "GET",
        f"{ORG}/copilot/metrics/reports/organization-28-day/latest",
        {},
    ),
    "getOrganizationUsersCopilotUsageDaily": (
        "GET",
        f"{ORG}/copilot/metrics/reports/users-1-day",
        DAY,
    ),
    "getOrganizationUsersCopilotUsage28Day": (
        "GET",
        f"{ORG}/copilot/metrics/reports/users-28-day/latest",
        {},
    ),
    "getCopilotContentExclusionRules": ("GET", f"{ORG}/copilot/content_exclusion", {}),
    "setCopilotContentExclusionRules": (
        "PUT",
        f"{ORG}/copilot/content_exclusion",
        {"json": {"*": ["**/.env"], "octo-repo": ["/src/some-dir/kernel.rs"]}},
    ),
}

UNPROCESSABLE: dict[str, Call] = {
    "addTeamsToCopilotSubscription": (
        "POST",
        f"{ORG}/copilot/billing/selected_teams",
        {"json": {"selected_teams": ["ghosts"]}},
    ),
    "removeTeamsFromCopilotSubscription": (
        "DELETE",
        f"{ORG}/copilot/billing/selected_teams",
        {"json": {"selected_teams": []}},
    ),
    "addUsersToCopilotSubscription": (
        "POST",
        f"{ORG}/copilot/billing/selected_users",
        {"json": {"selected_usernames": ["mallory"]}},
    ),
    "removeUsersFromCopilotSubscription": (
        "DELETE",
        f"{ORG}/copilot/billing/selected_users",
        {"json": {"selected_usernames": ["bob"]}},  # a team-only seat
    ),
    "getCopilotSeatForUser": ("GET", f"{ORG}/members/newbie/copilot", {}),
    "getCopilotMetricsForOrganization": ("GET", f"{ORG}/copilot/metrics", OLD),
    "getCopilotMetricsForTeam": ("GET", f"{ORG}/team/engineering/copilot/metrics", OLD),
    "setCopilotContentExclusionRules": (
        "PUT",
        f"{ORG}/copilot/content_exclusion",
        {"json": ["/secrets/**"]},
    ),
}

TOO_LARGE: Call = (
    "PUT",
    f"{ORG}/copilot/content_exclusion",
    {"json": {"octo-repo": [f"/generated/{i:06d}/**" for i in range(12_000)]}},
)


def _nowhere(url: str) -> str:
    return url.replace("/orgs/octo-org/", "/orgs/no-such-org/").replace(
        "/enterprises/octo-ent/", "/enterprises/no-such-ent/"
    )


class Harness:
    """One simulator per test and a way to send a call with a chosen token."""

    def __init__(self) -> None:
        self.sim = Simulator(contract_world())
        self._clients: list[httpx.Client] = []

    def send(self, call: Call, token: str | None = "demo-token") -> httpx.Response:
        method, url, kwargs = call
        headers = dict(HEADERS)
        if token is None:
            del headers["Authorization"]
        else:
            headers["Authorization"] = f"Bearer {token}"
        client = httpx.Client(
            base_url="https://api.github.com", transport=self.sim.transport(), headers=headers
        )
        self._clients.append(client)
        return client.request(method, url, **kwargs)

    def answer(self, operation: str, status: str) -> httpx.Response:
        success = SUCCESS[operation]
        if status in ("200", "201"):
            return self.send(success)
        if status == "401":
            return self.send(success, token=None)
        if status == "403":
            return self.send(success, token="bare-token")
        if status == "404":
            return self.send((success[0], _nowhere(success[1]), success[2]))
        if status == "422":
            return self.send(UNPROCESSABLE[operation])
        if status == "413":
            return self.send(TOO_LARGE)
        if status == "500":
            # 5xx faults are drawn among 500/502/503/504: retry until a 500 comes up.
            self.sim.set_faults(error_rate=1.0, seed=1)
            for _ in range(50):
                answer = self.send(success)
                if answer.status_code == 500:
                    return answer
            raise AssertionError("no 500 in 50 faulted answers")
        raise KeyError(status)

    def close(self) -> None:
        for client in self._clients:
            client.close()


@pytest.fixture
def harness() -> Iterator[Harness]:
    made = Harness()
    yield made
    made.close()


STRICT: dict[str, Callable[[Any], dict[str, Any]]] = {
    "listCopilotSeats": lambda _: shapes.SEAT_LIST,
    "getCopilotSeatForUser": lambda _: shapes.SEAT,
    "getCopilotBillingForOrganization": lambda _: shapes.BILLING,
}


@pytest.mark.parametrize(
    ("operation", "method", "path", "status"),
    documented(),
    ids=[f"{op}-{status}" for op, _, _, status in documented()],
)
def test_every_documented_answer_is_served_and_matches_the_spec(
    harness: Harness, operation: str, method: str, path: str, status: str
) -> None:
    answer = harness.answer(operation, status)
    assert answer.status_code == int(status), answer.text
    schema = response_schema(method, path, status)
    assert schema is not None
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert validate(schema, body) == []
    if int(status) >= 400:
        assert validate(shapes.ERROR, body) == []
    elif operation in STRICT:
        assert validate(STRICT[operation](body), body) == []


def test_the_spec_documents_19_operations() -> None:
    assert len({op for op, _, _, _ in documented()}) == 19
    assert set(SUCCESS) == {op for op, _, _, _ in documented()}


def test_seat_objects_satisfy_both_schemas_with_and_without_a_team(harness: Harness) -> None:
    schema = response_schema("get", "/orgs/{org}/members/{username}/copilot", "200")
    assert schema is not None
    for login in ("alice", "carol", "dave"):  # team seat, direct seat, pending seat
        body = harness.send(("GET", f"{ORG}/members/{login}/copilot", {})).json()
        assert validate(schema, body) == []
        assert validate(shapes.SEAT, body) == []
    assert "assigning_team" not in harness.send(("GET", f"{ORG}/members/carol/copilot", {})).json()


def test_every_seat_of_every_page_satisfies_both_schemas(harness: Harness) -> None:
    schema = response_schema("get", "/orgs/{org}/copilot/billing/seats", "200")
    assert schema is not None
    url: str | None = f"{ORG}/copilot/billing/seats?per_page=2"
    pages = 0
    while url:
        answer = harness.send(("GET", url, {}))
        assert validate(schema, answer.json()) == []
        assert validate(shapes.SEAT_LIST, answer.json()) == []
        url = answer.links.get("next", {}).get("url")
        pages += 1
    assert pages == 4


def test_the_validation_rejects_what_the_spec_forbids() -> None:
    seats = response_schema("get", "/orgs/{org}/copilot/billing/seats", "200")
    assert seats is not None
    assert validate(seats, {"total_seats": 1, "seats": [{"created_at": "x"}]}) != []
    bad_seat = {"created_at": "2026-01-01T00:00:00Z", "assigning_team": None, "extra": 1}
    assert len(validate(shapes.SEAT, bad_seat)) == 2


def test_metrics_bodies_are_not_empty_before_the_closing(harness: Harness) -> None:
    for operation in ("getCopilotMetricsForOrganization", "getCopilotMetricsForTeam"):
        days = harness.send(SUCCESS[operation]).json()
        assert days[-1]["date"] == "2026-02-28"


def test_no_placeholder_example_value_is_ever_served(harness: Harness) -> None:
    texts = [harness.send(call).text for call in SUCCESS.values()]
    for text in texts:
        assert "example_value" not in text
        assert "www.example.com" not in text
        assert "abc123" not in text


def test_the_wider_github_endpoints_send_githubs_shapes(harness: Harness) -> None:
    teams = harness.send(("GET", f"{ORG}/teams", {})).json()
    assert all(validate(shapes.TEAM, t) == [] for t in teams)
    members = harness.send(("GET", f"{ORG}/teams/engineering/members", {})).json()
    assert all(validate(shapes.SIMPLE_USER, m) == [] for m in members)
    org_members = harness.send(("GET", f"{ORG}/members", {})).json()
    assert all(validate(shapes.SIMPLE_USER, m) == [] for m in org_members)
    team = harness.send(("GET", f"{ORG}/teams/engineering", {})).json()
    assert validate(shapes.TEAM, team) == []
    assert validate(shapes.ORGANIZATION, team["organization"]) == []
