"""The installed wheel, not the source tree, finds its schema and validates a configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.config.conftest import REPO

SCRIPT = """\
import sys
import reconciler
from reconciler.config import load_desired_state
from reconciler.schemas import schema_path
state = load_desired_state(["org.yaml"])
print(reconciler.__file__)
print(schema_path("desired-state.schema.json"))
print(sorted(state.orgs))
"""


@pytest.mark.slow
def test_the_installed_wheel_validates_without_the_source_tree(tmp_path: Path) -> None:
    wheels, site, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "work"
    work.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    # No build isolation: the build backend comes from the test environment, not the network.
    build = [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(REPO)]
    subprocess.run(build, check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("copilot_reconciler-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)

    (work / "org.yaml").write_text("version: 1\norg: octo-org\nseats:\n  users: [alice]\n")
    env = {**os.environ, "PYTHONPATH": str(site)}  # before the editable checkout on sys.path
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    module, schema, orgs = done.stdout.splitlines()
    assert Path(module).is_relative_to(site)
    assert Path(schema) == site / "reconciler" / "_schemas" / "desired-state.schema.json"
    assert orgs == "['octo-org']"

    (work / "bad.yaml").write_text("version: 1\norg: octo-org\nsafety: {max: 1}\n")
    bad = subprocess.run(
        [sys.executable, "-m", "reconciler", "validate", "bad.yaml"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (bad.returncode, bad.stderr) == (
        1,
        "bad.yaml:3:10: safety: unknown key 'max' (allowed: max_cancellations)\n",
    )
