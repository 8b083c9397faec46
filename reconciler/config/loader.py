"""Loading a configuration: paths -> files -> documents -> fragments -> one desired state."""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.config.document import parse_document
from reconciler.config.files import expand_paths, read_text
from reconciler.config.fragments import Fragment, build_fragment
from reconciler.config.merge import merge_fragments
from reconciler.config.schema_check import schema_problems
from reconciler.errors import ConfigError, Problem
from reconciler.model import DesiredState


def load_desired_state(paths: Sequence[str]) -> DesiredState:
    """Load, check and merge the configuration files that ``paths`` name.

    ``paths`` are files or directories (every ``*.yaml`` / ``*.yml`` below, sorted; see
    :func:`~reconciler.config.files.expand_paths`). Places in problems and in the result
    keep each path as given. Raises :class:`~reconciler.errors.ConfigError` carrying every
    problem found (syntax, schema, dates, merge rules), sorted by file, line and column.
    """
    expansion = expand_paths(paths)
    problems: list[Problem] = list(expansion.problems)
    fragments: list[Fragment] = []
    for order, file in enumerate(expansion.files):
        text, read_problems = read_text(file)
        problems += read_problems
        if text is None:
            continue
        doc = parse_document(file, text)
        problems += doc.problems
        if doc.data is None:
            continue
        problems += schema_problems(doc)
        fragment, fragment_problems = build_fragment(doc, order)
        problems += fragment_problems
        if fragment is not None:
            fragments.append(fragment)
    orgs, merge_problems = merge_fragments(fragments)
    problems += merge_problems
    if problems:
        raise ConfigError(problems)
    return DesiredState(orgs=orgs)
