"""The report as Markdown (``report --format markdown``): for a job summary or an issue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from reconciler.github.usage import Unavailable
from reconciler.render.report_text import legacy_line, usage_lines
from reconciler.report.model import Report, TargetReport
from reconciler.report.seats import BUCKET_LABELS, BUCKETS, OrgSeats


def render_report_markdown(report: Report, stream: TextIO) -> None:
    """Write ``report`` as GitHub-flavoured Markdown."""
    stream.write(f"# Copilot report, {report.generated_at:%Y-%m-%d %H:%M} UTC\n\n")
    stream.write(f"Idle seats cost **${report.idle_monthly_cost:,.2f}** a month in all.\n")
    for target in report.targets:
        stream.write("\n")
        for line in _target(target):
            stream.write(f"{line}\n")
    stream.write("\n## Caveats\n\n")
    for caveat in report.caveats:
        stream.write(f"- {_escape(caveat)}\n")


def _target(target: TargetReport) -> Iterator[str]:
    yield f"## {target.scope} `{target.name}`"
    yield ""
    seats = target.seats
    if isinstance(seats, Unavailable):
        yield f"Seats: {_escape(seats.reason)}"
    else:
        yield from _seats(seats)
    for section in target.usage:
        yield ""
        yield f"### Usage, {section.label}"
        yield ""
        for line in usage_lines(section):
            yield f"- {_escape(line)}"
    if target.legacy:
        yield ""
        yield "### Legacy metrics"
        yield ""
        for item in target.legacy:
            yield f"- {_escape(legacy_line(item))}"


def _seats(seats: OrgSeats) -> Iterator[str]:
    yield (
        f"{seats.total} seats ({seats.pending} pending cancellation), plan {seats.plan_type} at "
        f"${seats.seat_price:,.2f}/month. Idle {seats.idle_days}+ days: **{seats.idle_seats}** "
        f"seat(s), **${seats.idle_monthly_cost:,.2f}/month**."
    )
    yield ""
    yield "| activity | seats |"
    yield "|---|---:|"
    for name in BUCKETS:
        yield f"| {BUCKET_LABELS[name]} | {seats.buckets[name]} |"
    yield ""
    yield "| team | seats | active 30 days |"
    yield "|---|---:|---:|"
    for group in seats.by_team:
        yield f"| {_escape(group.name)} | {group.seats} | {group.active_30d} |"
    yield ""
    yield "| editor | seats | active 30 days |"
    yield "|---|---:|---:|"
    for group in seats.by_editor:
        yield f"| {_escape(group.name)} | {group.seats} | {group.active_30d} |"
    yield ""
    yield "<details><summary>Every seat</summary>"
    yield ""
    yield "| login | team | editor | last activity | days idle | pending cancellation |"
    yield "|---|---|---|---|---:|---|"
    for row in seats.rows:
        last = f"{row.last_activity_at:%Y-%m-%d}" if row.last_activity_at else "none on record"
        idle = "" if row.days_idle is None else str(row.days_idle)
        pending = row.pending_cancellation_date.isoformat() if row.pending_cancellation_date else ""
        yield (
            f"| {row.login} | {_escape(row.team or '(direct)')} | {_escape(row.editor or '')} "
            f"| {last} | {idle} | {pending} |"
        )
    yield ""
    yield "</details>"


def _escape(text: str) -> str:
    # Names come from the API: keep them from opening tags or breaking table cells.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
