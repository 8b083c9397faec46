"""The report: per org (or enterprise) its seats, usage reports and legacy metrics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from reconciler.github.usage import Unavailable
from reconciler.report.seats import OrgSeats
from reconciler.report.usage import LegacySummary, TotalsLevel, UserLevel

#: The caveats of the usage figures, shown with every report.
USAGE_CAVEATS: tuple[str, ...] = (
    "Usage reports are published once a day; the latest 28-day report ends yesterday.",
    "Active users: users with a row in the user-level report (any Copilot activity that day). "
    "Engaged users: users who started an interaction or accepted a suggestion.",
    "The legacy metrics endpoints report a day only when at least five members held a seat; "
    "GitHub closed them on 2026-04-02.",
)


@dataclass(frozen=True)
class UsageSection:
    """One usage report (the latest 28 days, or one day) at both levels."""

    label: str
    totals: TotalsLevel | Unavailable
    users: UserLevel | Unavailable


@dataclass(frozen=True)
class TargetReport:
    """Everything reported about one org or enterprise."""

    scope: Literal["org", "enterprise"]
    name: str
    seats: OrgSeats | Unavailable
    usage: tuple[UsageSection, ...]
    legacy: tuple[LegacySummary | Unavailable, ...]


@dataclass(frozen=True)
class Report:
    """The whole report, as every renderer receives it."""

    generated_at: datetime
    idle_days: int
    targets: tuple[TargetReport, ...]
    caveats: tuple[str, ...]

    @property
    def idle_monthly_cost(self) -> float:
        """The monthly cost of idle seats over every org."""
        return round(
            sum(t.seats.idle_monthly_cost for t in self.targets if isinstance(t.seats, OrgSeats)),
            2,
        )
