"""Seat hygiene: activity buckets, counts by team and editor, and the cost of idle seats.

GitHub's ``last_activity_at`` lags by up to a day, and it is null both for a seat that was
never used and for one idle for more than 90 days: such seats are counted as "no activity on
record", never guessed into one of the two.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from reconciler.model import LiveSeat
from reconciler.plan.pricing import seat_price

#: Exclusive activity buckets, in the order they are shown.
BUCKETS: tuple[str, ...] = ("7d", "30d", "90d", "over_90d", "none")
BUCKET_LABELS: Mapping[str, str] = {
    "7d": "active in the last 7 days",
    "30d": "last active 8-30 days ago",
    "90d": "last active 31-90 days ago",
    "over_90d": "last active over 90 days ago",
    "none": "no activity on record (never used, or idle over 90 days)",
}
#: Short labels, for charts.
BUCKET_SHORT: Mapping[str, str] = {
    "7d": "0-7 days",
    "30d": "8-30 days",
    "90d": "31-90 days",
    "over_90d": "over 90 days",
    "none": "none on record",
}
#: What "idle" means for the cost figure unless the caller says otherwise.
DEFAULT_IDLE_DAYS = 30
#: The caveats every seat figure carries.
SEAT_CAVEATS: tuple[str, ...] = (
    "last_activity_at lags by up to a day: a seat used today may still look idle.",
    "GitHub leaves last_activity_at empty both for a seat never used and for one idle for "
    "over 90 days; such seats are shown as 'no activity on record', not guessed.",
)
DIRECT = "(direct)"
UNKNOWN_EDITOR = "(none)"


@dataclass(frozen=True)
class SeatRow:
    """One seat as the report shows it."""

    org: str
    login: str
    team: str | None
    editor: str | None
    last_activity_at: datetime | None
    days_idle: int | None
    pending_cancellation_date: date | None
    created_at: datetime
    bucket: str


@dataclass(frozen=True)
class GroupCount:
    """Seats of one team or editor, and how many were active in the last 30 days."""

    name: str
    seats: int
    active_30d: int


@dataclass(frozen=True)
class OrgSeats:
    """The seat figures of one org; ``active_*`` are cumulative (7 ⊂ 30 ⊂ 90 days)."""

    org: str
    plan_type: str
    seat_price: float
    total: int
    pending: int
    active_7d: int
    active_30d: int
    active_90d: int
    no_activity: int
    buckets: Mapping[str, int]
    by_team: tuple[GroupCount, ...]
    by_editor: tuple[GroupCount, ...]
    idle_days: int
    idle_seats: int
    idle_monthly_cost: float
    rows: tuple[SeatRow, ...]


def days_idle(seat: LiveSeat, today: date) -> int | None:
    """Whole days since the seat's last activity (``None``: no activity on record)."""
    if seat.last_activity_at is None:
        return None
    return max(0, (today - seat.last_activity_at.date()).days)


def bucket(idle: int | None) -> str:
    """The exclusive activity bucket of a seat idle for ``idle`` days."""
    if idle is None:
        return "none"
    if idle <= 7:
        return "7d"
    if idle <= 30:
        return "30d"
    if idle <= 90:
        return "90d"
    return "over_90d"


def editor_name(editor: str | None) -> str | None:
    """``vscode`` of ``vscode/1.95.3/copilot/1.2``: the editor without its versions."""
    if not editor:
        return None
    return editor.split("/", 1)[0] or None


def seat_row(org: str, seat: LiveSeat, today: date) -> SeatRow:
    """The report's row of one seat."""
    idle = days_idle(seat, today)
    return SeatRow(
        org=org,
        login=seat.login,
        team=seat.assigning_team,
        editor=editor_name(seat.last_activity_editor),
        last_activity_at=seat.last_activity_at,
        days_idle=idle,
        pending_cancellation_date=seat.pending_cancellation_date,
        created_at=seat.created_at,
        bucket=bucket(idle),
    )


def is_idle(row: SeatRow, idle_days: int) -> bool:
    """Idle for at least ``idle_days`` days; no activity on record counts as idle."""
    return row.days_idle is None or row.days_idle >= idle_days


def summarize_seats(
    org: str,
    seats: Iterable[LiveSeat],
    *,
    today: date,
    plan_type: str | None,
    prices: Mapping[str, float] | None = None,
    idle_days: int = DEFAULT_IDLE_DAYS,
) -> OrgSeats:
    """The seat figures of ``org``. Idle seats are priced at the org's plan price; seats
    pending cancellation are left out of the idle cost (they stop costing next cycle)."""
    rows = tuple(sorted((seat_row(org, s, today) for s in seats), key=lambda r: r.login.lower()))
    price = seat_price(plan_type, prices)
    idle = [r for r in rows if r.pending_cancellation_date is None and is_idle(r, idle_days)]
    within = [r.days_idle for r in rows if r.days_idle is not None]
    return OrgSeats(
        org=org,
        plan_type=(plan_type or "business").lower(),
        seat_price=price,
        total=len(rows),
        pending=sum(1 for r in rows if r.pending_cancellation_date is not None),
        active_7d=sum(1 for d in within if d <= 7),
        active_30d=sum(1 for d in within if d <= 30),
        active_90d=sum(1 for d in within if d <= 90),
        no_activity=sum(1 for r in rows if r.days_idle is None),
        buckets={name: sum(1 for r in rows if r.bucket == name) for name in BUCKETS},
        by_team=_groups(rows, lambda r: r.team or DIRECT),
        by_editor=_groups(rows, lambda r: r.editor or UNKNOWN_EDITOR),
        idle_days=idle_days,
        idle_seats=len(idle),
        idle_monthly_cost=round(len(idle) * price, 2),
        rows=rows,
    )


def _groups(rows: tuple[SeatRow, ...], name_of: Callable[[SeatRow], str]) -> tuple[GroupCount, ...]:
    seats: Counter[str] = Counter()
    active: Counter[str] = Counter()
    for row in rows:
        name = name_of(row)
        seats[name] += 1
        if row.days_idle is not None and row.days_idle <= 30:
            active[name] += 1
    order = sorted(seats, key=lambda n: (-seats[n], n.lower()))
    return tuple(GroupCount(n, seats[n], active[n]) for n in order)
