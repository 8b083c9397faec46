"""Typed pages: every seat and member page is validated, a bad one is an error naming the
place (never a partial read), and the ETag cache gives back what the network gave."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.errors import RemoteError
from reconciler.github import read_live_state
from reconciler.github.replies import parse_links
from reconciler.simulator import Simulator
from tests.helpers.worlds import desired, org_config, org_world, team_names

from .conftest import MakeClient

READ_AT = datetime(2026, 11, 24, 12, tzinfo=UTC)


def _seat(login: str, **extra: Any) -> dict[str, Any]:
    return {"created_at": "2026-01-01T00:00:00Z", "assignee": {"login": login}, **extra}


def _serving(body: Any) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(200, json=body))


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"seats": [_seat("a")]}, "missing required field `total_seats`"),
        ({"total_seats": "1", "seats": [_seat("a")]}, "`$.total_seats`"),
        ({"total_seats": 2, "seats": [_seat("a"), "b"]}, "`$.seats[1]`"),
        ({"total_seats": 1, "seats": [{"assignee": {"login": "a"}}]}, "`created_at`"),
        ({"total_seats": 1, "seats": [_seat("a", assignee={"login": 7})]},
         "`$.seats[0].assignee.login`"),
        ([_seat("a")], "Expected `object`, got `array`"),
    ],
)  # fmt: skip
def test_a_seat_page_of_the_wrong_shape_is_an_error_naming_the_place(
    make_client: MakeClient, body: Any, where: str
) -> None:
    with pytest.raises(RemoteError) as caught:
        make_client(_serving(body)).list_seats("octo-org")
    assert str(caught.value).startswith("a seat page of octo-org is malformed: ")
    assert where in str(caught.value)


def test_a_malformed_timestamp_is_an_error_naming_the_seat(make_client: MakeClient) -> None:
    page = {"total_seats": 1, "seats": [_seat("alice", created_at="yesterday")]}
    client = make_client(_serving(page))
    config = desired(org_config(settings=False, content_exclusion=False))
    with pytest.raises(RemoteError, match="octo-org: the seat of alice is malformed"):
        read_live_state(client, config, now=READ_AT)


def test_a_member_page_of_the_wrong_shape_is_an_error(make_client: MakeClient) -> None:
    client = make_client(_serving([{"login": "a"}, {"id": 2}]))
    with pytest.raises(RemoteError, match=r"members of team eng is malformed.*\$\[1\]"):
        client.list_team_members("octo-org", "eng")


def test_fields_not_used_are_dropped_and_absent_ones_stay_absent(make_client: MakeClient) -> None:
    seat = _seat("a", plan_type=None, assigning_team={"slug": "t", "url": "https://x"}, extra=1)
    seats, total = make_client(_serving({"total_seats": 1, "seats": [seat]})).list_seats("o")
    assert (seats, total) == (
        [
            {
                "created_at": "2026-01-01T00:00:00Z",
                "assignee": {"login": "a"},
                "assigning_team": {"slug": "t"},
                "plan_type": None,
            }
        ],
        1,
    )


def test_a_body_that_is_not_json_is_retried_as_truncated(make_client: MakeClient) -> None:
    answers = iter([b'{"total_seats": 1, "se', b'{"total_seats": 0, "seats": []}'])
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=next(answers)))
    assert make_client(transport).list_seats("octo-org") == ([], 0)


def test_a_cached_read_equals_the_network_read(make_client: MakeClient, tmp_path: Path) -> None:
    sim = Simulator(org_world(450, 2, team_size=150))
    config = desired(org_config(teams=team_names(2)))
    first = read_live_state(make_client(sim.transport(), cache_dir=tmp_path), config, now=READ_AT)
    sim.reset_stats()
    second = read_live_state(make_client(sim.transport(), cache_dir=tmp_path), config, now=READ_AT)
    assert second == first
    assert sim.stats()["not_modified"] == sim.stats()["total"] == 1 + 5 + 4 + 1


@pytest.mark.parametrize(
    "header",
    [
        '<https://api.github.com/x?page=2>; rel="next", <https://x/?page=9>; rel=last',
        '<http://a/b?c=1,2>; title="x"; rel=next',
        '<u1>; rel="prev", <u2>;rel="first", <u3>; rel="prev"',
        "",
    ],
)
def test_link_headers_parse_as_httpx_parses_them(header: str) -> None:
    parsed = httpx.Response(200, headers={"link": header}).links if header else {}
    assert parse_links(header) == {rel: v["url"] for rel, v in parsed.items() if rel and "url" in v}
