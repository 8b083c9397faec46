"""The JSON rendering of a plan: the plan JSON of ``docs/product.md``.

Its shape is ``schemas/plan.schema.json``.
"""

from __future__ import annotations

import json
from typing import TextIO

from reconciler.plan import Plan


def render_json(plan: Plan, stream: TextIO) -> None:
    """Write ``plan`` to ``stream`` as indented plan JSON, one trailing newline."""
    json.dump(plan.to_json(), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
