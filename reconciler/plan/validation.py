"""Checking plan JSON against ``schemas/plan.schema.json`` before anything trusts it.

A saved plan is a file a person or a CI job hands back to ``apply``: it may be old, edited
or not a plan at all, so it is validated whole and every problem is named.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.errors import ReconcilerError

#: The version of the plan JSON this package writes and reads.
FORMAT_VERSION = 1


def validate_plan_json(data: Mapping[str, Any], origin: str) -> None:
    """Raise :class:`~reconciler.errors.ReconcilerError` naming ``origin`` (a file name) and
    the first problems found when ``data`` is not a plan of :data:`FORMAT_VERSION`."""
    from jsonschema import Draft202012Validator  # slow to import: only plan files need it

    from reconciler.schemas import load_schema

    version = data.get("format_version")
    if isinstance(version, int) and version != FORMAT_VERSION:
        raise ReconcilerError(
            f"{origin}: plan format_version {version} is not supported by this version of "
            f"copilot-reconciler (it reads version {FORMAT_VERSION}): run `plan` again"
        )
    if "live_fingerprint" in data and "desired_fingerprint" not in data:
        raise ReconcilerError(
            f"{origin}: this saved plan was made by an older copilot-reconciler and has no "
            "desired_fingerprint, so apply cannot check that the configuration is the one "
            "reviewed: run `plan --out` again"
        )
    validator = Draft202012Validator(load_schema("plan.schema.json"))
    problems = sorted(
        f"{_json_path(list(error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(dict(data))
    )
    if problems:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise ReconcilerError(f"{origin}: not a valid plan: {shown}{more}")


def _json_path(parts: list[Any]) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path
