"""The whole CLI against the embedded simulator: flows, exit codes and what is left changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from reconciler.cli import cli
from tests.e2e.conftest import world

ROOT = Path(__file__).resolve().parents[2]

DEMO_ORG: dict[str, Any] = {
    "owners": ["octo-admin"],
    "members": ["octo-admin", "alice", "bob", "carol", "dave", "erin", "mallory"],
    "teams": {
        "eng": {"name": "Eng", "members": ["alice", "bob"]},
        "legacy": {"name": "Legacy", "members": ["dave", "erin"]},
    },
    "selected_teams": ["legacy"],
    "selected_users": ["carol", "mallory"],
    "content_exclusion": {},
}

CONFIG = """\
version: 1
org: demo-org
seats:
  teams: [eng]
  users: [carol, dave]
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, Path]:
    """A world file and a config directory for the demo org, in a temporary folder."""
    world_file = tmp_path / "world.yaml"
    world_file.write_text(yaml.safe_dump(world({"demo-org": DEMO_ORG})))
    config = tmp_path / "config"
    config.mkdir()
    (config / "demo.yaml").write_text(CONFIG)
    return world_file, config


def _org_state(world_file: Path) -> dict[str, Any]:
    state: dict[str, Any] = yaml.safe_load(world_file.read_text())["orgs"]["demo-org"]
    return state


def test_plan_shows_changes_and_detailed_exitcode_is_2(demo: tuple[Path, Path]) -> None:
    world_file, config = demo
    result = run("plan", str(config), "--simulate", str(world_file), "--detailed-exitcode")
    assert result.exit_code == 2, result.output
    assert "mallory" in result.output
    assert "eng" in result.output


def test_plan_apply_then_drift_is_clean(demo: tuple[Path, Path]) -> None:
    world_file, config = demo
    applied = run("apply", str(config), "--simulate", str(world_file), "--yes")
    assert applied.exit_code == 0, applied.output
    assert "Apply complete" in applied.output
    drift = run("drift", str(config), "--simulate", str(world_file))
    assert drift.exit_code == 0, drift.output
    state = _org_state(world_file)
    # dave keeps his seat by a direct grant once his team `legacy` is unselected.
    assert "eng" in state["selected_teams"]
    assert "legacy" not in state["selected_teams"]
    assert "dave" in state["selected_users"]
    assert "mallory" not in state["selected_users"]


def test_stale_saved_plan_is_refused_with_3_and_changes_nothing(
    demo: tuple[Path, Path], tmp_path: Path
) -> None:
    world_file, config = demo
    saved = tmp_path / "plan.json"
    assert (
        run("plan", str(config), "--simulate", str(world_file), "--out", str(saved)).exit_code == 0
    )
    # Someone gives bob a seat between plan and apply (a change the seat list shows).
    data = yaml.safe_load(world_file.read_text())
    data["orgs"]["demo-org"]["selected_users"].append("bob")
    world_file.write_text(yaml.safe_dump(data))
    before = world_file.read_text()
    result = run("apply", str(config), "--simulate", str(world_file), "--plan", str(saved), "--yes")
    assert result.exit_code == 3, result.output
    assert world_file.read_text() == before


def test_saved_plan_applies_when_nothing_moved(demo: tuple[Path, Path], tmp_path: Path) -> None:
    world_file, config = demo
    saved = tmp_path / "plan.json"
    run("plan", str(config), "--simulate", str(world_file), "--out", str(saved))
    result = run("apply", str(config), "--simulate", str(world_file), "--plan", str(saved), "--yes")
    assert result.exit_code == 0, result.output
    assert run("drift", str(config), "--simulate", str(world_file)).exit_code == 0


def test_over_threshold_plan_is_refused_with_3_unless_forced(demo: tuple[Path, Path]) -> None:
    world_file, config = demo
    (config / "demo.yaml").write_text(CONFIG + "safety:\n  max_cancellations: 0\n")
    before = world_file.read_text()
    refused = run("apply", str(config), "--simulate", str(world_file), "--yes")
    assert refused.exit_code == 3, refused.output
    assert "max_cancellations" in refused.output
    assert world_file.read_text() == before
    forced = run("apply", str(config), "--simulate", str(world_file), "--yes", "--force")
    assert forced.exit_code == 0, forced.output


def test_empty_exact_seat_list_is_refused_unless_forced(demo: tuple[Path, Path]) -> None:
    world_file, config = demo
    (config / "demo.yaml").write_text("version: 1\norg: demo-org\nseats:\n  users: []\n")
    before = world_file.read_text()
    result = run("apply", str(config), "--simulate", str(world_file), "--yes")
    assert result.exit_code == 3, result.output
    assert world_file.read_text() == before


def test_apply_without_terminal_or_yes_is_refused_with_3(demo: tuple[Path, Path]) -> None:
    world_file, config = demo
    before = world_file.read_text()
    result = run("apply", str(config), "--simulate", str(world_file))
    assert result.exit_code == 3, result.output
    assert "--yes" in result.output
    assert world_file.read_text() == before


def test_invalid_config_exits_1_and_leaves_the_world_alone(demo: tuple[Path, Path]) -> None:
    world_file, config = demo
    (config / "demo.yaml").write_text(CONFIG + "unknown_section: true\n")
    before = world_file.read_text()
    result = run("apply", str(config), "--simulate", str(world_file), "--yes")
    assert result.exit_code == 1, result.output
    assert "demo.yaml:" in result.output
    assert world_file.read_text() == before


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "--no-such-option"],
        ["plan", "--format", "yaml"],
        ["no-such-command"],
        ["export"],
        ["plan", "--concurrency", "0"],
    ],
)
def test_usage_errors_exit_1_not_2(args: list[str]) -> None:
    assert run(*args).exit_code == 1


def test_options_may_follow_arguments(demo: tuple[Path, Path]) -> None:
    world_file, config = demo
    result = run("plan", str(config), "--simulate", str(world_file), "-v", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["format_version"] == 1


def test_plan_json_validates_against_its_schema(demo: tuple[Path, Path]) -> None:
    import jsonschema

    world_file, config = demo
    result = run("plan", str(config), "--simulate", str(world_file), "--format", "json")
    schema = json.loads((ROOT / "schemas" / "plan.schema.json").read_text())
    plan = json.loads(result.stdout)
    jsonschema.Draft202012Validator(schema).validate(plan)
    assert {c["action"] for c in plan["changes"]} >= {"add_teams", "remove_users", "remove_teams"}


def test_export_writes_a_config_that_validates_and_plans_empty(
    demo: tuple[Path, Path], tmp_path: Path
) -> None:
    world_file, _ = demo
    out = tmp_path / "exported"
    result = run("export", "--org", "demo-org", "--out", str(out), "--simulate", str(world_file))
    assert result.exit_code == 0, result.output
    assert run("validate", str(out)).exit_code == 0
    drift = run("drift", str(out), "--simulate", str(world_file))
    assert drift.exit_code == 0, drift.output


def test_every_command_has_help_text() -> None:
    def walk(command: Any, path: list[str]) -> list[list[str]]:
        found = [path]
        for name, sub in getattr(command, "commands", {}).items():
            found += walk(sub, [*path, name])
        return found

    for path in walk(cli, []):
        result = run(*path, "--help")
        assert result.exit_code == 0, path
        assert len(result.output.splitlines()) > 3, path


EXAMPLES = [
    ("small-org", "octo-org.yaml"),
    ("large-org", "acme-corp.yaml"),
    ("governed-org", "octo-secure.yaml"),
]


@pytest.mark.parametrize(("config", "world_name"), EXAMPLES)
def test_examples_plan_apply_and_drift_clean(config: str, world_name: str, tmp_path: Path) -> None:
    world_file = tmp_path / world_name
    shutil.copy(ROOT / "examples" / "worlds" / world_name, world_file)
    config_dir = str(ROOT / "examples" / config)
    planned = run("plan", config_dir, "--simulate", str(world_file), "--detailed-exitcode")
    assert planned.exit_code == 2, planned.output
    applied = run("apply", config_dir, "--simulate", str(world_file), "--yes", "--force")
    assert applied.exit_code == 0, applied.output
    drift = run("drift", config_dir, "--simulate", str(world_file))
    # Settings cannot be written through the API: settings drift may remain, changes may not.
    assert drift.exit_code in (0, 2), drift.output
    assert (
        json.loads(
            run("plan", config_dir, "--simulate", str(world_file), "--format", "json").stdout
        )["changes"]
        == []
    )


def test_small_example_converges_without_force_and_drift_exits_0(tmp_path: Path) -> None:
    world_file = tmp_path / "octo-org.yaml"
    shutil.copy(ROOT / "examples" / "worlds" / "octo-org.yaml", world_file)
    config_dir = str(ROOT / "examples" / "small-org")
    assert run("plan", config_dir, "--simulate", str(world_file)).exit_code == 0
    applied = run("apply", config_dir, "--simulate", str(world_file), "--yes")
    assert applied.exit_code == 0, applied.output
    drift = run("drift", config_dir, "--simulate", str(world_file))
    assert drift.exit_code == 0, drift.output


CANARY = "ghp_CANARY0123456789abcdefCANARY"


def test_the_token_never_appears_in_any_output_or_file(
    demo: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world_file, config = demo
    data = yaml.safe_load(world_file.read_text())
    data["tokens"] = {CANARY: data["tokens"]["e2e-token"]}
    world_file.write_text(yaml.safe_dump(data))
    cache = tmp_path / "cache"
    saved = tmp_path / "plan.json"
    monkeypatch.setenv("GITHUB_TOKEN", CANARY)
    common = ["--simulate", str(world_file), "--cache-dir", str(cache), "-vv"]
    outputs = [
        run("plan", str(config), *common, "--out", str(saved)),
        run("plan", str(config), *common, "--format", "markdown"),
        run("apply", str(config), *common, "--yes"),
        run("drift", str(config), *common, "--format", "json"),
        run("export", "--org", "demo-org", *common),
        # Failing calls: an org the token's user does not own (404), a wrong token (401).
        run("export", "--org", "someone-else", *common),
    ]
    monkeypatch.setenv("GITHUB_TOKEN", CANARY[:-1] + "X")
    outputs.append(run("plan", str(config), *common))
    assert [result.exit_code for result in outputs] == [0, 0, 0, 0, 0, 1, 1]
    assert "not found" in outputs[-2].output
    assert "401" in outputs[-1].output
    for result in outputs:
        assert CANARY not in result.output
        assert CANARY[:-1] not in result.output
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != world_file]
    assert saved in written
    for path in written:
        assert CANARY[:-1].encode() not in path.read_bytes(), path
