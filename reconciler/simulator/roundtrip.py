"""Updating a YAML world file in place, keeping what a person wrote in it.

``apply --simulate WORLD`` writes the world back so that a rehearsal (apply, then drift)
sees its own changes. Dumping the world afresh would drop the file's comments and reorder
it, so a world file that exists is updated instead: loaded with ruamel.yaml's round-trip
loader (which keeps comments, key order, quoting and flow style), merged with the new world
value by value (an unchanged value keeps its spelling, a list whose items are unchanged keeps
its order, new keys and items go last, removed ones go), and dumped again.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from reconciler.timestamps import format_time

__all__ = ["update_yaml"]


def update_yaml(old_text: str, data: Mapping[str, Any]) -> str | None:
    """``old_text`` (a YAML world file) updated to hold ``data``, comments and order kept;
    None when ``old_text`` cannot be round-tripped (the caller then writes ``data`` afresh)."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    try:
        document = yaml.load(old_text)
    except YAMLError:
        return None
    if not isinstance(document, CommentedMap):
        return None
    out = io.StringIO()
    yaml.dump(_merge(document, data), out)
    # ruamel leaves a space at the end of a flow collection's wrapped lines ("a, b, \n").
    return "".join(_trim(line) for line in out.getvalue().splitlines(keepends=True))


def _trim(line: str) -> str:
    body = line.rstrip("\n")
    if body.endswith(", ") or body.endswith(": "):
        return body.rstrip(" ") + "\n"
    return line


def _merge(old: Any, new: Any) -> Any:
    """``new``, reusing ``old``'s nodes (and so their comments and style) where possible."""
    if isinstance(old, CommentedMap) and isinstance(new, Mapping):
        for gone in [name for name in old if name not in new]:
            del old[gone]
        for name, value in new.items():
            old[name] = _merge(old[name], value) if name in old else value
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        wanted = Counter(_canonical(item) for item in new)
        if Counter(_canonical(item) for item in old) == wanted:
            return old  # same items: keep the file's order (the world's order is incidental)
        kept = {_canonical(item) for item in old}
        for index in reversed(range(len(old))):
            if _canonical(old[index]) not in wanted:
                del old[index]
        old.extend(item for item in new if _canonical(item) not in kept)
        return old
    return old if _plain(old) == _plain(new) else new


def _canonical(value: Any) -> str:
    return json.dumps(_plain(value), sort_keys=True)


def _plain(value: Any) -> Any:
    """A round-tripped value as the world's dump spells it (quoted or not, dates as text)."""
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value
