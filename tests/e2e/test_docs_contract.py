"""The project's docs do not promise commands that do not exist, and what CI makes is ignored."""

from __future__ import annotations

import re
from pathlib import Path

from reconciler.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def _documented_commands() -> dict[str, bool]:
    """Each command of docs/product.md's Commands block -> whether it is marked planned."""
    text = (ROOT / "docs" / "product.md").read_text(encoding="utf-8")
    block = text.split("## Commands", 1)[1].split("```", 2)[1]
    found = {}
    for line in block.splitlines():
        match = re.match(r"copilot-reconciler (\w+)", line)
        if match:
            found[match.group(1)] = line.rstrip().endswith("# planned")
    return found


def test_product_md_lists_commands_that_exist_and_marks_the_others_planned() -> None:
    documented = _documented_commands()
    assert {"validate", "plan", "apply", "drift", "export", "orgs", "simulator"} <= set(documented)
    for name, planned in documented.items():
        # A planned command that lands must lose its mark, and only then.
        assert (name in cli.commands) is not planned, f"{name}: planned={planned}"


def test_the_virtual_environment_ci_makes_is_ignored_by_git() -> None:
    made = re.findall(r"python3? -m venv (\S+)", (ROOT / ".ci" / "run").read_text())
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert made, "the CI script makes a virtual environment"
    for folder in made:
        assert f"{folder.rstrip('/')}/" in ignored
