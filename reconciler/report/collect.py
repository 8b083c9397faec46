"""Reading what a report needs, through a client: seats, usage reports, legacy metrics.

Requests for an org: 1 billing + ceil(seats/100) seat pages + 2 usage reports (4 with
``day``), each 1 request plus its downloads (no API budget) + 1 legacy org metrics call,
and, while GitHub still answers it, one team metrics call per team shown on at least five
seats (the five-member rule makes smaller teams report nothing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from reconciler.github.client import GitHubClient
from reconciler.github.reader import live_seat
from reconciler.github.usage import (
    LegacyMetrics,
    Scope,
    Unavailable,
    legacy_metrics,
    usage_report,
)
from reconciler.model import LiveSeat
from reconciler.report.model import USAGE_CAVEATS, Report, TargetReport, UsageSection
from reconciler.report.seats import DIRECT, SEAT_CAVEATS, OrgSeats, summarize_seats
from reconciler.report.usage import (
    LegacySummary,
    TotalsLevel,
    TotalsSums,
    UserLevel,
    UserSums,
    summarize_legacy,
)

#: GitHub reports team metrics only for teams of at least this many seat holders.
FIVE_MEMBER_RULE = 5
#: Days of legacy metrics asked for: the same window as the 28-day report.
LEGACY_DAYS = 28


def collect_report(
    client: GitHubClient,
    *,
    orgs: Sequence[str] = (),
    enterprises: Sequence[str] = (),
    now: datetime,
    day: date | None = None,
    prices: Mapping[str, float] | None = None,
    idle_days: int = 30,
) -> Report:
    """Read and summarize every org, then every enterprise, in the order given."""
    targets = [
        _org(client, org, now=now, day=day, prices=prices, idle_days=idle_days) for org in orgs
    ]
    for ent in enterprises:
        seats = Unavailable(
            f"seats of {ent}",
            "the API lists seats per organization: run the report with --org for each of the "
            "enterprise's organizations",
        )
        usage = _usage(client, "enterprise", ent, day)
        targets.append(TargetReport("enterprise", ent, seats, usage, ()))
    return Report(
        generated_at=now,
        idle_days=idle_days,
        targets=tuple(targets),
        caveats=(*SEAT_CAVEATS, *USAGE_CAVEATS),
    )


def read_org_seats(client: GitHubClient, org: str) -> tuple[list[LiveSeat], str | None]:
    """Every seat of ``org`` and its plan type (from billing)."""
    billing = client.get_billing(org)
    plan = billing.get("plan_type")
    seats, _total = client.read_seats(org, lambda seat: live_seat(seat, org))
    return [s for s in seats if s is not None], str(plan) if plan else None


def _org(
    client: GitHubClient,
    org: str,
    *,
    now: datetime,
    day: date | None,
    prices: Mapping[str, float] | None,
    idle_days: int,
) -> TargetReport:
    live, plan = read_org_seats(client, org)
    seats = summarize_seats(
        org, live, today=now.date(), plan_type=plan, prices=prices, idle_days=idle_days
    )
    usage = _usage(client, "org", org, day)
    return TargetReport("org", org, seats, usage, _legacy(client, org, seats, now.date()))


def _usage(
    client: GitHubClient, scope: Scope, name: str, day: date | None
) -> tuple[UsageSection, ...]:
    days: list[date | None] = [None] if day is None else [None, day]
    sections = []
    for which in days:
        label = "latest 28-day report" if which is None else f"1-day report of {which}"
        sections.append(
            UsageSection(
                label,
                _totals(client, scope, name, which),
                _users(client, scope, name, which),
            )
        )
    return tuple(sections)


def _totals(
    client: GitHubClient, scope: Scope, name: str, day: date | None
) -> TotalsLevel | Unavailable:
    sums = TotalsSums(f"{scope}-level report of {name}")
    got = usage_report(client, scope, name, "totals", day, consume=sums.add_file)
    if isinstance(got, Unavailable):
        return got
    return sums.result(got.start, got.end)


def _users(
    client: GitHubClient, scope: Scope, name: str, day: date | None
) -> UserLevel | Unavailable:
    sums = UserSums(f"user-level report of {name}")
    got = usage_report(client, scope, name, "users", day, consume=sums.add_file)
    if isinstance(got, Unavailable):
        return got
    return sums.result(got.start, got.end)


def _legacy(
    client: GitHubClient, org: str, seats: OrgSeats, today: date
) -> tuple[LegacySummary | Unavailable, ...]:
    since = today - timedelta(days=LEGACY_DAYS)
    first = _summary(legacy_metrics(client, org, since=since))
    if isinstance(first, Unavailable):
        return (first,)  # the team endpoint closed with the org one: one explanation
    out: list[LegacySummary | Unavailable] = [first]
    for group in seats.by_team:
        if group.name == DIRECT:
            continue
        if group.seats < FIVE_MEMBER_RULE:
            out.append(
                Unavailable(
                    f"legacy metrics of team {group.name} in {org}",
                    f"not read: {group.seats} seat(s) shown with the team, and GitHub reports "
                    f"team metrics only for days with at least {FIVE_MEMBER_RULE} seat holders",
                )
            )
            continue
        out.append(_summary(legacy_metrics(client, org, group.name, since=since)))
    return tuple(out)


def _summary(got: LegacyMetrics | Unavailable) -> LegacySummary | Unavailable:
    if isinstance(got, Unavailable):
        return got
    if not got.days:
        return Unavailable(
            got.what,
            f"no day reported: GitHub reports a day only when at least {FIVE_MEMBER_RULE} "
            "members held a seat",
        )
    days: list[Any] = list(got.days)
    return summarize_legacy(got.what, days)
