"""Turning a YAML parser error into a problem whose message does not depend on libyaml.

libyaml (PyYAML's ``CSafeLoader``) parses several times faster than the pure-Python parser,
but words its errors differently. When an error comes early in a file, the same text is
parsed again with the pure-Python parser and its error is reported, so that messages are
the same wherever the tool runs; further in, libyaml's own message is kept, so that a large
broken file does not cost a slow second parse.
"""

from __future__ import annotations

from typing import Any

import yaml

from reconciler.errors import Problem
from reconciler.model import Source

#: The fastest safe loader available (libyaml's when PyYAML was built with it).
FAST_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_REPARSE_CHARS = 200_000  # errors past this keep libyaml's message rather than pay a re-parse


def place(mark: Any) -> tuple[int, int]:
    """1-based (line, column) of a PyYAML mark; (1, 1) without one."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def syntax_problem(file: str, text: str, error: yaml.YAMLError, max_depth: int) -> Problem:
    """The problem to report for a parser ``error`` in ``text``, the content of ``file``."""
    if "nesting depth" in str(error):  # libyaml's own limit (1,000 levels)
        return Problem(
            Source(file, *place(getattr(error, "problem_mark", None))),
            f"values are nested more than {max_depth} levels deep",
            "flatten the file",
        )
    mark = getattr(error, "problem_mark", None)
    if FAST_LOADER is not yaml.SafeLoader and (mark is None or mark.index < _REPARSE_CHARS):
        # The same text through the pure-Python parser: messages must not depend on libyaml.
        try:
            for _ in yaml.parse(text, Loader=yaml.SafeLoader):
                pass
        except yaml.YAMLError as slow_error:
            error = slow_error
    return _syntax_problem(file, text, error)


def _syntax_problem(file: str, text: str, error: yaml.YAMLError) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        return Problem(
            Source(file, line, column),
            f"character U+{error.character:04X} is not allowed in YAML",
            "remove it, or write it as an escape inside a double-quoted string",
        )
    if not isinstance(error, yaml.MarkedYAMLError):
        return Problem(Source(file, 1, 1), f"invalid YAML: {error}", "fix the YAML syntax")
    problem = error.problem or "syntax error"
    mark = error.problem_mark or error.context_mark
    where = Source(file, *place(mark))
    if "'\\t'" in problem or "tab character" in problem:
        return Problem(
            where,
            "a tab character where YAML expects indentation or a value",
            "indent with spaces, not tabs",
        )
    message = f"invalid YAML: {problem}"
    context = error.context_mark
    if error.context and context is not None and context is not mark:
        message += f" ({error.context} at line {context.line + 1}, column {context.column + 1})"
    elif error.context:
        message += f" ({error.context})"
    return Problem(where, message, "fix the YAML syntax")
