"""Plan renderers: each writes a :class:`~reconciler.plan.Plan` to a stream it is given.

``text`` is for a terminal, ``markdown`` for a pull-request comment, ``json`` for scripts and
for ``plan --out``. None of them prints or looks at the environment: the caller picks the
stream and says whether to colour.
"""

from __future__ import annotations

from typing import TextIO

from reconciler.plan import Plan
from reconciler.render.json import render_json
from reconciler.render.markdown import MAX_CHARS, render_markdown
from reconciler.render.text import render_text
from reconciler.typing import Format

__all__ = ["Format", "render", "render_json", "render_markdown", "render_text"]


def render(
    plan: Plan,
    fmt: Format,
    stream: TextIO,
    *,
    color: bool = False,
    max_chars: int = MAX_CHARS,
) -> None:
    """Write ``plan`` to ``stream`` in ``fmt``; ``color`` applies to ``text`` only,
    ``max_chars`` (the size limit of a comment) to ``markdown`` only."""
    if fmt == "text":
        render_text(plan, stream, color=color)
    elif fmt == "markdown":
        render_markdown(plan, stream, max_chars=max_chars)
    elif fmt == "json":
        render_json(plan, stream)
    else:
        raise ValueError(f"unknown plan format {fmt!r}: expected text, json or markdown")
