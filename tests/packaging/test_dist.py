"""The packages a release publishes: an sdist and a wheel that twine accepts, and a wheel
that installs in a fresh virtual environment and plans an example there.

`.ci/run` builds them into dist/ and names the folder in $COPILOT_RECONCILER_DIST; without
it the tests build their own (without build isolation: the backend is a test dependency).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import reconciler

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("COPILOT_RECONCILER_DIST")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("dist")
    build = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)]
    subprocess.run(build, check=True, capture_output=True)
    return out


def _one(folder: Path, pattern: str) -> Path:
    (found,) = folder.glob(pattern)
    return found


def test_the_version_lives_in_one_place_and_names_both_packages(dist: Path) -> None:
    version = reconciler.__version__
    assert _one(dist, "*.whl").name == f"copilot_reconciler-{version}-py3-none-any.whl"
    assert _one(dist, "*.tar.gz").name == f"copilot_reconciler-{version}.tar.gz"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject
    assert version not in pyproject


def test_twine_accepts_both_packages(dist: Path) -> None:
    files = [str(_one(dist, "*.whl")), str(_one(dist, "*.tar.gz"))]
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


def test_both_packages_carry_the_license_and_the_wheel_its_schemas(dist: Path) -> None:
    with zipfile.ZipFile(_one(dist, "*.whl")) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(
            f"copilot_reconciler-{reconciler.__version__}.dist-info/METADATA"
        ).decode()
    assert f"copilot_reconciler-{reconciler.__version__}.dist-info/licenses/LICENSE" in names
    assert "reconciler/_schemas/desired-state.schema.json" in names
    assert "License-Expression: MIT" in metadata
    with tarfile.open(_one(dist, "*.tar.gz")) as sdist:
        members = {
            Path(name).relative_to(Path(name).parts[0]).as_posix()
            for name in sdist.getnames()
            if "/" in name
        }
    assert {"LICENSE", "CHANGELOG.md", "action.yml", "schemas/desired-state.schema.json"} <= members
    assert not any(member.startswith((".ci-venv/", ".venv/", "dist/")) for member in members)
    assert "MIT License" in (ROOT / "LICENSE").read_text()


def test_the_wheel_installs_in_a_fresh_environment_and_plans_an_example(
    dist: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", str(_one(dist, "*.whl"))]
    subprocess.run(install, check=True, capture_output=True)
    tool = str(venv / "bin" / "copilot-reconciler")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        # From the temporary folder: nothing of the source tree is importable there.
        return subprocess.run(
            [tool, *args], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )

    version = run("--version")
    assert version.stdout == f"copilot-reconciler, version {reconciler.__version__}\n"
    example = str(ROOT / "examples" / "small-org")
    valid = run("validate", example)
    assert (valid.returncode, valid.stdout) == (0, "valid: 1 organization\n"), valid.stderr
    world = str(ROOT / "examples" / "worlds" / "octo-org.yaml")
    planned = run("plan", example, "--simulate", world, "--format", "json", "--detailed-exitcode")
    assert planned.returncode == 2, planned.stderr
    assert '"org": "octo-org"' in planned.stdout
    where = subprocess.run(
        [str(python), "-c", "import reconciler; print(reconciler.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv)
