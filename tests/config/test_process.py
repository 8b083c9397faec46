"""`python -m reconciler validate` as a user runs it: exit codes, stderr, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.config.conftest import REPO


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reconciler", "validate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_valid_example_exits_0() -> None:
    done = run("examples/small-org")
    assert (done.returncode, done.stdout, done.stderr) == (0, "valid: 1 organization\n", "")


def test_bad_input_exits_1_with_one_line_per_problem(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text("version: 1\norg: octo-org\nseats:\n  users: [a--b]\n")
    (tmp_path / "bin.yaml").write_bytes(b"\x00\x01")
    done = run("org.yaml", "bin.yaml", "missing", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr.splitlines()) == (
        1,
        "",
        [
            "bin.yaml:1:1: not a text file (it contains a NUL byte)"
            " (name YAML files or directories only)",
            "missing:1:1: no such file or directory (check the path)",
            "org.yaml:4:11: seats.users[0]: 'a--b' is not a valid GitHub login: it has two"
            " hyphens in a row (a login has 1-39 letters, digits or single hyphens, not"
            " starting or ending with a hyphen, and an optional _shortcode suffix for managed"
            " users)",
        ],
    )


def test_validate_with_no_path_at_the_project_root_reads_the_examples_and_nothing_else() -> None:
    # The root holds an OpenAPI document (schemas/), workflows, world files and test data
    # beside the examples: a scan skips what is not configuration and must not fail on it.
    done = run()
    assert (done.returncode, done.stdout, done.stderr) == (0, "valid: 3 organizations\n", "")
