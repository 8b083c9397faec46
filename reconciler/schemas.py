"""Finding the project's schema files at run time, installed or from a source checkout.

The project keeps its schemas in ``<repo>/schemas/`` (one source of truth). The wheel ships
that folder as ``reconciler/_schemas/`` (a hatch force-include; the underscore keeps it apart
from this module), so an installed tool finds them inside the package; an editable or source
checkout finds them at the repository root.
The package location is tried first so that an installed tool never reads a stray checkout.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent  # .../reconciler
_CANDIDATES = (_PACKAGE_DIR / "_schemas", _PACKAGE_DIR.parent / "schemas")


def schema_path(name: str) -> Path:
    """The path of the schema file ``name`` (for example ``"desired-state.schema.json"``).

    Raises :class:`FileNotFoundError` naming every place looked at when it is nowhere: that
    is a broken installation, not a user error.
    """
    for folder in _CANDIDATES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    looked = ", ".join(str(folder) for folder in _CANDIDATES)
    raise FileNotFoundError(f"schema {name!r} not found (looked in {looked})")


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """The parsed schema ``name``, read once per process and shared: do not mutate it.

    ``*.json`` files are read as JSON; ``*.yaml`` / ``*.yml`` files (the OpenAPI description)
    as YAML.
    """
    path = schema_path(name)
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        import yaml  # only the OpenAPI description needs it

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        loaded: dict[str, Any] = yaml.load(text, Loader=loader)
    else:
        loaded = json.loads(text)
    return loaded
