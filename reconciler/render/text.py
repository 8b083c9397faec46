"""The terminal rendering of a plan, in the manner of ``terraform plan``.

Per org: ``+`` for what is granted or selected, ``-`` for what is cancelled or unselected,
``~`` for content exclusion, ``!`` for settings that drift (with the page where an owner
changes them); then warnings, then the refusals of the safety guard (what ``apply`` will
refuse without ``--force``), then one ``Plan:`` line with the seat and cost totals and the
number of drifting settings. Colour (ANSI) only when the caller says so: deciding whether the
stream is a terminal and whether ``NO_COLOR`` is set is the CLI's business.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from reconciler.plan import Change, Plan
from reconciler.render.common import (
    NO_CHANGES,
    REFUSED,
    by_org,
    exclusion_lines,
    headline,
    refusal_lines,
    rows,
)

#: Colours a piece of text by its style (identity when colour is off).
_Paint = Callable[[str, str], str]

_COLORS = {"+": "32", "-": "31", "~": "33", "!": "33", "#": "2", "org": "1"}


def render_text(plan: Plan, stream: TextIO, *, color: bool = False) -> None:
    """Write ``plan`` to ``stream`` for a person at a terminal."""

    def paint(style: str, text: str) -> str:
        return f"\033[{_COLORS[style]}m{text}\033[0m" if color else text

    if not plan.has_drift:
        stream.write(NO_CHANGES + "\n")
        _warnings(plan, stream, paint)
        return
    for org, changes, drifts in by_org(plan):
        stream.write(paint("org", org) + "\n")
        for change in changes:
            _change(change, stream, paint)
        for drift in drifts:
            have = "(not reported)" if drift.have is None else drift.have
            stream.write(
                "  "
                + paint("!", f"! setting {drift.setting}: want {drift.want}, have {have}")
                + f" (asserted in {drift.source})\n"
                + f"      an org owner changes it at {drift.url}\n"
            )
        stream.write("\n")
    _warnings(plan, stream, paint)
    _refusals(plan, stream, paint)
    count = len(plan.settings_drift)
    if plan.has_changes:
        # The one line a skimming reader sees: it must not hide drift beside seat changes.
        drifting = f"; {count} setting(s) drift (an org owner changes them)" if count else ""
        stream.write(f"Plan: {headline(plan)}{drifting}\n")
    else:
        stream.write(
            f"No changes to apply; {count} setting(s) drift from the configuration "
            "(the API cannot change them: an org owner does, at the pages above).\n"
        )


def _change(change: Change, stream: TextIO, paint: _Paint) -> None:
    stream.write("  " + paint("#", f"# {change.reason}") + "\n")
    if change.action == "set_content_exclusion":
        stream.write("  " + paint("~", "~ content exclusion") + "\n")
        for sign, repo, pattern in exclusion_lines(change.diff or {}):
            stream.write("      " + paint(sign, f"{sign} {repo}: {pattern}") + "\n")
        return
    for row in rows(change):
        label = f"team {row.name}" if row.kind.endswith("team") else row.name
        indent = "      " if row.nested else "  "
        reason = f" ({row.reason})" if row.reason else ""
        stream.write(indent + paint(row.sign, f"{row.sign} {label}") + reason + "\n")


def _warnings(plan: Plan, stream: TextIO, paint: _Paint) -> None:
    if not plan.warnings:
        return
    stream.write("Warnings:\n")
    for warning in plan.warnings:
        stream.write("  " + paint("!", "!") + f" {warning}\n")
    stream.write("\n")


def _refusals(plan: Plan, stream: TextIO, paint: _Paint) -> None:
    """Right above the totals: a reviewer must not miss that this plan cannot be applied."""
    lines = refusal_lines(plan)
    if not lines:
        return
    stream.write(paint("-", f"Refused: {REFUSED}:") + "\n")
    for line in lines:
        stream.write("  " + paint("-", "✗") + f" {line}\n")
    stream.write("\n")
