"""The type aliases shared across packages, defined once (structlog keeps its own the same way).

Callbacks let the pure layers report what they do without knowing how it is shown: the CLI
passes functions that write to the terminal, tests pass lists' ``append``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

#: A line for the user's eyes under ``-v``: waits, retries, requests. Never holds a token.
Log = Callable[[str], None]

#: Progress of a paginated read: ``(org, pages read, total pages or None when unknown)``.
Progress = Callable[[str, int, int | None], None]

#: The output formats of a plan.
Format = Literal["text", "json", "markdown"]

#: Where a value sits in a parsed YAML or JSON document: its keys and list indexes from the top.
KeyPath = tuple[str | int, ...]
