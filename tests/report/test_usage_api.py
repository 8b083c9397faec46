"""reconciler.github.usage against the simulator: legacy metrics and usage reports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from reconciler.github import ClientSettings, GitHubClient, TokenAuth
from reconciler.github.usage import (
    LegacyMetrics,
    ReportFiles,
    Unavailable,
    get_user_seat,
    legacy_metrics,
    usage_report,
)
from reconciler.report.usage import TotalsSums, UserSums
from reconciler.simulator import Simulator

from .conftest import TOKEN, Wire

BEFORE_CLOSING = datetime(2026, 3, 20, 12, tzinfo=UTC)


def _no_file(_content: bytes) -> None:
    raise AssertionError("no report file was expected")


def test_the_seat_of_one_user_is_one_request(api: GitHubClient, sim: Simulator) -> None:
    seat = get_user_seat(api, "octo-org", "alice")
    assert seat is not None
    assert seat["assigning_team"]["slug"] == "engineering"
    assert get_user_seat(api, "octo-org", "nobody") is None  # 404: explained, not raised
    assert sim.stats()["total"] == 2


def test_legacy_metrics_keep_only_days_with_five_seat_holders(
    api: GitHubClient, sim: Simulator
) -> None:
    sim.set_now(BEFORE_CLOSING)
    org = legacy_metrics(api, "octo-org", since=date(2026, 3, 1))
    assert isinstance(org, LegacyMetrics)
    assert len(org.days) == 19  # 2026-03-01 .. 2026-03-19: eight holders every day
    # design has one member: GitHub reports no day for it (the five-member rule).
    design = legacy_metrics(api, "octo-org", "design", since=date(2026, 3, 1))
    assert isinstance(design, LegacyMetrics)
    assert design.days == ()
    team = legacy_metrics(api, "octo-org", "engineering", since=date(2026, 3, 1))
    assert isinstance(team, LegacyMetrics)
    assert len(team.days) == 19


def test_legacy_metrics_reach_back_100_days_and_no_further(
    api: GitHubClient, sim: Simulator
) -> None:
    sim.set_now(BEFORE_CLOSING)
    full = legacy_metrics(api, "octo-org", since=date(2025, 12, 10))  # 100 days back
    assert isinstance(full, LegacyMetrics)
    assert len(full.days) == 100
    too_far = legacy_metrics(api, "octo-org", since=date(2025, 12, 9))
    assert isinstance(too_far, Unavailable)
    assert "refused (422)" in too_far.reason
    assert "100 days" in too_far.reason


def test_legacy_metrics_follow_every_page_of_days(api: GitHubClient, sim: Simulator) -> None:
    sim.set_now(BEFORE_CLOSING)
    sim.reset_stats()
    paged = legacy_metrics(api, "octo-org", since=date(2026, 1, 1), per_page=10)
    assert isinstance(paged, LegacyMetrics)
    assert paged.pages == 8  # 78 days in pages of 10
    assert sim.stats()["total"] == 8
    whole = legacy_metrics(api, "octo-org", since=date(2026, 1, 1))
    assert isinstance(whole, LegacyMetrics)
    assert paged.days == whole.days


def test_legacy_metrics_closed_on_2026_04_02_point_to_the_reports(api: GitHubClient) -> None:
    closed = legacy_metrics(api, "octo-org")  # the world's clock: 2026-11-24
    assert isinstance(closed, Unavailable)
    assert "closed the legacy metrics endpoints on 2026-04-02" in closed.reason
    assert "usage reports" in closed.reason


def test_report_links_are_downloaded_without_the_token(api: GitHubClient, wire: Wire) -> None:
    got = usage_report(api, "org", "octo-org", "users", consume=lambda _content: None)
    assert isinstance(got, ReportFiles)
    downloads = [r for r in wire.requests if "/_simulator/reports/" in r.url.path]
    api_calls = [r for r in wire.requests if "/_simulator/reports/" not in r.url.path]
    assert len(downloads) == 1
    assert "authorization" not in downloads[0].headers
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in api_calls)
    assert TOKEN not in str(downloads[0].url)


def test_every_download_link_of_a_report_is_followed(api: GitHubClient, sim: Simulator) -> None:
    sim.set_faults(report_users_per_file=3)
    sums = UserSums("t")
    got = usage_report(api, "org", "octo-org", "users", date(2026, 11, 20), consume=sums.add_file)
    assert isinstance(got, ReportFiles)
    assert got.files == sums.files == 3  # eight seat holders, three per file
    users = sums.result(got.start, got.end)
    day_sums = TotalsSums("t")
    totals = usage_report(
        api, "org", "octo-org", "totals", date(2026, 11, 20), consume=day_sums.add_file
    )
    assert isinstance(totals, ReportFiles)
    day = day_sums.result(totals.start, totals.end).days[0]
    # The org-level file counts the same user-days as the three user files together.
    assert users.active_users == day.active_users
    assert users.records == day.active_users


def test_a_day_not_yet_published_is_explained(api: GitHubClient) -> None:
    got = usage_report(api, "org", "octo-org", "users", date(2026, 11, 24), consume=_no_file)
    assert isinstance(got, Unavailable)
    assert got.reason.startswith("not published yet (204)")


def test_a_day_out_of_range_is_explained(api: GitHubClient) -> None:
    got = usage_report(api, "org", "octo-org", "totals", date(2025, 10, 1), consume=_no_file)
    assert isinstance(got, Unavailable)
    assert "reports exist from 2025-10-10" in got.reason


def test_an_expired_link_asks_for_fresh_links_once_then_explains(
    api: GitHubClient, sim: Simulator
) -> None:
    sim.set_faults(report_link_lifetime_s=0)  # every link has expired when it is used
    files: list[bytes] = []
    got = usage_report(api, "org", "octo-org", "totals", consume=files.append)
    assert isinstance(got, Unavailable)
    assert files == []
    assert "refused twice (403 from https://api.github.com/_simulator/reports/" in got.reason
    assert "sig=" not in got.reason  # the signature is not shown
    assert sim.stats()["total"] == 2  # the links, then fresh links once


def test_enterprise_reports_are_read_like_org_ones(sim: Simulator, wire: Wire) -> None:
    client = GitHubClient(
        ClientSettings(),
        TokenAuth("ent-token"),
        transport=wire,
    )
    with client:
        sums = TotalsSums("t")
        totals = usage_report(client, "enterprise", "octo-ent", "totals", consume=sums.add_file)
        people = UserSums("t")
        users = usage_report(client, "enterprise", "octo-ent", "users", consume=people.add_file)
    assert isinstance(totals, ReportFiles)
    assert isinstance(users, ReportFiles)
    summary = sums.result(totals.start, totals.end)
    assert (summary.start, summary.end, len(summary.days)) == (
        date(2026, 10, 27),
        date(2026, 11, 23),
        28,
    )
    assert summary.seats_total == 8
    assert people.result(users.start, users.end).active_users == len(people.active) > 0


def test_report_links_never_come_from_the_etag_cache(
    sim: Simulator, wire: Wire, tmp_path: Path
) -> None:
    # A cached answer would hand out links that expired an hour after they were cached.
    with GitHubClient(ClientSettings(cache_dir=tmp_path), TokenAuth(TOKEN), transport=wire) as c:
        for _ in range(2):
            got = usage_report(c, "org", "octo-org", "totals", consume=lambda _content: None)
            assert isinstance(got, ReportFiles)
            c.get_billing("octo-org")
    asked = [r for r in wire.requests if "if-none-match" in r.headers]
    assert [r.url.path for r in asked] == ["/orgs/octo-org/copilot/billing"]


class _ClockJump(Wire):
    """Moves the simulator's clock two hours on after the first download: the links of the
    same answer still to be downloaded have expired (a slow network, in effect)."""

    def __init__(self, sim: Simulator) -> None:
        super().__init__(sim.transport())
        self.sim = sim

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        downloads = [r for r in self.requests if "/_simulator/reports/" in r.url.path]
        if len(downloads) == 1 and "/_simulator/reports/" in request.url.path:
            self.sim.advance(2 / 24)
        return response


def test_files_read_before_a_link_expired_are_not_read_twice(sim: Simulator) -> None:
    sim.set_faults(report_users_per_file=3)
    wire = _ClockJump(sim)
    sums = UserSums("t")
    with GitHubClient(ClientSettings(), TokenAuth(TOKEN), transport=wire) as client:
        got = usage_report(client, "org", "octo-org", "users", date(2026, 11, 20),
                           consume=sums.add_file)  # fmt: skip
    assert isinstance(got, ReportFiles)
    downloads = [
        r.url.path.rsplit("/", 1)[-1] for r in wire.requests if "/_simulator/" in r.url.path
    ]
    # part-2 was refused (expired); fresh links were asked for and part-1 was not fetched again.
    assert downloads == ["part-1.ndjson", "part-2.ndjson", "part-2.ndjson", "part-3.ndjson"]
    assert sums.files == 3
    fresh = UserSums("t")
    with GitHubClient(ClientSettings(), TokenAuth(TOKEN), transport=sim.transport()) as client:
        usage_report(client, "org", "octo-org", "users", date(2026, 11, 20), consume=fresh.add_file)
    assert sums.records == fresh.records
