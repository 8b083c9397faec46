"""The plan says when apply will refuse it (issue 10, point 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import world
from tests.e2e.test_cli import CONFIG, DEMO_ORG, run

# The demo plan cancels 2 seats (mallory's, and erin's with team legacy).
LIMITED = CONFIG + "safety:\n  max_cancellations: 1\n"


@pytest.fixture
def refused(tmp_path: Path) -> tuple[Path, Path]:
    world_file = tmp_path / "world.yaml"
    world_file.write_text(yaml.safe_dump(world({"demo-org": DEMO_ORG})))
    config = tmp_path / "demo.yaml"
    config.write_text(LIMITED)
    return world_file, config


def test_plan_shows_the_refusal_above_the_totals_and_detailed_exitcode_is_3(
    refused: tuple[Path, Path],
) -> None:
    world_file, config = refused
    result = run("plan", str(config), "--simulate", str(world_file), "--detailed-exitcode")

    assert result.exit_code == 3, result.output
    tail = result.output.split("\n\n")[-2:]
    assert tail == [
        "Refused: apply will refuse this plan (exit 3) unless --force is given:\n"
        "  ✗ demo-org: the plan cancels 2 seat(s), more than safety.max_cancellations = 1 "
        f"(set at {config}:7:22)",
        "Plan: 2 seat(s) to add, 2 to cancel, 0 content-exclusion change(s); monthly cost "
        "$0.00 (this cycle +$8.87)\n",
    ]


def test_drift_exits_3_and_plain_plan_still_exits_0(refused: tuple[Path, Path]) -> None:
    world_file, config = refused
    assert run("drift", str(config), "--simulate", str(world_file)).exit_code == 3
    assert run("plan", str(config), "--simulate", str(world_file)).exit_code == 0
    config.write_text(CONFIG)  # the default limit allows 2 cancellations
    assert run("drift", str(config), "--simulate", str(world_file)).exit_code == 2


def test_the_json_and_markdown_plans_carry_the_refusal(refused: tuple[Path, Path]) -> None:
    world_file, config = refused
    data = json.loads(
        run("plan", str(config), "--simulate", str(world_file), "--format", "json").output
    )
    markdown = run(
        "plan", str(config), "--simulate", str(world_file), "--format", "markdown"
    ).output

    assert data["refusals"] == [
        {
            "org": "demo-org",
            "reason": "the plan cancels 2 seat(s), more than safety.max_cancellations = 1 "
            f"(set at {config}:7:22)",
            "limit": 1,
            "cancellations": 2,
            "source": {"file": str(config), "line": 7, "column": 22},
        }
    ]
    assert (
        "> [!CAUTION]\n> **Apply will refuse this plan (exit 3) unless --force is given:**\n"
        "> - demo-org: the plan cancels 2 seat(s), more than safety.max_cancellations = 1 "
        f"(set at {config}:7:22)\n"
    ) in markdown
    assert markdown.index("[!CAUTION]") < markdown.index("#### demo-org")


def test_apply_refuses_the_same_plan_and_force_is_the_only_way_past(
    refused: tuple[Path, Path], tmp_path: Path
) -> None:
    world_file, config = refused
    saved = tmp_path / "plan.json"
    run("plan", str(config), "--simulate", str(world_file), "--out", str(saved))
    before = world_file.read_text()

    applied = run(
        "apply", str(config), "--simulate", str(world_file), "--plan", str(saved), "--yes"
    )

    assert applied.exit_code == 3, applied.output
    assert "more than safety.max_cancellations = 1" in applied.output
    assert world_file.read_text() == before
    forced = run(
        "apply",
        str(config),
        "--simulate",
        str(world_file),
        "--plan",
        str(saved),
        "--yes",
        "--force",
    )
    assert forced.exit_code == 0, forced.output
