"""UTC timestamps: one way to write them and one way to read them, for plans and the simulator.

GitHub writes ``2026-11-24T12:00:00Z``; so do we. A naive datetime is taken to be UTC
everywhere, because every clock in this project (the wall clock, a world file's ``now``) is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal

TimeSpec = Literal["auto", "seconds"]


def format_time(moment: datetime, *, timespec: TimeSpec = "seconds") -> str:
    """ISO 8601 in UTC with a trailing ``Z``: GitHub's form with ``"seconds"``, every digit
    the datetime holds with ``"auto"`` (a saved plan keeps its exact timestamp)."""
    aware = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    # isoformat is several times faster than strftime, and seat pages format thousands.
    return aware.replace(tzinfo=None).isoformat(timespec=timespec) + "Z"


def parse_time(value: object) -> datetime:
    """An aware UTC datetime from a datetime, a date (midnight) or an ISO 8601 string.

    Raises :class:`ValueError` naming the expected form for anything else.
    """
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime(value.year, value.month, value.day)
    else:
        try:
            if not isinstance(value, str):
                raise ValueError
            result = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            # Python's "Invalid isoformat string" does not say what is wanted.
            raise ValueError(
                f"expected a timestamp like 2026-11-24T12:00:00Z (ISO 8601), got {value!r}"
            ) from None
    return result.replace(tzinfo=UTC) if result.tzinfo is None else result.astimezone(UTC)


def parse_day(value: object) -> date:
    """A date from a date, a datetime (its day) or a ``YYYY-MM-DD`` string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        if not isinstance(value, str):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expected a date like 2026-12-01 (YYYY-MM-DD), got {value!r}") from None


def utc_now() -> datetime:
    """The wall clock, in UTC: the default clock of every command that talks to GitHub."""
    return datetime.now(UTC)
