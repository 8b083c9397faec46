"""The JSON renderer: the plan JSON of product.md, valid against its schema, loadable."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from reconciler.plan import Plan
from reconciler.render import render, render_json
from tests.helpers.plans import full_plan, huge_plan

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "plan.schema.json").read_text("utf-8")
)


@pytest.mark.parametrize("result", [full_plan(), huge_plan(3)], ids=["full", "generated"])
def test_rendered_json_validates_against_the_schema_and_loads_back(result: Plan) -> None:
    out = io.StringIO()
    render_json(result, out)
    data = json.loads(out.getvalue())
    assert out.getvalue().endswith("}\n")
    assert sorted(str(e) for e in Draft202012Validator(SCHEMA).iter_errors(data)) == []
    assert data == result.to_json()
    assert Plan.from_json(data) == result


def test_render_dispatches_on_the_format_and_refuses_unknown_ones() -> None:
    for fmt in ("text", "json", "markdown"):
        out = io.StringIO()
        render(full_plan(), fmt, out)
        assert out.getvalue()
    with pytest.raises(ValueError, match="unknown plan format 'yaml'"):
        render(full_plan(), "yaml", io.StringIO())  # type: ignore[arg-type]
