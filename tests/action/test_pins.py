"""The action installs exact versions (action/constraints.txt): every runtime dependency of
pyproject.toml must be pinned there, or a tag of the action would install whatever is newest."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    # PEP 503 normalisation: case and runs of -, _ and . do not matter.
    bare = re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", bare).lower()


def test_every_runtime_dependency_is_pinned_exactly_for_the_action() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for raw in (ROOT / "action" / "constraints.txt").read_text().splitlines():
        pin = raw.split("#", 1)[0].strip()
        if pin:
            name, _, version = pin.partition("==")
            pins[_name(name)] = version
    missing = [dep for dep in project["dependencies"] if not pins.get(_name(dep))]
    assert missing == [], "pin these in action/constraints.txt"
