"""The pure summaries: seat buckets and idle cost, usage records, and escaping in renderers."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import pytest

from reconciler.errors import RemoteError
from reconciler.model import LiveSeat
from reconciler.render.report_html import render_report_html
from reconciler.render.report_markdown import render_report_markdown
from reconciler.report.model import Report, TargetReport
from reconciler.report.seats import bucket, summarize_seats
from reconciler.report.usage import UserSums

TODAY = date(2026, 11, 24)


def seat(login: str, last: str | None, **extra: object) -> LiveSeat:
    when = datetime.fromisoformat(last).replace(tzinfo=UTC) if last else None
    return LiveSeat(
        login=login,
        created_at=datetime(2025, 1, 1, tzinfo=UTC),
        last_activity_at=when,
        **extra,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("idle", "name"),
    [(0, "7d"), (7, "7d"), (8, "30d"), (30, "30d"), (31, "90d"), (90, "90d"), (91, "over_90d")],
)
def test_bucket_edges(idle: int, name: str) -> None:
    assert bucket(idle) == name
    assert bucket(None) == "none"


def test_idle_cost_leaves_pending_seats_out_and_counts_no_activity() -> None:
    seats = [
        seat("a", "2026-11-23T00:00:00"),
        seat("b", "2026-10-25T00:00:00"),  # 30 days: idle at 30
        seat("c", None),  # no activity on record: idle
        seat("d", None, pending_cancellation_date=date(2026, 12, 1)),  # going anyway
    ]
    summary = summarize_seats("o", seats, today=TODAY, plan_type="enterprise")
    assert (summary.idle_seats, summary.idle_monthly_cost) == (2, 78.0)
    assert summary.seat_price == 39.0
    assert summary.no_activity == 2


def test_fields_a_report_lacks_are_unknown_not_zero() -> None:
    lines = [
        {"user_login": "ana", "day": "2026-11-01", "code_generation_activity_count": 4,
         "code_acceptance_activity_count": 1, "used_chat": True},
        {"user_login": "ANA", "day": "2026-11-02", "used_chat": False},
        {"user_login": "ben", "day": "2026-11-02", "user_initiated_interaction_count": 0},
    ]  # fmt: skip
    sums = UserSums("t")
    sums.add_file(("\n".join(json.dumps(x) for x in lines) + "\n\n").encode())
    users = sums.result(date(2026, 11, 1), date(2026, 11, 2))
    assert (users.active_users, users.engaged_users, users.chat_users) == (2, 1, 1)
    assert (users.agent_users, users.cli_users) == (None, None)
    assert users.daily_active == ((date(2026, 11, 1), 1), (date(2026, 11, 2), 2))


def test_a_cut_ndjson_file_names_file_and_line() -> None:
    sums = UserSums("the report")
    sums.add_file(b"{}\n")
    with pytest.raises(RemoteError, match="the report: file 2, line 2 is not JSON"):
        sums.add_file(b'{"a": 1}\n{"user_lo')


def test_names_from_the_api_are_escaped_in_html_and_markdown() -> None:
    hostile = "<img src=x onerror=alert(1)>|"
    seats = summarize_seats(
        "o",
        [seat("ana", "2026-11-23T00:00:00", assigning_team=hostile, last_activity_editor=hostile)],
        today=TODAY,
        plan_type=None,
    )
    report = Report(
        datetime(2026, 11, 24, tzinfo=UTC), 30, (TargetReport("org", "o", seats, (), ()),), ()
    )
    html, markdown = io.StringIO(), io.StringIO()
    render_report_html(report, html)
    render_report_markdown(report, markdown)
    assert "<img" not in html.getvalue()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html.getvalue()
    assert "<img" not in markdown.getvalue()
    assert "\\|" in markdown.getvalue()
