"""Local files (issue 10, point 5): plans and exports are written whole or not at all."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import world
from tests.e2e.test_cli import CONFIG, DEMO_ORG, run

OLD_PLAN = '{"an older plan": "that must survive"}\n'


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, Path]:
    world_file = tmp_path / "world.yaml"
    world_file.write_text(yaml.safe_dump(world({"demo-org": DEMO_ORG})))
    config = tmp_path / "demo.yaml"
    config.write_text(CONFIG)
    return world_file, config


def _small_file_limit() -> None:
    # A disk that fills up after 512 bytes: larger writes fail with EFBIG (Python ignores
    # SIGXFSZ, so the write returns the error instead of killing the process).
    resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))


def test_plan_out_on_a_full_disk_fails_in_one_line_and_keeps_the_old_plan(
    demo: tuple[Path, Path], tmp_path: Path
) -> None:
    world_file, config = demo
    saved = tmp_path / "plan.json"
    saved.write_text(OLD_PLAN)
    command = [sys.executable, "-m", "reconciler", "plan", str(config)]
    command += ["--simulate", str(world_file), "--out", str(saved)]

    done = subprocess.run(
        command,
        check=False,
        capture_output=True,
        text=True,
        preexec_fn=_small_file_limit,
        timeout=120,
    )

    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"{saved}: cannot write the plan file: File too large"
    ]
    assert saved.read_text() == OLD_PLAN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.yaml", "plan.json", "world.yaml"]
    unlimited = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120)
    assert unlimited.returncode == 0, unlimited.stderr
    assert '"format_version": 1' in saved.read_text()


def test_export_into_a_folder_that_cannot_be_made_is_one_line(
    demo: tuple[Path, Path], tmp_path: Path
) -> None:
    world_file, _ = demo
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")

    result = run(
        "export", "--org", "demo-org", "--out", str(blocker / "out"), "--simulate", str(world_file)
    )

    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"{blocker / 'out'}: cannot write the export: Not a directory"
    ]


def test_export_never_overwrites_without_force(demo: tuple[Path, Path], tmp_path: Path) -> None:
    world_file, _ = demo
    out = tmp_path / "exported"
    out.mkdir()
    existing = out / "demo-org.yaml"
    existing.write_text("# hand-made edits\n")
    args = ["export", "--org", "demo-org", "--out", str(out), "--simulate", str(world_file)]

    refused = run(*args)
    forced = run(*args, "--force")

    assert refused.exit_code == 1
    assert refused.output.strip() == f"{existing}: already exists; pass --force to overwrite it"
    assert forced.exit_code == 0, forced.output
    assert yaml.safe_load(existing.read_text())["org"] == "demo-org"
