"""The report's charts as inline SVG, drawn with leather (MIT, pure Python, no dependencies).

Each function returns one ``<svg>`` element as text, or ``None`` when there is nothing to
draw (leather refuses a line of one point, and an empty chart says nothing). Text in the SVG
comes from the API (team, editor and language names); leather writes it through
ElementTree, which escapes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import leather

WIDTH, HEIGHT = 560, 300
#: GitHub's blue: leather's default red reads as an alarm.
COLOR = "#2f81f7"
_FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"'


def bar_chart(title: str, bars: Sequence[tuple[str, int]]) -> str | None:
    """Horizontal bars, one per (label, value), top to bottom in the order given."""
    if not bars:
        return None
    chart = leather.Chart(title)
    chart.add_bars([(value, label) for label, value in bars], fill_color=COLOR)
    chart.add_x_scale(0, max(1, *(value for _, value in bars)))
    chart.add_x_axis(tick_formatter=_integer)
    return _svg(chart)


def line_chart(title: str, points: Sequence[tuple[date, int]]) -> str | None:
    """A line over days; ticks weekly, labelled like ``Nov 03``."""
    if len(points) < 2:
        return None
    # Naive datetimes: leather's time ticker fails on dates and on aware datetimes.
    times = [(datetime(d.year, d.month, d.day), v) for d, v in points]
    first, last = times[0][0], times[-1][0]
    chart = leather.Chart(title)
    chart.add_x_scale(first, last)
    chart.add_y_scale(0, max(1, *(v for _, v in times)))
    ticks = [first + timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)]
    chart.add_x_axis(ticks=ticks, tick_formatter=_day)
    chart.add_y_axis(tick_formatter=_integer)
    chart.add_line(times, stroke_color=COLOR, width=2)
    return _svg(chart)


def _svg(chart: leather.Chart) -> str:
    svg = chart.to_svg(width=WIDTH, height=HEIGHT)
    # Scale with the page: keep the drawing's proportions, drop the fixed pixel size.
    # leather asks for Monaco, which most machines lack (the fallback is a serif font).
    return (
        str(svg)
        .replace(
            f'<svg width="{WIDTH}" height="{HEIGHT}"',
            f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img"',
            1,
        )
        .replace('font-family="Monaco"', _FONT)
    )


def _integer(value: Any, _index: int, _count: int) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else ""


def _day(value: Any, _index: int, _count: int) -> str:
    return f"{value:%b %d}"
