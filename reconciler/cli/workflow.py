"""GitHub Actions workflow commands: how `validate --format github` reports problems.

A line ``::error file=F,line=L,col=C::message`` on stdout becomes an annotation on that line
of the pull request's diff. GitHub reads the line up to its first newline, and a property
value ends at ``,`` or ``::``, so both parts are escaped the way the runner's own toolkit
(``@actions/core``) escapes them.
"""

from __future__ import annotations

from reconciler.errors import ConfigError, Problem, ReconcilerError

_TITLE = "copilot-reconciler"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def problem_annotation(problem: Problem) -> str:
    """``::error file=...,line=...,col=...::message`` for one configuration problem."""
    source = problem.source
    message = f"{problem.message} ({problem.hint})" if problem.hint else problem.message
    props = (
        f"file={_escape_property(source.file)},line={source.line},col={source.column},"
        f"title={_TITLE}"
    )
    return f"::error {props}::{_escape_data(message)}"


def error_annotations(error: ReconcilerError) -> list[str]:
    """One annotation per problem of a :class:`ConfigError`; one without a place otherwise."""
    if isinstance(error, ConfigError):
        return [problem_annotation(problem) for problem in error.problems]
    return [f"::error title={_TITLE}::{_escape_data(line)}" for line in error.lines()]
