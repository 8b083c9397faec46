"""Helpers for the configuration tests: write files into a temporary folder and run
`copilot-reconciler validate` there, so that problems name files as the user typed them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconciler.cli import cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


@dataclass(frozen=True)
class Outcome:
    """What one `validate` run showed its user."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def problems(self) -> list[str]:
        return self.stderr.splitlines()


Files = Mapping[str, str | bytes]


def write_files(root: Path, files: Files) -> None:
    """Create ``files`` (relative name -> text or bytes) below ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def run_validate(*args: str) -> Outcome:
    """Run `validate ARGS` in process; fail the test on a traceback or an escaped exception."""
    result = CliRunner().invoke(cli, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return Outcome(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def validate_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Outcome]:
    """Write files into a fresh folder, make it the current one, and run `validate` there."""
    monkeypatch.chdir(tmp_path)

    def run(files: Files, *args: str) -> Outcome:
        write_files(tmp_path, files)
        return run_validate(*args)

    return run
