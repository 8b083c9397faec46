"""Legacy metrics (open before 2026-04-02, 404 after) and usage reports with signed links."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from reconciler.simulator import Simulator

from .conftest import ClientFactory, org_world

METRICS = "/orgs/octo-org/copilot/metrics"
REPORTS = "/orgs/octo-org/copilot/metrics/reports"


def metrics_world(now: str = "2026-03-01T00:00:00Z", holders: int = 6) -> dict[str, Any]:
    names = [f"dev{i}" for i in range(holders)]
    # Seats granted on staggered days: dev0 on 2026-01-01, dev1 a day later, and so on.
    seats = {n: {"created_at": f"2026-01-{i + 1:02d}T00:00:00Z"} for i, n in enumerate(names)}
    world = org_world(
        members=names,
        teams={"core": {"members": names[:5]}, "tiny": {"members": names[:2]}},
        selected_teams=[],
        selected_users=names,
        seats=seats,
    )
    world["now"] = now
    return world


@pytest.fixture
def metrics_client(connect: ClientFactory) -> tuple[Simulator, httpx.Client]:
    sim = Simulator(metrics_world())
    return sim, connect(sim)


def test_metrics_report_only_days_with_at_least_five_licensed_members(
    metrics_client: tuple[Simulator, httpx.Client],
) -> None:
    _, client = metrics_client
    days = client.get(METRICS, params={"since": "2026-01-01", "until": "2026-01-10"}).json()
    # The fifth seat arrived on 2026-01-05.
    assert [d["date"] for d in days] == [f"2026-01-{d:02d}" for d in range(5, 11)]
    assert all(d["total_active_users"] <= 6 for d in days)
    team = client.get("/orgs/octo-org/team/core/copilot/metrics", params={"since": "2026-01-01"})
    assert team.json()[0]["date"] == "2026-01-05"
    assert client.get("/orgs/octo-org/team/tiny/copilot/metrics").json() == []


def test_metrics_default_to_28_days_up_to_yesterday_and_are_deterministic(
    metrics_client: tuple[Simulator, httpx.Client],
) -> None:
    _, client = metrics_client
    days = client.get(METRICS).json()
    assert (days[0]["date"], days[-1]["date"], len(days)) == ("2026-02-01", "2026-02-28", 28)
    assert client.get(METRICS).json() == days


def test_metrics_since_more_than_100_days_back_is_422(
    metrics_client: tuple[Simulator, httpx.Client],
) -> None:
    _, client = metrics_client
    assert client.get(METRICS, params={"since": "2025-11-21"}).status_code == 200
    assert client.get(METRICS, params={"since": "2025-11-20"}).status_code == 422
    assert client.get(METRICS, params={"since": "someday"}).status_code == 422


def test_metrics_days_are_paginated(metrics_client: tuple[Simulator, httpx.Client]) -> None:
    _, client = metrics_client
    first = client.get(METRICS, params={"per_page": 10})
    assert len(first.json()) == 10
    assert first.links["last"]["url"].endswith("per_page=10&page=3")


def test_metrics_are_closed_from_2026_04_02_pointing_to_the_reports(
    metrics_client: tuple[Simulator, httpx.Client],
) -> None:
    sim, client = metrics_client
    sim.set_now(datetime(2026, 4, 1, 23, 59, tzinfo=UTC))
    assert client.get(METRICS).status_code == 200
    sim.set_now(datetime(2026, 4, 2, tzinfo=UTC))
    for path in (METRICS, "/orgs/octo-org/team/core/copilot/metrics"):
        answer = client.get(path)
        assert answer.status_code == 404
        assert "usage metrics reports" in answer.json()["message"]


# --------------------------------------------------------------------------- reports


def test_a_daily_user_report_links_to_ndjson_fetched_without_a_token(
    sim: Simulator, client: httpx.Client
) -> None:
    answer = client.get(f"{REPORTS}/users-1-day", params={"day": "2026-11-20"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["report_day"] == "2026-11-20"
    (link,) = body["download_links"]
    assert link.startswith("https://api.github.com/_simulator/reports/")
    before = sim.stats()
    with httpx.Client(transport=sim.transport()) as anonymous:
        download = anonymous.get(link)
    assert download.status_code == 200
    rows = [json.loads(line) for line in download.text.splitlines()]
    assert {r["day"] for r in rows} == {"2026-11-20"}
    assert {r["user_login"] for r in rows} <= {"alice", "bob", "carol", "dave"}
    assert {"user_login", "day", "used_chat", "used_agent", "totals_by_ide"} <= set(rows[0])
    assert sim.stats() == before  # downloads are storage, not API requests


def test_org_level_files_are_one_json_object_with_day_totals(
    sim: Simulator, client: httpx.Client
) -> None:
    body = client.get(f"{REPORTS}/organization-28-day/latest").json()
    assert (body["report_start_day"], body["report_end_day"]) == ("2026-10-27", "2026-11-23")
    report = client.get(body["download_links"][0]).json()
    assert [d["day"] for d in report["day_totals"]][:2] == ["2026-10-27", "2026-10-28"]
    assert len(report["day_totals"]) == 28


def test_the_totals_agree_with_the_user_level_files(client: httpx.Client) -> None:
    users = client.get(f"{REPORTS}/users-1-day", params={"day": "2026-11-20"}).json()
    totals = client.get(f"{REPORTS}/organization-1-day", params={"day": "2026-11-20"}).json()
    rows = client.get(users["download_links"][0]).text.splitlines()
    day = client.get(totals["download_links"][0]).json()["day_totals"][0]
    assert day["daily_active_users"] == len(rows)


def test_a_day_not_yet_published_is_204_and_one_out_of_range_404(
    sim: Simulator, client: httpx.Client
) -> None:
    path = f"{REPORTS}/users-1-day"
    assert client.get(path, params={"day": "2026-11-24"}).status_code == 204
    assert client.get(path, params={"day": "2025-11-24"}).status_code == 200  # a year back
    assert client.get(path, params={"day": "2025-11-23"}).status_code == 404
    assert client.get(path, params={"day": "tomorrow"}).status_code == 422
    sim.set_now(datetime(2026, 3, 1, tzinfo=UTC))
    assert client.get(path, params={"day": "2025-10-10"}).status_code == 200  # the first day
    assert client.get(path, params={"day": "2025-10-09"}).status_code == 404


def test_links_expire_on_the_simulator_clock_and_signatures_are_checked(
    sim: Simulator, client: httpx.Client
) -> None:
    (link,) = client.get(f"{REPORTS}/users-28-day/latest").json()["download_links"]
    assert client.get(link.replace("sig=", "sig=0")).status_code == 403
    assert client.get(link.replace("part-1", "part-2")).status_code == 403
    sim.advance(1 / 24 + 0.001)
    expired = client.get(link)
    assert (expired.status_code, expired.headers["content-type"]) == (403, "application/xml")


def test_a_large_org_gets_one_user_file_per_thousand_users(connect: ClientFactory) -> None:
    names = [f"u{i:04d}" for i in range(2500)]
    sim = Simulator(org_world(members=names, selected_users=names, seats={}))
    client = connect(sim)
    links = client.get(f"{REPORTS}/users-1-day", params={"day": "2026-11-01"}).json()
    assert len(links["download_links"]) == 3
    holders = sorted([*names, "alice", "bob", "carol", "dave"])
    last = client.get(links["download_links"][2]).text.splitlines()
    assert {json.loads(r)["user_login"] for r in last} <= set(holders[2000:])
    assert len({json.loads(r)["user_login"] for r in last}) > 300


def test_enterprise_reports_need_an_enterprise_owner(
    sim: Simulator, connect: ClientFactory
) -> None:
    owner = connect(sim, "ent-token")
    path = "/enterprises/octo-ent/copilot/metrics/reports/enterprise-1-day"
    answer = owner.get(path, params={"day": "2026-11-20"})
    assert answer.status_code == 200
    report = owner.get(answer.json()["download_links"][0]).json()
    assert report["enterprise_slug"] == "octo-ent"
    assert connect(sim, "stranger-token").get(path, params={"day": "2026-11-20"}).status_code == 404
    users = owner.get("/enterprises/octo-ent/copilot/metrics/reports/users-28-day/latest")
    assert users.status_code == 200


def test_users_per_file_and_link_lifetime_are_settings(
    sim: Simulator, client: httpx.Client
) -> None:
    sim.set_faults(report_users_per_file=2, report_link_lifetime_s=0)
    links = client.get(f"{REPORTS}/users-1-day", params={"day": "2026-11-20"}).json()
    # carol and dave hold seats besides alice and bob: 4 holders, 2 per file.
    assert len(links["download_links"]) == 2
    assert client.get(links["download_links"][0]).status_code == 403  # expired at once
    sim.set_faults(report_users_per_file=2)
    links = client.get(f"{REPORTS}/users-1-day", params={"day": "2026-11-20"}).json()
    files = [client.get(link).text.splitlines() for link in links["download_links"]]
    logins = [{json.loads(row)["user_login"] for row in rows} for rows in files]
    assert logins[0] <= {"alice", "bob"}
    assert logins[1] <= {"carol", "dave"}


def test_user_days_carry_cli_use_and_languages(client: httpx.Client) -> None:
    links = client.get(f"{REPORTS}/users-28-day/latest").json()["download_links"]
    rows = [json.loads(row) for row in client.get(links[0]).text.splitlines()]
    assert any(row["used_cli"] for row in rows)
    assert all(row["totals_by_language_feature"] for row in rows)
    total = client.get(
        client.get(f"{REPORTS}/organization-28-day/latest").json()["download_links"][0]
    )
    cli_users = sum(day["cli_users"] for day in total.json()["day_totals"])
    assert cli_users == sum(1 for row in rows if row["used_cli"])
