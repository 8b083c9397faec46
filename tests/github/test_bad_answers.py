"""Answers that are 200 but unusable are errors, never an empty state (issue 10, point 7)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from reconciler.errors import RemoteError
from reconciler.github import read_live_state
from reconciler.simulator import Simulator
from tests.helpers.worlds import ORG, desired, org_config, org_world

from .conftest import MakeClient

EXCLUSION_PATH = f"/orgs/{ORG}/copilot/content_exclusion"


class RewriteExclusion(httpx.BaseTransport):
    """The simulator's transport, except that a GET of the content-exclusion map answers 200
    with ``body`` (what a broken proxy or a truncating gateway might send)."""

    def __init__(self, inner: httpx.BaseTransport, body: bytes) -> None:
        self._inner = inner
        self._body = body
        self.rewritten = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if request.url.path != EXCLUSION_PATH or request.method != "GET":
            return response
        response.read()
        self.rewritten += 1
        headers = {"content-type": "application/json"}
        return httpx.Response(200, headers=headers, content=self._body, request=request)


BAD_BODIES = [b"", b"null", b"[]", b'"rules"', b"42"]


@pytest.mark.parametrize("body", BAD_BODIES, ids=["empty", "null", "list", "string", "number"])
def test_a_content_exclusion_answer_that_is_not_an_object_is_an_error_naming_the_org(
    make_client: MakeClient, body: bytes
) -> None:
    transport = RewriteExclusion(Simulator(org_world(3, 0)).transport(), body)
    client = make_client(transport)
    with pytest.raises(RemoteError, match=f"the content exclusion of {ORG} is not a JSON object"):
        client.get_content_exclusion(ORG)
    assert transport.rewritten >= 1


def test_the_reader_never_turns_a_null_answer_into_an_empty_map(make_client: MakeClient) -> None:
    transport = RewriteExclusion(Simulator(org_world(3, 0)).transport(), b"null")
    client = make_client(transport)
    with pytest.raises(RemoteError, match=ORG):
        read_live_state(client, desired(org_config()), now=datetime(2026, 11, 24, tzinfo=UTC))


def test_an_empty_object_is_still_an_empty_map(make_client: MakeClient) -> None:
    transport = RewriteExclusion(Simulator(org_world(3, 0)).transport(), b"{}")
    assert make_client(transport).get_content_exclusion(ORG) == {}
