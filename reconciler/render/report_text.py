"""The report for a terminal (``report --format text``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from reconciler.github.usage import Unavailable
from reconciler.report.model import Report, TargetReport, UsageSection
from reconciler.report.seats import BUCKET_LABELS, BUCKETS, GroupCount, OrgSeats
from reconciler.report.usage import Breakdown, LegacySummary, TotalsLevel, UserLevel


def render_report_text(report: Report, stream: TextIO) -> None:
    """Write ``report`` as plain text."""
    stream.write(f"Copilot report, {report.generated_at:%Y-%m-%d %H:%M} UTC\n")
    for target in report.targets:
        stream.write("\n")
        for line in target_lines(target):
            stream.write(f"{line}\n")
    stream.write(f"\nIdle seats cost ${report.idle_monthly_cost:,.2f} a month in all.\n")
    stream.write("\nCaveats:\n")
    for caveat in report.caveats:
        stream.write(f"  - {caveat}\n")


def target_lines(target: TargetReport) -> Iterator[str]:
    """The lines of one org or enterprise."""
    yield f"{target.scope} {target.name}"
    yield from _indent(seat_lines(target.seats))
    for section in target.usage:
        yield f"  Usage, {section.label}:"
        yield from _indent(usage_lines(section), 4)
    if target.legacy:
        yield "  Legacy metrics:"
        yield from _indent((legacy_line(item) for item in target.legacy), 4)


def seat_lines(seats: OrgSeats | Unavailable) -> Iterator[str]:
    """The seat figures of one org."""
    if isinstance(seats, Unavailable):
        yield f"Seats: {seats.reason}"
        return
    yield (
        f"Seats: {seats.total} ({seats.pending} pending cancellation), plan {seats.plan_type} "
        f"at ${seats.seat_price:,.2f}/month"
    )
    yield (
        f"Active in the last 7 / 30 / 90 days: {seats.active_7d} / {seats.active_30d} / "
        f"{seats.active_90d}; no activity on record: {seats.no_activity}"
    )
    for name in BUCKETS:
        yield f"  {seats.buckets[name]:>6}  {BUCKET_LABELS[name]}"
    yield (
        f"Idle {seats.idle_days}+ days (pending seats aside): {seats.idle_seats} seat(s), "
        f"${seats.idle_monthly_cost:,.2f}/month"
    )
    yield "By assigning team: " + _groups(seats.by_team)
    yield "By editor: " + _groups(seats.by_editor)


def usage_lines(section: UsageSection) -> Iterator[str]:
    """The figures of one usage report at both levels."""
    yield from _totals_lines(section.totals)
    yield from _users_lines(section.users)


def _totals_lines(totals: TotalsLevel | Unavailable) -> Iterator[str]:
    if isinstance(totals, Unavailable):
        yield f"Totals: {totals.reason}"
        return
    if not totals.days:
        yield f"Totals {totals.start} to {totals.end}: no day in the report"
        return
    peak = max(totals.days, key=lambda d: d.active_users)
    average = sum(d.active_users for d in totals.days) / len(totals.days)
    yield (
        f"Daily active users {totals.start} to {totals.end}: average {average:.1f}, "
        f"peak {peak.active_users} on {peak.day}"
    )


def _users_lines(users: UserLevel | Unavailable) -> Iterator[str]:
    if isinstance(users, Unavailable):
        yield f"Users: {users.reason}"
        return
    yield (
        f"Users {users.start} to {users.end} ({users.files} file(s)): {users.active_users} "
        f"active, {users.engaged_users} engaged; chat {_n(users.chat_users)}, agent "
        f"{_n(users.agent_users)}, CLI {_n(users.cli_users)}"
    )
    yield (
        f"Suggestions {users.suggestions:,}, accepted {users.acceptances:,} "
        f"({_rate(users.acceptances, users.suggestions)})"
    )
    yield "By editor: " + _breakdowns(users.by_editor)
    yield "By language: " + _breakdowns(users.by_language)


def legacy_line(item: LegacySummary | Unavailable) -> str:
    """One line per legacy metrics read."""
    if isinstance(item, Unavailable):
        return f"{item.what}: {item.reason}"
    return (
        f"{item.what}: {item.days} day(s) {item.first} to {item.last}, average "
        f"{item.average_active} active and {item.average_engaged} engaged users a day; "
        f"{item.suggestions:,} suggestions, {item.acceptances:,} accepted"
    )


def _groups(groups: tuple[GroupCount, ...]) -> str:
    if not groups:
        return "none"
    return ", ".join(f"{g.name} {g.seats} ({g.active_30d} active 30d)" for g in groups)


def _breakdowns(items: tuple[Breakdown, ...]) -> str:
    if not items:
        return "none in the report"
    return ", ".join(
        f"{b.name} {b.acceptances:,}/{b.suggestions:,} ({_rate(b.acceptances, b.suggestions)})"
        for b in items
    )


def _rate(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def _n(value: int | None) -> str:
    return "unknown (not in this report)" if value is None else str(value)


def _indent(lines: Iterable[str], width: int = 2) -> Iterator[str]:
    for line in lines:
        yield " " * width + line
