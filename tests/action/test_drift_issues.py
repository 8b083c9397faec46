"""drift.yml's issue step: its actions/github-script code, run by Node with a stand-in for
GitHub's REST API, opens, updates and closes one issue per org as the workflow says."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).resolve().parent / "node" / "github_script.mjs"
IN_CI = bool(os.environ.get("CI"))

pytestmark = [
    pytest.mark.node,
    pytest.mark.skipif(shutil.which("node") is None and not IN_CI, reason="node is not installed"),
]

DRIFT = "<!-- copilot-reconciler:plan -->\n### Copilot plan: 1 seat(s) to add\n"
TITLE = "Copilot drift: octo-org"


def _step() -> dict[str, Any]:
    workflow = yaml.safe_load((ROOT / "examples" / "workflows" / "drift.yml").read_text())
    (step,) = [
        s for s in workflow["jobs"]["drift"]["steps"] if "github-script" in s.get("uses", "")
    ]
    return step


def _run(
    tmp_path: Path, exitcode: str, issues: list[dict[str, Any]], labels: list[str]
) -> list[Any]:
    step = _step()
    script = tmp_path / "script.js"
    script.write_text(step["with"]["script"])
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"issues": issues, "labels": labels}))
    markdown = tmp_path / "plan.md"
    markdown.write_text(DRIFT)
    assert set(step["env"]) == {"ORG", "EXITCODE", "PLAN_MARKDOWN"}
    env = {**os.environ, "ORG": "octo-org", "EXITCODE": exitcode, "PLAN_MARKDOWN": str(markdown)}
    done = subprocess.run(
        ["node", str(RUNNER), str(script), str(state)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    calls: list[Any] = json.loads(done.stdout)
    return [call for call in calls if call[0] != "notice"]


def _issue(number: int, title: str = TITLE, state: str = "open") -> dict[str, Any]:
    return {"number": number, "title": title, "state": state, "labels": ["copilot-drift"]}


def test_drift_opens_the_orgs_issue_with_its_label(tmp_path: Path) -> None:
    other = _issue(3, "Copilot drift: acme-corp")
    calls = _run(tmp_path, "2", [other], labels=[])
    assert [name for name, _ in calls] == ["createLabel", "create"]
    assert calls[0][1]["name"] == "copilot-drift"
    created = calls[1][1]
    assert (created["title"], created["labels"]) == (TITLE, ["copilot-drift"])
    assert created["body"].startswith(DRIFT)
    assert "https://github.com/acme/copilot/actions/runs/42" in created["body"]


def test_drift_updates_the_open_issue_instead_of_opening_another(tmp_path: Path) -> None:
    calls = _run(tmp_path, "2", [_issue(5)], labels=["copilot-drift"])
    assert [name for name, _ in calls] == ["update"]
    assert calls[0][1]["issue_number"] == 5
    assert calls[0][1]["body"].startswith(DRIFT)


def test_in_sync_closes_the_open_issue_with_a_comment(tmp_path: Path) -> None:
    calls = _run(
        tmp_path, "0", [_issue(5), _issue(6, "Copilot drift: acme-corp")], ["copilot-drift"]
    )
    assert [name for name, _ in calls] == ["createComment", "update"]
    assert calls[0][1]["issue_number"] == calls[1][1]["issue_number"] == 5
    assert "In sync again" in calls[0][1]["body"]
    assert (calls[1][1]["state"], calls[1][1]["state_reason"]) == ("closed", "completed")


def test_in_sync_without_an_open_issue_does_nothing(tmp_path: Path) -> None:
    assert _run(tmp_path, "0", [_issue(5, state="closed")], ["copilot-drift"]) == []


def test_the_step_runs_only_on_exit_0_or_2() -> None:
    condition = _step()["if"]
    assert condition == (
        "steps.drift.outputs.exitcode == '0' || steps.drift.outputs.exitcode == '2'"
    )
