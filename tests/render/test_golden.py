"""Golden files: one full plan in text and in Markdown, byte for byte.

Regenerate them with ``UPDATE_GOLDEN=1 pytest tests/render/test_golden.py`` after an
intended change, and review the diff.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from reconciler.render import render
from tests.helpers.plans import full_plan

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


@pytest.mark.parametrize(("fmt", "name"), [("text", "plan.txt"), ("markdown", "plan.md")])
def test_a_full_plan_renders_as_the_golden_file(fmt: str, name: str) -> None:
    out = io.StringIO()
    render(full_plan(), fmt, out)  # type: ignore[arg-type]
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(out.getvalue(), encoding="utf-8")
    assert out.getvalue() == path.read_text(encoding="utf-8")
