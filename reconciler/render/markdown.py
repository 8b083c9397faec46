"""The Markdown rendering of a plan, for a pull-request comment.

The first line is a hidden marker (:data:`MARKER`) by which a CI step finds its own comment
and updates it in place. The summary comes first (with a caution block when ``apply`` will
refuse the plan), then one section per org (a table of every name and why, folded into
``<details>`` when long), settings drift, and warnings.

GitHub refuses comments over 65,536 characters, so the result always stays under a size limit
(:data:`MAX_CHARS` unless the caller gives another, such as the 1 MiB of a job summary): when
the whole plan does not fit, the tables are cut shorter and shorter, each cut saying how many
rows it left out and where the full plan is. The summary and every change's first rows (so the
cancellations too, however many seats are granted) stay visible.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from reconciler.plan import Change, Plan
from reconciler.render.common import (
    NO_CHANGES,
    REFUSED,
    Row,
    by_org,
    headline,
    money,
    plural,
    refusal_lines,
    rows,
)

#: The hidden first line of every plan comment.
MARKER = "<!-- copilot-reconciler:plan -->"

#: The rendered comment is shorter than this by default (GitHub's limit is 65,536).
MAX_CHARS = 60_000

#: The smallest limit a caller may ask for: the summary and the footer always fit in it.
MIN_CHARS = 2_000

#: Tables and lists longer than this are folded into ``<details>``.
FOLD_AT = 20

# Rows kept per table when the plan does not fit, tried in turn (None: all of them).
_ROW_CAPS: tuple[int | None, ...] = (None, 1000, 300, 100, 30, 10, 0)

# An org's name, its changes and the rows of each.
_Section = tuple[str, list[Change], list[list[Row]]]

_SIGNS = {"+": "➕", "-": "➖", "~": "✏️"}
_CUT = "see the full plan (the job summary of this run and its JSON plan artifact) for every row"


def render_markdown(plan: Plan, stream: TextIO, *, max_chars: int = MAX_CHARS) -> None:
    """Write ``plan`` to ``stream`` as a pull-request comment shorter than ``max_chars``."""
    stream.write(markdown_text(plan, max_chars=max_chars))


def markdown_text(plan: Plan, *, max_chars: int = MAX_CHARS) -> str:
    """The comment for ``plan``, cut to fit under ``max_chars`` (at least :data:`MIN_CHARS`)."""
    if max_chars < MIN_CHARS:
        raise ValueError(f"max_chars must be at least {MIN_CHARS}, not {max_chars}")
    sections = [
        (org, changes, [list(rows(change)) for change in changes])
        for org, changes, _ in by_org(plan)
    ]
    total_rows = sum(len(part) for _, _, table in sections for part in table)
    for cap in _ROW_CAPS:
        if cap is None and total_rows > max_chars // 20:
            continue  # cannot fit at ~20 characters a row: skip the full rendering
        text = _render(plan, sections, cap)
        if len(text) < max_chars:
            return text
    return _render_minimal(plan)


def _render(plan: Plan, sections: list[_Section], cap: int | None) -> str:
    out = _head(plan)
    if not plan.has_drift:
        out += [NO_CHANGES, ""]
    for org, changes, table in sections:
        out += _org_section(org, changes, table, cap)
    out += _drift_section(plan, cap)
    out += _list_section("Warnings", plan.warnings, cap)
    out += _footer(plan)
    return "\n".join(out)


def _render_minimal(plan: Plan) -> str:
    note = f"> The plan is too large to show here: {_CUT}."
    return "\n".join([*_head(plan), note, "", *_footer(plan)])


def _head(plan: Plan) -> list[str]:
    summary = plan.summary
    title = headline(plan) if plan.has_changes else "no changes"
    out = [MARKER, f"### Copilot plan: {title}", ""]
    if not plan.has_drift:
        return out
    added = plural(summary.seats_added, "seat")
    if summary.seats_reactivated:
        added += f" ({summary.seats_reactivated:,} reactivated)"
    out += [
        "| | |",
        "|---|---:|",
        f"| Seats to add | {added} |",
        f"| Seats to cancel | {plural(summary.seats_cancelled, 'seat')} |",
        f"| Content-exclusion changes | {summary.content_exclusion_changes:,} |",
        f"| Settings drifting | {len(plan.settings_drift):,} |",
        f"| Monthly cost | {money(summary.monthly_cost_delta_usd)} |",
        f"| This billing cycle | {money(summary.prorated_cost_this_cycle_usd)} |",
        "",
    ]
    return out + _refusals(plan)


def _org_section(
    org: str, changes: list[Change], table: list[list[Row]], cap: int | None
) -> list[str]:
    """The org's changes as bullets, then a table of every row (each change's rows cut at
    ``cap``, so that cancellations stay visible however many seats are granted)."""
    if not changes:
        return []
    out = [f"#### {_cell(org)}", ""]
    out += [f"- {_SIGNS[_sign(change)]} {_cell(change.reason)}" for change in changes]
    out.append("")
    count = sum(len(part) for part in table)
    if cap == 0:
        return [*out, f"*{plural(count, 'row')}: {_CUT}.*", ""]
    lines = ["| | Change | Name | Why |", "|---|---|---|---|"]
    for part in table:
        lines += [_row(row) for row in part[:cap]]
        if cap is not None and len(part) > cap:
            lines.append(f"| ⋯ | | | *… and {len(part) - cap:,} more: {_CUT}* |")
    out += _fold(f"All {plural(count, 'row')} of {_cell(org)}", lines, count)
    return out


def _drift_section(plan: Plan, cap: int | None) -> list[str]:
    drift = plan.settings_drift
    if not drift:
        return []
    lines = ["The API cannot change these settings: an org owner does, on the linked page.", ""]
    if cap != 0:
        lines += [
            "| Org | Setting | Want | Have | Asserted in | Change it |",
            "|---|---|---|---|---|---|",
        ]
    for item in drift[:cap]:
        have = "*(not reported)*" if item.have is None else _code(item.have)
        lines.append(
            f"| {_cell(item.org)} | {_code(item.setting)} | {_code(item.want)} | {have} "
            f"| {_cell(str(item.source))} | [settings]({item.url}) |"
        )
    lines += _cut_note(len(drift), cap)
    return ["#### Settings drift", "", *_fold("Settings", lines, len(drift))]


def _list_section(title: str, items: Iterable[str], cap: int | None) -> list[str]:
    entries = list(items)
    if not entries:
        return []
    lines = [f"- {_cell(entry)}" for entry in entries[:cap]]
    lines += _cut_note(len(entries), cap)
    return [f"#### {title}", "", *_fold(f"All {len(entries):,}", lines, len(entries))]


def _footer(plan: Plan) -> list[str]:
    stamp = plan.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        f"<sub>copilot-reconciler {plan.tool_version} · {stamp} · "
        f"live state {plan.live_fingerprint[:19]}…</sub>",
        "",
    ]


def _refusals(plan: Plan) -> list[str]:
    """A caution block under the summary: a plan apply will refuse must not look mergeable.
    One line per refused org, so it is short and never cut."""
    lines = refusal_lines(plan)
    if not lines:
        return []
    out = ["> [!CAUTION]", f"> **{REFUSED[0].upper()}{REFUSED[1:]}:**"]
    return [*out, *(f"> - {_cell(line)}" for line in lines), ""]


def _fold(summary: str, lines: list[str], count: int) -> list[str]:
    if count <= FOLD_AT:
        return [*lines, ""]
    return ["<details>", f"<summary>{summary}</summary>", "", *lines, "", "</details>", ""]


def _cut_note(count: int, cap: int | None) -> list[str]:
    if cap is None or count <= cap:
        return []
    return ["", f"*… and {count - cap:,} more: {_CUT}.*"] if cap else [f"*{count:,}: {_CUT}.*"]


def _row(row: Row) -> str:
    if row.kind == "content exclusion":
        kind = "exclude" if row.sign == "+" else "stop excluding"
        return f"| {_SIGNS[row.sign]} | {kind} | {_code(row.name)} | {_code(row.reason)} |"
    kind = f"↳ {row.kind}" if row.nested else row.kind
    return f"| {_SIGNS[row.sign]} | {kind} | {_code(row.name)} | {_cell(row.reason)} |"


def _sign(change: Change) -> str:
    if change.action.startswith("add_"):
        return "+"
    return "-" if change.action.startswith("remove_") else "~"


def _cell(text: str) -> str:
    """Text safe inside a table cell: no pipes, no line breaks, no HTML."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def _code(text: str) -> str:
    """Text as a code span inside a table cell (GitHub unescapes ``\\|`` there too)."""
    body = text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    return f"`` {body} ``" if "`" in body else f"`{body}`"
