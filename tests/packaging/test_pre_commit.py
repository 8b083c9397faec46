"""The pre-commit hook, run by a real `pre-commit try-repo` in a temporary git repository.

pre-commit installs this checkout into an environment of its own (pip, from the package
index), as it does for a user; the first run takes a few seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HOOK = "copilot-reconciler-validate"

pytestmark = pytest.mark.slow

GOOD = "version: 1\norg: octo-org\nseats:\n  users: [alice]\n"
BAD = "version: 1\norg: octo-org\nsafety: {max: 1}\n"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's cache, shared by the tests: the hook's environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(repo: Path, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), HOOK, "--files", *files]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=False)


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    repo = tmp_path / "repo"
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    return repo


def test_the_hook_is_declared_for_the_config_folder() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == HOOK
    assert hook["entry"] == "copilot-reconciler validate"
    assert (hook["language"], hook["files"], hook["require_serial"]) == (
        "python",
        "^copilot/",
        True,
    )


def test_a_good_file_passes(tmp_path: Path, home: Path) -> None:
    repo = _repo(tmp_path, {"copilot/org.yaml": GOOD, "other.yaml": BAD})
    done = _try_repo(repo, home, "copilot/org.yaml", "other.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "copilot-reconciler validate" in done.stdout
    assert "Passed" in done.stdout


def test_a_bad_file_fails_with_file_line_and_column(tmp_path: Path, home: Path) -> None:
    repo = _repo(tmp_path, {"copilot/org.yaml": GOOD, "copilot/bad.yaml": BAD})
    done = _try_repo(repo, home, "copilot/org.yaml", "copilot/bad.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    assert (
        "copilot/bad.yaml:3:10: safety: unknown key 'max' (allowed: max_cancellations)"
        in done.stdout
    )
