"""The two standard-library helpers of action/run.sh: the plan's flags and the install key."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "action" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


plan_flags = _load("plan_flags")
digest = _load("digest")


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        ({"changes": [], "settings_drift": [], "warnings": ["w"]}, (False, False)),
        ({"changes": [{"org": "o"}], "settings_drift": []}, (True, False)),
        ({"changes": [], "settings_drift": [{"org": "o"}]}, (True, False)),
        ({"changes": [{"org": "o"}], "settings_drift": [], "refusals": []}, (True, False)),
        ({"changes": [{"org": "o"}], "refusals": [{"org": "o", "reason": "r"}]}, (True, True)),
    ],
)
def test_plan_flags_read_changes_drift_and_refusals(
    plan: dict[str, object], expected: tuple[bool, bool]
) -> None:
    assert plan_flags.flags(plan) == expected


def test_the_install_key_follows_the_pins_and_the_sources_only(tmp_path: Path) -> None:
    copy = tmp_path / "action-checkout"
    copy.mkdir()
    for part in ("pyproject.toml", "action", "reconciler", "schemas"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / part)
    first = digest.digest(copy)
    assert len(first) == 16
    (copy / "README.md").write_text("not part of the key")
    (copy / "reconciler" / "__pycache__").mkdir(exist_ok=True)
    (copy / "reconciler" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert digest.digest(copy) == first
    pins = copy / "action" / "constraints.txt"
    pins.write_text(pins.read_text() + "# changed\n")
    second = digest.digest(copy)
    assert second != first
    (copy / "reconciler" / "model.py").write_text("# changed\n")
    assert digest.digest(copy) not in (first, second)
