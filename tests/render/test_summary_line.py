"""The last line of a text plan is what a skimming reader sees: it leaves nothing out."""

from __future__ import annotations

import io

from reconciler.plan.planner import plan
from reconciler.render import render_text
from tests.helpers.builders import (
    NOW,
    SETTINGS,
    TODAY,
    desired,
    live,
    live_org,
    org_config,
    seat,
    seats,
)


def last_line(*, cli_setting: str) -> str:
    result = plan(
        desired(org_config(seat_policy=seats(users=["alice"]), settings={"cli": "enabled"})),
        live(live_org(seat_list=[seat("mallory")], settings={**SETTINGS, "cli": cli_setting})),
        today=TODAY,
        now=NOW,
    )
    out = io.StringIO()
    render_text(result, out)
    return out.getvalue().splitlines()[-1]


def test_the_plan_line_counts_settings_drift_beside_seat_changes() -> None:
    line = last_line(cli_setting="disabled")
    assert line == (
        "Plan: 1 seat(s) to add, 1 to cancel, 0 content-exclusion change(s); monthly cost $0.00"
        " (this cycle +$4.43); 1 setting(s) drift (an org owner changes them)"
    )


def test_without_drift_the_plan_line_says_nothing_of_settings() -> None:
    line = last_line(cli_setting="enabled")
    assert line.startswith("Plan: 1 seat(s) to add, 1 to cancel")
    assert "setting" not in line
