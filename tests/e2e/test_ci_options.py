"""The CLI options CI builds on: annotations from validate, drift --out, show, --max-chars."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import CONFIG, demo, run  # noqa: F401  (demo is a fixture)


def test_validate_format_github_prints_one_annotation_per_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad,name.yaml"
    bad.write_text("version: 1\norg: octo-org\nsafety: {max: 1}\nseats:\n  users: ['a%b']\n")
    result = run("validate", "--format", "github", str(bad))
    assert result.exit_code == 1
    name = str(bad).replace(",", "%2C").replace(":", "%3A")
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"::error file={name},line=3,col=10,title=copilot-reconciler::"
        "safety: unknown key 'max' (allowed: max_cancellations)"
    )
    # The data part escapes % so that the runner does not decode it.
    assert lines[1].startswith(f"::error file={name},line=5,col=11,title=copilot-reconciler::")
    assert "'a%25b' is not a valid GitHub login" in lines[1]
    assert len(lines) == 2
    assert result.stderr == ""


def test_validate_format_github_on_a_valid_config_says_valid(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text(CONFIG)
    result = run("validate", "--format", "github", str(tmp_path))
    assert (result.exit_code, result.stdout) == (0, "valid: 1 organization\n")


def test_drift_saves_the_plan_and_show_renders_it_without_the_api(
    demo: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    world_file, config = demo
    saved = tmp_path / "drift.json"
    drift = run("drift", str(config), "--simulate", str(world_file), "--out", str(saved))
    assert drift.exit_code == 2, drift.output
    world_file.unlink()  # show reads only the file
    shown = run("show", str(saved), "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout) == json.loads(saved.read_text())
    markdown = run("show", str(saved), "--format", "markdown")
    assert markdown.stdout.startswith("<!-- copilot-reconciler:plan -->\n### Copilot plan:")
    assert "`mallory`" in markdown.stdout


def test_max_chars_cuts_the_markdown_and_has_a_floor(demo: tuple[Path, Path]) -> None:  # noqa: F811
    world_file, config = demo
    args = ["plan", str(config), "--simulate", str(world_file), "--format", "markdown"]
    full = run(*args)
    cut = run(*args, "--max-chars", "2000")
    assert full.exit_code == cut.exit_code == 0
    assert len(cut.stdout) < 2000 < len(full.stdout) + 2000
    assert "| Seats to cancel |" in cut.stdout
    refused = run(*args, "--max-chars", "1999")
    assert refused.exit_code == 1
    assert "--max-chars" in refused.stderr


@pytest.mark.parametrize("content", ["", "[]", "{"])
def test_show_names_a_file_that_is_not_a_plan(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text(content)
    result = run("show", str(bad))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}")
