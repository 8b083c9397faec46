"""The report as JSON (``report --format json``); its schema is schemas/report.schema.json."""

from __future__ import annotations

from typing import Any

from reconciler import __version__
from reconciler.github.usage import Unavailable
from reconciler.report.model import Report, TargetReport, UsageSection
from reconciler.report.seats import BUCKETS, OrgSeats, SeatRow
from reconciler.report.usage import Breakdown, LegacySummary, TotalsLevel, UserLevel

FORMAT_VERSION = 1


def report_document(report: Report) -> dict[str, Any]:
    """The JSON form of ``report``: plain types only, stable key order."""
    return {
        "format_version": FORMAT_VERSION,
        "tool_version": __version__,
        "generated_at": _time(report.generated_at),
        "idle_days": report.idle_days,
        "idle_monthly_cost_usd": report.idle_monthly_cost,
        "caveats": list(report.caveats),
        "targets": [_target(t) for t in report.targets],
    }


def _target(target: TargetReport) -> dict[str, Any]:
    return {
        "scope": target.scope,
        "name": target.name,
        "seats": _unavailable(target.seats)
        if isinstance(target.seats, Unavailable)
        else _seats(target.seats),
        "usage": [_usage(section) for section in target.usage],
        "legacy_metrics": [
            _unavailable(item) if isinstance(item, Unavailable) else _legacy(item)
            for item in target.legacy
        ],
    }


def _unavailable(item: Unavailable) -> dict[str, Any]:
    return {"available": False, "what": item.what, "reason": item.reason}


def _seats(seats: OrgSeats) -> dict[str, Any]:
    return {
        "available": True,
        "plan_type": seats.plan_type,
        "seat_price_usd": seats.seat_price,
        "total": seats.total,
        "pending_cancellation": seats.pending,
        "active_7d": seats.active_7d,
        "active_30d": seats.active_30d,
        "active_90d": seats.active_90d,
        "no_activity_on_record": seats.no_activity,
        "buckets": {name: seats.buckets[name] for name in BUCKETS},
        "by_team": [
            {"name": g.name, "seats": g.seats, "active_30d": g.active_30d} for g in seats.by_team
        ],
        "by_editor": [
            {"name": g.name, "seats": g.seats, "active_30d": g.active_30d} for g in seats.by_editor
        ],
        "idle_days": seats.idle_days,
        "idle_seats": seats.idle_seats,
        "idle_monthly_cost_usd": seats.idle_monthly_cost,
        "seats": [_row(row) for row in seats.rows],
    }


def _row(row: SeatRow) -> dict[str, Any]:
    return {
        "login": row.login,
        "team": row.team,
        "editor": row.editor,
        "last_activity_at": _time(row.last_activity_at) if row.last_activity_at else None,
        "days_idle": row.days_idle,
        "bucket": row.bucket,
        "pending_cancellation_date": row.pending_cancellation_date.isoformat()
        if row.pending_cancellation_date
        else None,
        "created_at": _time(row.created_at),
    }


def _usage(section: UsageSection) -> dict[str, Any]:
    totals, users = section.totals, section.users
    return {
        "label": section.label,
        "totals": _unavailable(totals) if isinstance(totals, Unavailable) else _totals(totals),
        "users": _unavailable(users) if isinstance(users, Unavailable) else _users(users),
    }


def _totals(totals: TotalsLevel) -> dict[str, Any]:
    return {
        "available": True,
        "start": totals.start.isoformat(),
        "end": totals.end.isoformat(),
        "seats_total": totals.seats_total,
        "days": [
            {
                "day": d.day.isoformat(),
                "active_users": d.active_users,
                "chat_users": d.chat_users,
                "agent_users": d.agent_users,
                "cli_users": d.cli_users,
                "suggestions": d.suggestions,
                "acceptances": d.acceptances,
            }
            for d in totals.days
        ],
    }


def _users(users: UserLevel) -> dict[str, Any]:
    return {
        "available": True,
        "start": users.start.isoformat(),
        "end": users.end.isoformat(),
        "files": users.files,
        "records": users.records,
        "active_users": users.active_users,
        "engaged_users": users.engaged_users,
        "chat_users": users.chat_users,
        "agent_users": users.agent_users,
        "cli_users": users.cli_users,
        "interactions": users.interactions,
        "suggestions": users.suggestions,
        "acceptances": users.acceptances,
        "by_editor": [_breakdown(b) for b in users.by_editor],
        "by_language": [_breakdown(b) for b in users.by_language],
        "daily_active_users": [{"day": d.isoformat(), "users": n} for d, n in users.daily_active],
    }


def _breakdown(item: Breakdown) -> dict[str, Any]:
    rate = item.acceptance_rate
    return {
        "name": item.name,
        "suggestions": item.suggestions,
        "acceptances": item.acceptances,
        "acceptance_rate": round(rate, 4) if rate is not None else None,
    }


def _legacy(item: LegacySummary) -> dict[str, Any]:
    return {
        "available": True,
        "what": item.what,
        "days": item.days,
        "first": item.first.isoformat() if item.first else None,
        "last": item.last.isoformat() if item.last else None,
        "average_active_users": item.average_active,
        "average_engaged_users": item.average_engaged,
        "suggestions": item.suggestions,
        "acceptances": item.acceptances,
    }


def _time(value: Any) -> str:
    return str(value.isoformat()).replace("+00:00", "Z")
