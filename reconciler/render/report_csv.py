"""The per-seat table as CSV (``report --format csv``), one row per seat of every org."""

from __future__ import annotations

import csv
from typing import TextIO

from reconciler.report.model import Report
from reconciler.report.seats import OrgSeats

COLUMNS = (
    "org",
    "login",
    "team",
    "editor",
    "last_activity_at",
    "days_idle",
    "pending_cancellation_date",
)


def render_report_csv(report: Report, stream: TextIO) -> None:
    """Write the seats of every org of ``report`` as CSV with a header row.

    ``team`` is empty for a seat granted directly; ``last_activity_at`` and ``days_idle`` are
    empty when GitHub has no activity on record (never used, or idle over 90 days).
    """
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for target in report.targets:
        if not isinstance(target.seats, OrgSeats):
            continue
        for row in target.seats.rows:
            writer.writerow(
                (
                    row.org,
                    row.login,
                    row.team or "",
                    row.editor or "",
                    row.last_activity_at.strftime("%Y-%m-%dT%H:%M:%SZ")
                    if row.last_activity_at
                    else "",
                    "" if row.days_idle is None else row.days_idle,
                    row.pending_cancellation_date.isoformat()
                    if row.pending_cancellation_date
                    else "",
                )
            )
