"""The report as one self-contained HTML file (``report --format html``).

No script, no font, no stylesheet or image is fetched: the CSS is inline and the charts are
inline SVG (:mod:`reconciler.render.report_charts`), so the file opens offline and can be
published as a CI artifact or on GitHub Pages as it is. Every name from the API is escaped.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import TextIO

from reconciler.github.usage import Unavailable
from reconciler.render.report_charts import bar_chart, line_chart
from reconciler.render.report_text import legacy_line, usage_lines
from reconciler.report.model import Report, TargetReport, UsageSection
from reconciler.report.seats import BUCKET_SHORT, BUCKETS, OrgSeats, SeatRow
from reconciler.report.usage import UserLevel

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1160px;
padding:24px;color:#1f2328;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{margin-top:36px;border-bottom:1px solid #d0d7de}
.meta{color:#59636e}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{border:1px solid #d0d7de;border-radius:8px;padding:10px 16px;min-width:150px}
.card b{display:block;font-size:24px}.cost b{color:#b35900}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px}
figure{margin:0;border:1px solid #d0d7de;border-radius:8px;padding:8px}
figcaption{color:#59636e;font-size:13px}svg{width:100%;height:auto}
table{border-collapse:collapse;width:100%;font-size:14px;margin:8px 0}
th,td{border-bottom:1px solid #d0d7de;padding:4px 8px;text-align:left}
td.n,th.n{text-align:right}tr.idle td{background:#fff8c5}tr.none td{background:#ffebe9}
.note{color:#59636e;font-size:13px}ul.caveats li{margin:4px 0}
"""


def render_report_html(report: Report, stream: TextIO) -> None:
    """Write ``report`` as one HTML document."""
    when = f"{report.generated_at:%Y-%m-%d %H:%M} UTC"
    stream.write('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n')
    stream.write('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    stream.write(f"<title>Copilot report, {when}</title>\n<style>{_CSS}</style></head><body>\n")
    stream.write(f"<h1>Copilot seats and usage</h1>\n<p class=meta>Generated {when}. ")
    stream.write(
        f"Idle seats (no activity for {report.idle_days}+ days) cost "
        f"<b>${report.idle_monthly_cost:,.2f}</b> a month in all.</p>\n"
    )
    for target in report.targets:
        for line in _target(target, report.idle_days):
            stream.write(line + "\n")
    stream.write("<h2>Caveats</h2><ul class=caveats>")
    stream.write("".join(f"<li>{escape(c)}</li>" for c in report.caveats))
    stream.write("</ul>\n</body></html>\n")


def _target(target: TargetReport, idle_days: int) -> Iterator[str]:
    yield f"<h2>{escape(target.scope)} {escape(target.name)}</h2>"
    seats = target.seats
    if isinstance(seats, OrgSeats):
        yield from _cards(seats)
    else:
        yield f"<p class=note>Seats: {escape(seats.reason)}</p>"
    latest = target.usage[0] if target.usage else None
    yield "<div class=charts>"
    if isinstance(seats, OrgSeats):
        bars = [(BUCKET_SHORT[name], seats.buckets[name]) for name in BUCKETS]
        yield _figure(
            bar_chart("Seats by last activity", bars),
            "seats by days since their last activity ('none on record': never used, or idle "
            "over 90 days; GitHub does not say which)",
        )
    if latest is not None:
        yield from _usage_charts(latest)
    yield "</div>"
    for section in target.usage:
        yield f"<h3>Usage, {escape(section.label)}</h3><ul>"
        yield "".join(f"<li>{escape(line)}</li>" for line in usage_lines(section)) + "</ul>"
    if target.legacy:
        yield "<h3>Legacy metrics</h3><ul>"
        yield "".join(f"<li>{escape(legacy_line(item))}</li>" for item in target.legacy) + "</ul>"
    if isinstance(seats, OrgSeats):
        yield from _seat_table(seats, idle_days)


def _cards(seats: OrgSeats) -> Iterator[str]:
    cards = [
        ("seats", f"{seats.total}", f"{seats.pending} pending cancellation"),
        ("active 7 days", f"{seats.active_7d}", f"30 days: {seats.active_30d}"),
        ("active 90 days", f"{seats.active_90d}", f"no activity on record: {seats.no_activity}"),
        (
            f"idle {seats.idle_days}+ days",
            f"{seats.idle_seats}",
            f"at ${seats.seat_price:,.2f} ({seats.plan_type})",
        ),
    ]
    yield "<div class=cards>"
    for label, value, note in cards:
        yield f"<div class=card>{escape(label)}<b>{escape(value)}</b>{escape(note)}</div>"
    cost = f"${seats.idle_monthly_cost:,.2f}"
    yield f"<div class='card cost'>idle seats cost<b>{cost}</b>per month</div></div>"


def _usage_charts(section: UsageSection) -> Iterator[str]:
    totals, users = section.totals, section.users
    points = []
    if not isinstance(totals, Unavailable):
        points = [(d.day, d.active_users) for d in totals.days]
    elif isinstance(users, UserLevel):
        points = list(users.daily_active)
    why = totals.reason if isinstance(totals, Unavailable) else "fewer than two days"
    caption = f"active users per day ({section.label})"
    yield _figure(line_chart("Daily active users", points), caption, why)
    if isinstance(users, UserLevel):
        by_language = [(b.name, b.acceptances) for b in users.by_language[:10]]
        by_editor = [(b.name, b.acceptances) for b in users.by_editor[:10]]
        yield _figure(
            bar_chart("Accepted suggestions by language", by_language),
            f"accepted suggestions by language, top 10 ({section.label})",
        )
        yield _figure(
            bar_chart("Accepted suggestions by editor", by_editor),
            f"accepted suggestions by editor, top 10 ({section.label})",
        )
    else:
        yield _figure(None, "acceptances", users.reason)


def _figure(svg: str | None, caption: str, why: str = "no data") -> str:
    if svg is None:
        return f"<figure><figcaption>{escape(caption)}: {escape(why)}</figcaption></figure>"
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _seat_table(seats: OrgSeats, idle_days: int) -> Iterator[str]:
    yield (
        "<h3>Every seat, most idle first</h3><p class=note>Highlighted: idle "
        f"{idle_days}+ days (yellow) or no activity on record (red: never used, or idle "
        "over 90 days; GitHub does not say which).</p>"
    )
    yield (
        "<table><thead><tr><th>login</th><th>team</th><th>editor</th><th>last activity</th>"
        "<th class=n>days idle</th><th>pending cancellation</th></tr></thead><tbody>"
    )
    for row in sorted(seats.rows, key=_most_idle_first):
        yield _seat_row(row, idle_days)
    yield "</tbody></table>"


def _most_idle_first(row: SeatRow) -> tuple[int, str]:
    return (-(row.days_idle if row.days_idle is not None else 10**6), row.login.lower())


def _seat_row(row: SeatRow, idle_days: int) -> str:
    if row.days_idle is None:
        css, idle, last = "none", "", "none on record"
    else:
        css = "idle" if row.days_idle >= idle_days else ""
        idle, last = str(row.days_idle), f"{row.last_activity_at:%Y-%m-%d}"
    pending = row.pending_cancellation_date.isoformat() if row.pending_cancellation_date else ""
    cells = [row.login, row.team or "(direct)", row.editor or "", last]
    tds = "".join(f"<td>{escape(c)}</td>" for c in cells)
    return f"<tr class='{css}'>{tds}<td class=n>{idle}</td><td>{escape(pending)}</td></tr>"
