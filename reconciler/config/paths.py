"""How messages name a place inside a document and show a value.

Paths read like the YAML they point into: ``seats.users[2].expires``, and a mapping key that
is not a plain name is quoted: ``content_exclusion["*"][0]``.
"""

from __future__ import annotations

import json
import re
from typing import Any

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_MAX_SHOWN = 60


def show_path(path: tuple[str | int, ...]) -> str:
    """``("seats", "users", 2, "expires")`` -> ``seats.users[2].expires``; ``()`` -> ``""``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


def show_value(value: Any) -> str:
    """A value as a message quotes it: strings in single quotes with control characters
    escaped and long ones shortened, the rest as YAML writes them."""
    if isinstance(value, str):
        text = "".join(
            ch
            if ch.isprintable() or ch == " "
            else f"\\x{ord(ch):02x}"
            if ord(ch) < 256
            else f"\\u{ord(ch):04x}"
            for ch in value
        )
        if len(text) > _MAX_SHOWN:
            text = text[: _MAX_SHOWN - 3] + "..."
        return f"'{text}'"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)


def describe(value: Any) -> str:
    """What kind of value this is, for "expected X, got Y" messages."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the boolean {show_value(value)}"
    if isinstance(value, int | float):
        return f"the number {show_value(value)}"
    if isinstance(value, str):
        return f"the text {show_value(value)}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"
