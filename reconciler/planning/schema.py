"""Finding ``plan.schema.json`` at run time.

The schemas live at the project root (``schemas/``) and ship inside the wheel as
``reconciler/schemas/``. The configuration package provides the shared locator
(``reconciler.config.schema_files.load_schema``); until it is importable this module falls
back to looking in the same two places itself.
"""

from __future__ import annotations

import importlib
import json
from functools import cache
from pathlib import Path
from typing import Any

PLAN_SCHEMA = "plan.schema.json"


@cache
def load_plan_schema() -> dict[str, Any]:
    """The JSON Schema of plan JSON (read once per process)."""
    try:
        module = importlib.import_module("reconciler.config.schema_files")
    except ImportError:
        module = None
    loader = getattr(module, "load_schema", None)
    if loader is not None:
        schema: dict[str, Any] = loader(PLAN_SCHEMA)
        return schema
    return _read_local(PLAN_SCHEMA)


def _read_local(name: str) -> dict[str, Any]:
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "schemas" / name, package.parent / "schemas" / name):
        if candidate.is_file():
            data: dict[str, Any] = json.loads(candidate.read_text(encoding="utf-8"))
            return data
    raise FileNotFoundError(f"{name} is missing from this installation (looked beside {package})")
