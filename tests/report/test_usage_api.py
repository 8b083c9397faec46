"""reconciler.github.usage against the simulator: legacy metrics and usage reports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from reconciler.github import ClientSettings, GitHubClient, TokenAuth
from reconciler.github.usage import (
    LegacyMetrics,
    ReportFiles,
    Unavailable,
    get_user_seat,
    legacy_metrics,
    usage_report,
)
from reconciler.report.usage import ndjson_records, summarize_totals, summarize_users
from reconciler.simulator import Simulator

from .conftest import TOKEN, Wire

BEFORE_CLOSING = datetime(2026, 3, 20, 12, tzinfo=UTC)


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
    got = usage_report(api, "org", "octo-org", "users")
    assert isinstance(got, ReportFiles)
    downloads = [r for r in wire.requests if "/_simulator/reports/" in r.url.path]
    api_calls = [r for r in wire.requests if "/_simulator/reports/" not in r.url.path]
    assert len(downloads) == 1
    assert "authorization" not in downloads[0].headers
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in api_calls)
    assert TOKEN not in str(downloads[0].url)


def test_every_download_link_of_a_report_is_followed(api: GitHubClient, sim: Simulator) -> None:
    sim.set_faults(report_users_per_file=3)
    got = usage_report(api, "org", "octo-org", "users", date(2026, 11, 20))
    assert isinstance(got, ReportFiles)
    assert len(got.files) == 3  # eight seat holders, three per file
    users = summarize_users(
        ndjson_records(got.files, got.what), start=got.start, end=got.end, files=len(got.files)
    )
    totals = usage_report(api, "org", "octo-org", "totals", date(2026, 11, 20))
    assert isinstance(totals, ReportFiles)
    day = summarize_totals(totals.files, start=totals.start, end=totals.end, what="t").days[0]
    # The org-level file counts the same user-days as the three user files together.
    assert users.active_users == day.active_users
    assert users.records == day.active_users


def test_a_day_not_yet_published_is_explained(api: GitHubClient) -> None:
    got = usage_report(api, "org", "octo-org", "users", date(2026, 11, 24))
    assert isinstance(got, Unavailable)
    assert got.reason.startswith("not published yet (204)")


def test_a_day_out_of_range_is_explained(api: GitHubClient) -> None:
    got = usage_report(api, "org", "octo-org", "totals", date(2025, 10, 1))
    assert isinstance(got, Unavailable)
    assert "reports exist from 2025-10-10" in got.reason


def test_an_expired_link_asks_for_fresh_links_once_then_explains(
    api: GitHubClient, sim: Simulator
) -> None:
    sim.set_faults(report_link_lifetime_s=0)  # every link has expired when it is used
    got = usage_report(api, "org", "octo-org", "totals")
    assert isinstance(got, Unavailable)
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
        totals = usage_report(client, "enterprise", "octo-ent", "totals")
        users = usage_report(client, "enterprise", "octo-ent", "users")
    assert isinstance(totals, ReportFiles)
    assert isinstance(users, ReportFiles)
    summary = summarize_totals(totals.files, start=totals.start, end=totals.end, what="t")
    assert (summary.start, summary.end, len(summary.days)) == (
        date(2026, 10, 27),
        date(2026, 11, 23),
        28,
    )
    assert summary.seats_total == 8


def test_report_links_never_come_from_the_etag_cache(
    sim: Simulator, wire: Wire, tmp_path: Path
) -> None:
    # A cached answer would hand out links that expired an hour after they were cached.
    with GitHubClient(ClientSettings(cache_dir=tmp_path), TokenAuth(TOKEN), transport=wire) as c:
        for _ in range(2):
            assert isinstance(usage_report(c, "org", "octo-org", "totals"), ReportFiles)
            c.get_billing("octo-org")
    asked = [r for r in wire.requests if "if-none-match" in r.headers]
    assert [r.url.path for r in asked] == ["/orgs/octo-org/copilot/billing"]
