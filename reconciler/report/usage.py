"""Summaries of the usage-metrics report files and of the legacy metrics days.

User-level files are NDJSON, one user-day per line; org- and enterprise-level files are one
JSON object with ``day_totals[]``. Fields a file lacks are reported as unknown (``None``),
never as zero: GitHub adds fields over time and older reports lack them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reconciler.errors import RemoteError

_FEATURES = ("used_chat", "used_agent", "used_cli")


@dataclass(frozen=True)
class Breakdown:
    """Suggestions shown and accepted for one editor or language."""

    name: str
    suggestions: int
    acceptances: int

    @property
    def acceptance_rate(self) -> float | None:
        return self.acceptances / self.suggestions if self.suggestions else None


@dataclass(frozen=True)
class UserLevel:
    """What the user-level files of one report say, summed over users and days."""

    start: date
    end: date
    files: int
    records: int
    active_users: int
    engaged_users: int
    chat_users: int | None
    agent_users: int | None
    cli_users: int | None
    interactions: int
    suggestions: int
    acceptances: int
    by_editor: tuple[Breakdown, ...]
    by_language: tuple[Breakdown, ...]
    daily_active: tuple[tuple[date, int], ...]


@dataclass(frozen=True)
class DayTotal:
    """One day of an org- or enterprise-level file."""

    day: date
    active_users: int
    chat_users: int | None
    agent_users: int | None
    cli_users: int | None
    suggestions: int
    acceptances: int


@dataclass(frozen=True)
class TotalsLevel:
    """An org- or enterprise-level report: its days."""

    start: date
    end: date
    seats_total: int | None
    days: tuple[DayTotal, ...]


@dataclass(frozen=True)
class LegacySummary:
    """The legacy metrics days, summed: how many days, and the average users per day."""

    what: str
    days: int
    first: date | None
    last: date | None
    average_active: float | None
    average_engaged: float | None
    suggestions: int
    acceptances: int


def ndjson_records(content: bytes, what: str, number: int = 1) -> Iterator[dict[str, Any]]:
    """Every JSON object of one NDJSON file (blank lines skipped), one at a time."""
    for line_no, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise RemoteError(
                f"the {what}: file {number}, line {line_no} is not JSON; the download was "
                "cut short or is not a report: run the report again"
            ) from None
        if isinstance(record, dict):
            yield record


class UserSums:
    """User-day records summed as the files arrive, so that only one file is held at once
    (a 100,000-user org's 28-day report is about a hundred files of tens of MB each).

    *Active*: a user with a row in the report (GitHub writes one per user-day with activity).
    *Engaged*: a user who started an interaction or accepted a suggestion at least once.
    """

    def __init__(self, what: str) -> None:
        self.what = what
        self.files = self.records = self.interactions = self.suggestions = 0
        self.acceptances = 0
        self.active: set[str] = set()
        self.engaged: set[str] = set()
        # None until a record carries the field: a report without it leaves it unknown.
        self.feature: dict[str, set[str] | None] = dict.fromkeys(_FEATURES)
        self.per_day: Counter[date] = Counter()
        self.editors: dict[str, list[int]] = {}
        self.languages: dict[str, list[int]] = {}

    def add_file(self, content: bytes) -> None:
        """Add every record of one NDJSON file."""
        self.files += 1
        for record in ndjson_records(content, self.what, self.files):
            self.add(record)

    def add(self, record: Mapping[str, Any]) -> None:
        """Add one user-day record."""
        login = str(record.get("user_login") or record.get("user_id") or "").lower()
        if not login:
            return
        self.records += 1
        self.active.add(login)
        day = _day(record.get("day"))
        if day is not None:
            self.per_day[day] += 1
        started = _int(record.get("user_initiated_interaction_count"))
        accepted = _int(record.get("code_acceptance_activity_count"))
        self.interactions += started
        self.suggestions += _int(record.get("code_generation_activity_count"))
        self.acceptances += accepted
        if started or accepted:
            self.engaged.add(login)
        for name in [n for n in _FEATURES if n in record]:
            users = self.feature[name]
            if users is None:
                users = self.feature[name] = set()
            if record[name] is True:
                users.add(login)
        _add(self.editors, record.get("totals_by_ide"), "ide")
        _add(self.languages, record.get("totals_by_language_feature"), "language")

    def result(self, start: date, end: date) -> UserLevel:
        """The summary of everything added."""
        return UserLevel(
            start=start,
            end=end,
            files=self.files,
            records=self.records,
            active_users=len(self.active),
            engaged_users=len(self.engaged),
            chat_users=_size(self.feature["used_chat"]),
            agent_users=_size(self.feature["used_agent"]),
            cli_users=_size(self.feature["used_cli"]),
            interactions=self.interactions,
            suggestions=self.suggestions,
            acceptances=self.acceptances,
            by_editor=_breakdowns(self.editors),
            by_language=_breakdowns(self.languages),
            daily_active=tuple(sorted(self.per_day.items())),
        )


class TotalsSums:
    """The days of an org- or enterprise-level report, file by file (one JSON object each)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.days: dict[date, DayTotal] = {}
        self.seats: int | None = None

    def add_file(self, content: bytes) -> None:
        """Add the days of one file."""
        try:
            body = json.loads(content)
        except ValueError:
            raise RemoteError(f"the {self.what} is not JSON; run the report again") from None
        if not isinstance(body, dict) or not isinstance(body.get("day_totals"), list):
            raise RemoteError(f"the {self.what} lacks day_totals")
        if isinstance(body.get("seats_total"), int):
            self.seats = body["seats_total"]
        for entry in body["day_totals"]:
            day = _day(entry.get("day")) if isinstance(entry, dict) else None
            if day is None:
                continue
            self.days[day] = DayTotal(
                day=day,
                active_users=_int(entry.get("daily_active_users")),
                chat_users=_optional(entry.get("chat_users")),
                agent_users=_optional(entry.get("agent_users")),
                cli_users=_optional(entry.get("cli_users")),
                suggestions=_int(entry.get("code_generation_activity_count")),
                acceptances=_int(entry.get("code_acceptance_activity_count")),
            )

    def result(self, start: date, end: date) -> TotalsLevel:
        """The days added, in order."""
        return TotalsLevel(start, end, self.seats, tuple(self.days[d] for d in sorted(self.days)))


def summarize_legacy(what: str, days: Sequence[Mapping[str, Any]]) -> LegacySummary:
    """Sum the legacy metrics days (suggestions and acceptances over every editor/language)."""
    dates = sorted(d for d in (_day(day.get("date")) for day in days) if d is not None)
    suggestions = acceptances = 0
    for day in days:
        completions = day.get("copilot_ide_code_completions") or {}
        for editor in completions.get("editors") or []:
            for model in editor.get("models") or []:
                for language in model.get("languages") or []:
                    suggestions += _int(language.get("total_code_suggestions"))
                    acceptances += _int(language.get("total_code_acceptances"))
    count = len(days)
    return LegacySummary(
        what=what,
        days=count,
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
        average_active=_average(days, "total_active_users"),
        average_engaged=_average(days, "total_engaged_users"),
        suggestions=suggestions,
        acceptances=acceptances,
    )


def _average(days: Sequence[Mapping[str, Any]], field: str) -> float | None:
    return round(sum(_int(d.get(field)) for d in days) / len(days), 1) if days else None


def _add(table: dict[str, list[int]], entries: Any, name_key: str) -> None:
    if not isinstance(entries, list):
        return
    for entry in entries:
        if isinstance(entry, dict) and entry.get(name_key):
            sums = table.setdefault(str(entry[name_key]), [0, 0])
            sums[0] += _int(entry.get("code_generation_activity_count"))
            sums[1] += _int(entry.get("code_acceptance_activity_count"))


def _breakdowns(table: Mapping[str, list[int]]) -> tuple[Breakdown, ...]:
    rows = [Breakdown(name, sums[0], sums[1]) for name, sums in table.items()]
    return tuple(sorted(rows, key=lambda b: (-b.acceptances, -b.suggestions, b.name)))


def _size(users: set[str] | None) -> int | None:
    return None if users is None else len(users)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _optional(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
