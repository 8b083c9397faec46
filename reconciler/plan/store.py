"""Saved plans: the file ``plan --out`` writes and ``apply --plan`` reads back."""

from __future__ import annotations

import json
from pathlib import Path

from reconciler.errors import ReconcilerError
from reconciler.files import write_atomic
from reconciler.plan.data import Plan


def load_plan(path: Path) -> Plan:
    """Read a plan that ``plan --out`` saved; a missing, unreadable or invalid file raises
    :class:`~reconciler.errors.ReconcilerError` naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ReconcilerError(f"{path}: cannot read the plan file: {error.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReconcilerError(
            f"{path}:{error.lineno}:{error.colno}: not a plan file: invalid JSON ({error.msg})"
        ) from None
    if not isinstance(data, dict):
        raise ReconcilerError(f"{path}: not a plan file: expected a JSON object")
    return Plan.from_json(data, origin=str(path))


def save_plan(plan: Plan, path: Path) -> None:
    """Write ``plan`` as plan JSON to ``path`` (what ``plan --out`` does), atomically: a full
    disk or a kill leaves the previous file or the whole new one, never a truncated plan
    (:func:`reconciler.files.write_atomic`). A file that cannot be written raises
    :class:`~reconciler.errors.ReconcilerError` naming it."""
    text = json.dumps(plan.to_json(), indent=2, ensure_ascii=False) + "\n"
    try:
        write_atomic(path, text)
    except OSError as error:
        raise ReconcilerError(f"{path}: cannot write the plan file: {error.strerror}") from None
