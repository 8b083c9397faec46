"""The text renderer: Terraform-like signs, colour only when asked, one Plan line."""

from __future__ import annotations

import io
import re

from reconciler.plan import Plan
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
from tests.helpers.plans import full_plan


def text(result: Plan, *, color: bool = False) -> str:
    out = io.StringIO()
    render_text(result, out, color=color)
    return out.getvalue()


def test_an_empty_plan_says_so() -> None:
    result = plan(desired(org_config(seat_policy=seats())), live(live_org()), today=TODAY, now=NOW)
    assert text(result) == "No changes. The live state matches the configuration.\n"


def test_settings_drift_alone_is_shown_with_where_to_change_it_and_no_plan_line() -> None:
    result = plan(
        desired(org_config(settings={"cli": "enabled"})),
        live(live_org(settings={**SETTINGS, "cli": "disabled"})),
        today=TODAY,
        now=NOW,
    )
    assert text(result) == (
        "octo-org\n"
        "  ! setting cli: want enabled, have disabled (asserted in org.yaml:2:3)\n"
        "      an org owner changes it at "
        "https://github.com/organizations/octo-org/settings/copilot/policies\n"
        "\n"
        "No changes to apply; 1 setting(s) drift from the configuration (the API cannot "
        "change them: an org owner does, at the pages above).\n"
    )


def test_a_cancellation_plan_ends_with_the_totals_and_negative_costs() -> None:
    result = plan(
        desired(org_config(seat_policy=seats(users=["alice"]))),
        live(live_org(seat_list=[seat("alice"), seat("mallory")])),
        today=TODAY,
        now=NOW,
    )
    assert text(result) == (
        "octo-org\n"
        "  # 1 direct seat(s) not declared or expired\n"
        "  - mallory (not declared)\n"
        "\n"
        "Plan: 0 seat(s) to add, 1 to cancel, 0 content-exclusion change(s); "
        "monthly cost -$19.00 (this cycle $0.00)\n"
    )


def test_colour_is_ansi_only_when_asked() -> None:
    plain, coloured = text(full_plan()), text(full_plan(), color=True)
    assert "\033[" not in plain
    assert "\033[32m+ alice\033[0m (declared in org.yaml:12:7)" in coloured
    assert "\033[31m- mallory\033[0m (not declared)" in coloured
    assert "\033[33m~ content exclusion\033[0m" in coloured
    # Without the escape codes the two are the same text.
    assert re.sub(r"\033\[[0-9;]*m", "", coloured) == plain
