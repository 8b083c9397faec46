"""Loading a configuration: paths -> files -> documents -> fragments -> one desired state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reconciler.config.document import parse_document
from reconciler.config.files import expand_paths, read_text
from reconciler.config.fragments import Fragment, build_fragment
from reconciler.config.merge import merge_fragments
from reconciler.config.schema_check import schema_problems
from reconciler.errors import ConfigError, Problem
from reconciler.model import DesiredState

# The top-level keys of a simulator world file (docs/product.md, "Simulator world file").
_WORLD_KEYS = frozenset({"now", "tokens", "orgs", "enterprises"})


def is_world_file(data: Any) -> bool:
    """Whether parsed YAML is a simulator world file rather than configuration.

    Its top level is a mapping with ``orgs`` and no key but the world file's own; it has no
    ``version`` nor ``org``, so no desired-state file, however misspelt, looks like one.
    """
    return isinstance(data, dict) and "orgs" in data and set(data) <= _WORLD_KEYS


# The top-level keys of a GitHub Actions workflow, such as those of examples/workflows/.
_WORKFLOW_KEYS = frozenset(
    {"name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"}
)


def is_workflow_file(data: Any) -> bool:
    """Whether parsed YAML is a GitHub Actions workflow: ``jobs`` and only workflow keys
    (no desired-state file has ``jobs``)."""
    return isinstance(data, dict) and "jobs" in data and set(data) <= _WORKFLOW_KEYS


def load_desired_state(paths: Sequence[str]) -> DesiredState:
    """Load, check and merge the configuration files that ``paths`` name.

    ``paths`` are files or directories (every ``*.yaml`` / ``*.yml`` below, sorted; see
    :func:`~reconciler.config.files.expand_paths`). A simulator world file found in a
    directory is skipped (:func:`is_world_file`), and so is a GitHub Actions workflow
    (:func:`is_workflow_file`); named directly, either is checked as
    configuration (and fails). Places in problems and in the result
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
        if file not in expansion.named and (is_world_file(doc.data) or is_workflow_file(doc.data)):
            continue  # a simulator world or a workflow kept next to the configuration
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
