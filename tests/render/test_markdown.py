"""The Markdown renderer: a PR comment that a CI step can find and that always fits."""

from __future__ import annotations

import io
import re

import pytest

from reconciler.plan import Change, Plan, Summary
from reconciler.plan.planner import plan
from reconciler.render import render_markdown
from reconciler.render.markdown import FOLD_AT, MARKER, MAX_CHARS, MIN_CHARS, markdown_text
from tests.helpers.builders import NOW, TODAY, desired, live, live_org, org_config, seats
from tests.helpers.plans import full_plan, huge_plan


def markdown(result: Plan) -> str:
    out = io.StringIO()
    render_markdown(result, out)
    return out.getvalue()


def assert_well_formed(text: str) -> None:
    """Every <details> closed, no code fence left open."""
    assert text.count("<details>") == text.count("</details>")
    assert text.count("```") % 2 == 0


def test_the_first_line_is_the_hidden_marker_and_the_summary_comes_first() -> None:
    lines = markdown(full_plan()).splitlines()
    assert lines[0] == MARKER == "<!-- copilot-reconciler:plan -->"
    assert lines[1] == (
        "### Copilot plan: 5 seat(s) to add, 3 to cancel, 1 content-exclusion change(s); "
        "monthly cost +$38.00 (this cycle +$17.73)"
    )
    assert lines[3:6] == ["| | |", "|---|---:|", "| Seats to add | 5 seats (1 reactivated) |"]


def test_an_empty_plan_is_a_short_comment() -> None:
    result = plan(desired(org_config(seat_policy=seats())), live(live_org()), today=TODAY, now=NOW)
    assert markdown(result) == (
        f"{MARKER}\n"
        "### Copilot plan: no changes\n"
        "\n"
        "No changes. The live state matches the configuration.\n"
        "\n"
        "<sub>copilot-reconciler 0.1.0 · 2026-11-24T12:00:00Z · live state "
        f"{result.live_fingerprint[:19]}…</sub>\n"
    )


def test_a_long_table_is_folded_into_details() -> None:
    text = markdown(huge_plan(FOLD_AT))  # 2 x FOLD_AT rows
    assert_well_formed(text)
    assert (
        "<details>\n<summary>All 40 rows of big-org</summary>\n\n| | Change | Name | Why |" in text
    )
    assert "more: see the full plan" not in text


def test_a_hundred_thousand_changed_users_still_fit_with_a_note_on_the_cut() -> None:
    text = markdown(huge_plan(100_000))
    assert len(text) < MAX_CHARS
    assert_well_formed(text)
    assert text.startswith(MARKER + "\n### Copilot plan: 100000 seat(s) to add, 100000 to cancel")
    cut = re.search(r"\*… and ([\d,]+) more: see the full plan \(the job summary of this run", text)
    assert cut is not None
    # Each change is cut on its own: the cancellations stay visible after 100,000 grants.
    assert "`new-user-000000`" in text
    assert "`old-user-000000`" in text


def test_many_orgs_fall_back_to_the_summary_and_a_pointer_to_the_artifact() -> None:
    changes = tuple(
        Change(org=f"org-{i:05d}", action="add_users", users=("a",), reason="r" * 200)
        for i in range(2000)
    )
    result = Plan(
        changes=changes,
        settings_drift=(),
        warnings=(),
        summary=Summary(2000, 0, 38000.0, 0.0),
        live_fingerprint="sha256:" + "1" * 64,
        generated_at=NOW,
        tool_version="0.1.0",
    )
    text = markdown(result)
    assert len(text) < MAX_CHARS
    assert "> The plan is too large to show here: see the full plan" in text


def test_table_cells_escape_pipes_and_html() -> None:
    change = Change(
        org="o",
        action="remove_users",
        users=("eve",),
        reason="x",
        reasons={"eve": "a | b <script>"},
        seats_cancelled=1,
    )
    result = Plan(
        changes=(change,),
        settings_drift=(),
        warnings=(),
        summary=Summary(0, 1, -19.0, 0.0),
        live_fingerprint="sha256:" + "2" * 64,
        generated_at=NOW,
        tool_version="0.1.0",
    )
    assert "| ➖ | cancel seat | `eve` | a \\| b &lt;script> |" in markdown(result)


@pytest.mark.parametrize("limit", [MIN_CHARS, 5_000, 65_000, 1_000_000])
def test_a_size_limit_is_kept_with_the_summary_and_the_cancellations_visible(limit: int) -> None:
    text = markdown_text(huge_plan(2_000), max_chars=limit)
    assert len(text) < limit
    assert_well_formed(text)
    assert text.startswith(MARKER + "\n### Copilot plan: 2000 seat(s) to add, 2000 to cancel")
    assert "| Seats to cancel | 2,000 seats |" in text
    if limit > MIN_CHARS:  # the smallest limit keeps only the summary and the pointer
        assert "`old-user-000000`" in text


def test_a_larger_limit_shows_rows_a_comment_cannot() -> None:
    result = huge_plan(2_000)
    comment, summary = markdown_text(result), markdown_text(result, max_chars=1_000_000)
    assert "`old-user-001999`" not in comment
    assert "more: see the full plan (the job summary of this run" in comment
    assert "`old-user-001999`" in summary
    assert "see the full plan" not in summary


def test_a_limit_below_the_minimum_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2000"):
        markdown_text(huge_plan(1), max_chars=MIN_CHARS - 1)
