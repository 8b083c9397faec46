"""The composite action (action.yml), run step by step as a runner would, against
`copilot-reconciler simulator serve` on a loopback port.

The first run installs the tool from the action's own checkout into a virtual environment
(pip, with the action's pins); every later run reuses it, as a second use of the action in
one job does.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from reconciler.render.markdown import MARKER
from tests.action.harness import ActionRun, Runner
from tests.helpers.keys import rsa_key_pair

ROOT = Path(__file__).resolve().parents[2]
WORLD = ROOT / "examples" / "worlds" / "octo-org.yaml"
TOKEN = "demo-token"  # the example world's token
VENV = "copilot-reconciler-venv"
SERVE = [sys.executable, "-m", "reconciler", "simulator", "serve"]

# The first run pip-installs the tool and its pinned dependencies (about ten seconds).
pytestmark = pytest.mark.slow

# Matches the example world: additive, so nothing is cancelled, and every user holds a seat.
IN_SYNC = """\
version: 1
org: octo-org
seats:
  mode: additive
  users: [alice, carol, octo-admin]
"""

# The small example's plan cancels erin's and frank's seats: over a threshold of 0.
OVER_THRESHOLD = (
    (ROOT / "examples" / "small-org" / "org.yaml")
    .read_text()
    .replace("max_cancellations: 5", "max_cancellations: 0")
)

INVALID = """\
version: 1
org: octo-org
seats:
  users: [alice, -bob-]
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


APP_ID, INSTALLATION = "424242", "99"
PRIVATE_KEY, PUBLIC_KEY = rsa_key_pair()


@contextmanager
def _served(world: Path) -> Iterator[str]:
    """``world`` served on a free loopback port by `simulator serve`; its URL."""
    port = _free_port()
    server = subprocess.Popen(
        [*SERVE, "--state", str(world), "--port", str(port)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert server.stderr is not None
        assert server.stderr.readline().startswith(f"serving http://127.0.0.1:{port}")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=20)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[str]:
    """The example world, with a GitHub App installed in its org, served; its URL."""
    world = tmp_path / "world.yaml"
    app = {"public_key": PUBLIC_KEY, "installations": {INSTALLATION: {"org": "octo-org"}}}
    world.write_text(WORLD.read_text() + "\n" + yaml.safe_dump({"apps": {APP_ID: app}}))
    with _served(world) as url:
        yield url


def _runner(temp: Path, workspace: Path) -> Runner:
    python = {"python-path": sys.executable, "python-version": platform.python_version()}
    return Runner(ROOT, workspace, temp, provided={"python": python})


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The virtual environment the action installs, made once by a real run of the action."""
    temp, workspace = tmp_path_factory.mktemp("temp"), tmp_path_factory.mktemp("workspace")
    (workspace / "org.yaml").write_text(IN_SYNC)
    done = _runner(temp, workspace).run({"command": "validate", "path": "org.yaml"})
    assert done.exit_code == 0, done.log
    assert done.steps_run == ["key", "install", "run"]
    assert (temp / VENV / "installed-key").is_file()
    return temp / VENV


@pytest.fixture
def runner(installed: Path, tmp_path: Path) -> Runner:
    """A fresh job's folders, with the installed environment of the first run in place."""
    temp, workspace = tmp_path / "runner-temp", tmp_path / "workspace"
    temp.mkdir()
    workspace.mkdir()
    (temp / VENV).symlink_to(installed)
    return _runner(temp, workspace)


def _plan(runner: Runner, api: str, config: str, **inputs: str) -> ActionRun:
    (runner.workspace / "config").mkdir()
    (runner.workspace / "config" / "org.yaml").write_text(config)
    return runner.run({"path": "config", "api-url": api, "token": TOKEN, **inputs})


def test_a_plan_with_changes_succeeds_and_says_so(runner: Runner, api: str) -> None:
    config = (ROOT / "examples" / "small-org" / "org.yaml").read_text()
    key = runner.temp / VENV / "installed-key"
    installed_at = key.stat().st_mtime_ns
    done = _plan(runner, api, config, command="plan")
    assert done.exit_code == 0, done.log
    assert done.steps_run == ["key", "install", "run"]
    assert key.stat().st_mtime_ns == installed_at  # the environment of the first run is reused
    outputs = done.outputs
    assert (outputs["exitcode"], outputs["has-changes"], outputs["refused"]) == (
        "2",
        "true",
        "false",
    )
    saved = json.loads(Path(outputs["plan-json"]).read_text())
    assert {change["action"] for change in saved["changes"]} >= {"add_users", "remove_users"}
    comment = Path(outputs["plan-markdown"]).read_text()
    assert comment.startswith(f"{MARKER}\n### Copilot plan: 1 seat(s) to add, 2 to cancel")
    assert done.summary == comment  # a small plan is the same in the summary and the comment
    assert "`erin`" in comment
    assert "::error" not in done.log
    assert TOKEN not in done.log + done.summary + comment


def test_a_plan_without_changes_has_no_changes(runner: Runner, api: str) -> None:
    done = _plan(runner, api, IN_SYNC, command="plan")
    assert done.exit_code == 0, done.log
    outputs = done.outputs
    assert (outputs["exitcode"], outputs["has-changes"], outputs["refused"]) == (
        "0",
        "false",
        "false",
    )
    assert "### Copilot plan: no changes" in done.summary
    assert Path(outputs["plan-markdown"]).read_text() == done.summary


def test_drift_writes_the_plan_and_reports_changes_as_success(runner: Runner, api: str) -> None:
    config = (ROOT / "examples" / "small-org" / "org.yaml").read_text()
    done = _plan(runner, api, config, command="drift")
    assert done.exit_code == 0, done.log
    assert (done.outputs["exitcode"], done.outputs["has-changes"]) == ("2", "true")
    assert Path(done.outputs["plan-json"]).is_file()


def test_a_refused_plan_fails_the_step_and_says_why(runner: Runner, api: str) -> None:
    done = _plan(runner, api, OVER_THRESHOLD, command="plan")
    assert done.exit_code == 3
    outputs = done.outputs
    assert (outputs["exitcode"], outputs["refused"]) == ("3", "true")
    assert "::error title=copilot-reconciler::plan refused (exit 3)" in done.log
    # The comment still shows the plan, with the refusal, for the reviewer.
    assert "max_cancellations" in Path(outputs["plan-markdown"]).read_text()


def test_an_invalid_config_fails_with_annotations_and_no_plan(runner: Runner, api: str) -> None:
    done = _plan(runner, api, INVALID, command="plan")
    assert done.exit_code == 1
    outputs = done.outputs
    assert (outputs["exitcode"], outputs["has-changes"], outputs["refused"]) == (
        "1",
        "false",
        "false",
    )
    assert (outputs["plan-json"], outputs["plan-markdown"]) == ("", "")
    assert done.summary == ""
    annotations = [line for line in done.log.splitlines() if line.startswith("::error")]
    assert annotations == [
        "::error file=config/org.yaml,line=4,col=18,title=copilot-reconciler::"
        "seats.users[1]: '-bob-' is not a valid GitHub login: it starts with a hyphen "
        "(a login has 1-39 letters, digits or single hyphens, not starting or "
        "ending with a hyphen, and an optional _shortcode suffix for managed users)"
    ]


def test_apply_applies_the_saved_plan_and_keeps_a_log(runner: Runner, api: str) -> None:
    config = (ROOT / "examples" / "small-org" / "org.yaml").read_text()
    done = _plan(runner, api, config, command="apply")
    assert done.exit_code == 0, done.log
    assert (done.outputs["exitcode"], done.outputs["has-changes"]) == ("0", "true")
    assert "Apply complete" in Path(done.outputs["log"]).read_text()
    again = _plan_again(runner, api, command="drift")
    assert (again.exit_code, again.outputs["has-changes"]) == (0, "false"), again.log


def _plan_again(runner: Runner, api: str, **inputs: str) -> ActionRun:
    return runner.run({"path": "config", "api-url": api, "token": TOKEN, **inputs})


def test_a_github_app_plans_with_its_inputs(runner: Runner, api: str) -> None:
    inputs = {"app-id": APP_ID, "app-private-key": PRIVATE_KEY, "token": ""}
    done = _plan(runner, api, IN_SYNC, command="plan", **inputs)
    assert done.exit_code == 0, done.log
    assert (done.outputs["exitcode"], done.outputs["has-changes"]) == ("0", "false")
    assert "PRIVATE KEY" not in done.log + done.summary


def test_only_the_inputs_give_credentials(runner: Runner, api: str) -> None:
    # A GH_TOKEN in the caller's job (as for the gh CLI) is not taken for the action's token.
    runner.job_env["GH_TOKEN"] = TOKEN
    done = _plan(runner, api, IN_SYNC, command="plan", token="")
    assert (done.exit_code, done.outputs["exitcode"]) == (1, "1")
    assert "no credentials: set $GITHUB_TOKEN" in done.log


def test_orgs_gives_a_matrix_of_one_entry_per_org_with_its_files(runner: Runner) -> None:
    for name, org in (("a.yaml", "octo-org"), ("b.yaml", "acme-corp")):
        (runner.workspace / name).write_text(f"version: 1\norg: {org}\nsettings: {{}}\n")
    done = runner.run({"command": "orgs", "path": "a.yaml b.yaml"})
    assert done.exit_code == 0, done.log
    matrix = json.loads(done.outputs["orgs"])
    assert [(row["org"], row["files"]) for row in matrix] == [
        ("acme-corp", ["b.yaml"]),
        ("octo-org", ["a.yaml"]),
    ]
    assert (done.outputs["plan-json"], done.summary) == ("", "")


def test_the_comment_is_cut_to_its_limit_while_the_summary_keeps_every_row(
    runner: Runner, tmp_path: Path
) -> None:
    # 300 direct seats, one declared: an exact plan cancels 299 (the threshold allows it).
    users = [f"user-{i:03d}" for i in range(300)]
    org = {"owners": ["octo-admin"], "members": ["octo-admin", *users], "selected_users": users}
    world = tmp_path / "big.yaml"
    base = yaml.safe_load(WORLD.read_text())
    world.write_text(yaml.safe_dump({**base, "orgs": {"big-org": org}}))
    config = "version: 1\norg: big-org\nseats:\n  users: [user-000]\n  keep: [octo-admin]\n"
    config += "safety:\n  max_cancellations: 300\n"
    with _served(world) as url:
        done = _plan(runner, url, config, command="plan", **{"max-comment-chars": "2000"})
    assert done.exit_code == 0, done.log
    comment = Path(done.outputs["plan-markdown"]).read_text()
    assert len(comment) < 2000 < len(done.summary)
    assert "| Seats to cancel | 299 seats |" in comment
    assert "the job summary of this run and its JSON plan artifact" in comment
    assert "`user-299`" in done.summary
    assert "`user-299`" not in comment
    assert "see the full plan" not in done.summary
