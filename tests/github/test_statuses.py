"""Each failing answer maps once to an actionable error of the tree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from reconciler.errors import (
    AuthenticationError,
    ForbiddenError,
    NotFoundError,
    PayloadTooLargeError,
    PreconditionError,
    RateLimitError,
    RemoteError,
)
from reconciler.github import TokenAuth
from reconciler.github.statuses import error_for_response, rate_limit_kind
from reconciler.simulator import Simulator
from tests.helpers.worlds import org_world

from .conftest import MakeClient


@pytest.fixture
def sim() -> Simulator:
    world = org_world(5, 1)
    world["orgs"]["other-org"] = {"owners": ["someone"], "members": ["someone"]}
    world["tokens"]["read-only"] = {"login": "octo-admin", "scopes": ["read:org"]}
    return Simulator(world)


def failure(call: Callable[[], Any]) -> tuple[type[Exception], int | None, str]:
    with pytest.raises(RemoteError) as caught:
        call()
    return type(caught.value), caught.value.status, str(caught.value)


def test_401_says_the_token_is_invalid_and_where_it_came_from(
    sim: Simulator, make_client: MakeClient
) -> None:
    client = make_client(
        sim.transport(), auth=TokenAuth("wrong", source="the token from $GH_TOKEN")
    )

    assert failure(lambda: client.get_billing("octo-org")) == (
        AuthenticationError,
        401,
        "GET /orgs/octo-org/copilot/billing: 401 Bad credentials: the token from $GH_TOKEN is "
        "invalid or expired; create a new token with the scopes manage_billing:copilot and "
        "read:org (plus copilot to write content exclusion) and set it again",
    )


def test_403_names_the_missing_scope(sim: Simulator, make_client: MakeClient) -> None:
    client = make_client(
        sim.transport(), auth=TokenAuth("read-only", source="the token from $GITHUB_TOKEN")
    )

    assert failure(lambda: client.set_content_exclusion("octo-org", {})) == (
        ForbiddenError,
        403,
        "PUT /orgs/octo-org/copilot/content_exclusion: 403 Your token has not been granted the "
        "required scopes to execute this query. It needs one of: copilot: the token from "
        "$GITHUB_TOKEN lacks the scope copilot (this call accepts: copilot; the token has: "
        "read:org); add it to the token",
    )


def test_404_on_an_org_says_not_found_or_not_an_owner(
    sim: Simulator, make_client: MakeClient
) -> None:
    client = make_client(sim.transport())

    assert failure(lambda: client.get_billing("other-org")) == (
        NotFoundError,
        404,
        "GET /orgs/other-org/copilot/billing: 404: organization other-org not found, or the "
        "token's user is not an owner of it",
    )


def test_404_on_a_team_names_the_team(sim: Simulator, make_client: MakeClient) -> None:
    client = make_client(sim.transport())

    assert failure(lambda: client.list_team_members("octo-org", "ghosts")) == (
        NotFoundError,
        404,
        "GET /orgs/octo-org/teams/ghosts/members?per_page=100: 404: team ghosts not found in "
        "organization octo-org",
    )


def test_a_team_or_member_that_does_not_exist_is_none_or_false(
    sim: Simulator, make_client: MakeClient
) -> None:
    client = make_client(sim.transport())

    assert (client.get_team("octo-org", "ghosts"), client.is_org_member("octo-org", "ghost")) == (
        None,
        False,
    )
    assert (client.get_team("octo-org", "TEAM-00") or {}).get("slug") == "team-00"


def test_422_explains_the_setting_to_change(make_client: MakeClient) -> None:
    world = org_world(5, 0)
    world["orgs"]["octo-org"].setdefault("settings", {})["seat_management_setting"] = "assign_all"
    client = make_client(Simulator(world).transport())

    kind, status, message = failure(lambda: client.add_users("octo-org", ["user00001"]))

    assert (kind, status) == (PreconditionError, 422)
    assert message.startswith("POST /orgs/octo-org/copilot/billing/selected_users: 422 ")
    assert message.endswith(
        ": set the organization's Copilot access to selected members (seat_management_setting "
        "assign_selected: Organization settings → Copilot → Access); seats cannot be assigned "
        "while it is assign_all, unconfigured or disabled"
    )


def test_422_includes_the_apis_errors(sim: Simulator, make_client: MakeClient) -> None:
    client = make_client(sim.transport())

    assert failure(lambda: client.add_users("octo-org", ["ghost"])) == (
        PreconditionError,
        422,
        "POST /orgs/octo-org/copilot/billing/selected_users: 422 The following users are not "
        "members of the organization: ghost (ghost is not a member of octo-org): invite the "
        "user to the organization first, or remove them from the configuration",
    )


def test_422_for_a_team_granted_seat_says_to_change_the_team(
    sim: Simulator, make_client: MakeClient
) -> None:
    client = make_client(sim.transport())

    kind, _status, message = failure(lambda: client.remove_users("octo-org", ["user00000"]))

    assert kind is PreconditionError
    assert message.endswith(
        ": the seat comes from a team: remove the user from that team, or unselect the team, "
        "instead of removing the user directly"
    )


def test_413_says_the_exclusion_map_is_too_large(sim: Simulator, make_client: MakeClient) -> None:
    client = make_client(sim.transport())
    rules = {f"repo-{i}": [f"/very/long/path/{j}/**" for j in range(100)] for i in range(200)}

    kind, status, message = failure(lambda: client.set_content_exclusion("octo-org", rules))

    assert (kind, status) == (PayloadTooLargeError, 413)
    assert message.endswith(
        ": the content-exclusion map of octo-org is larger than the API accepts; use fewer or "
        "broader patterns (for example one `**` pattern instead of many files)"
    )


def _answer(status: int, body: Any = None, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body or {}, headers=headers)


@pytest.mark.parametrize(
    ("response", "kind"),
    [
        (
            _answer(403, {"message": "API rate limit exceeded"}, **{"x-ratelimit-remaining": "0"}),
            "primary",
        ),
        (_answer(429, {"message": "x"}, **{"x-ratelimit-remaining": "0"}), "primary"),
        (_answer(403, {"message": "You have exceeded a secondary rate limit."}), "secondary"),
        (_answer(429, {"message": "Too many requests"}), "secondary"),
        (_answer(403, {"message": "Must have admin rights"}, **{"retry-after": "5"}), "secondary"),
        (
            _answer(403, {"message": "Must have admin rights"}, **{"x-ratelimit-remaining": "12"}),
            None,
        ),
        (_answer(500, {"message": "x"}, **{"x-ratelimit-remaining": "0"}), None),
    ],
)
def test_rate_limits_are_recognised_by_headers_and_message(
    response: httpx.Response, kind: str | None
) -> None:
    assert rate_limit_kind(response) == kind


def test_403_without_scope_headers_points_at_ownership_and_app_permissions() -> None:
    error = error_for_response(
        _answer(403, {"message": "Resource not accessible by integration"}),
        what="GET /orgs/o/copilot/billing",
        org="o",
        auth_description="the installation token of GitHub App 1",
        scrub=str,
    )

    assert (type(error), str(error)) == (
        ForbiddenError,
        "GET /orgs/o/copilot/billing: 403 Resource not accessible by integration: the "
        "installation token of GitHub App 1 may not do this; the token's user must be an owner "
        "of o (a fine-grained token or an App needs the 'GitHub Copilot Business' organization "
        "permission)",
    )


def test_a_rate_limit_that_reaches_the_mapping_is_a_rate_limit_error() -> None:
    error = error_for_response(
        _answer(429, {"message": "Too many requests"}),
        what="GET /x",
        org=None,
        auth_description="the token",
        scrub=str,
    )

    assert (type(error), str(error)) == (
        RateLimitError,
        "GET /x: 429 Too many requests: the API rate limit did not clear; retry later",
    )


def test_422_for_unconfigured_public_code_suggestions_says_which_policy_to_set() -> None:
    body = {
        "message": "Validation Failed",
        "errors": [
            {
                "resource": "Copilot",
                "code": "invalid",
                "message": "public_code_suggestions is unconfigured",
            }
        ],
    }
    error = error_for_response(
        _answer(422, body), what="POST /x", org="o", auth_description="t", scrub=str
    )

    assert str(error) == (
        "POST /x: 422 Validation Failed (public_code_suggestions is unconfigured): choose a "
        "policy for suggestions matching public code (Organization settings → Copilot → "
        "Policies); it must not be unconfigured before seats can be assigned"
    )
