"""Loading a configuration: paths -> files -> documents -> fragments -> one desired state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reconciler.config.document import parse_document
from reconciler.config.files import at, read_text
from reconciler.config.foreign import UNRELATED, foreign_kind
from reconciler.config.fragments import Fragment, build_fragment
from reconciler.config.merge import merge_fragments
from reconciler.config.scan import Expansion, expand_paths
from reconciler.config.schema_check import schema_problems
from reconciler.errors import ConfigError, Problem
from reconciler.model import DesiredState
from reconciler.typing import Log


@dataclass
class _Loading:
    """What one load met: problems, fragments, and per given path what it skipped."""

    expansion: Expansion
    problems: list[Problem] = field(default_factory=list)
    fragments: list[Fragment] = field(default_factory=list)
    read: dict[str, int] = field(default_factory=dict)  # given path -> files read from it


def load_desired_state(paths: Sequence[str], *, note: Log | None = None) -> DesiredState:
    """Load, check and merge the configuration files that ``paths`` name.

    ``paths`` are files or directories (see :func:`~reconciler.config.scan.expand_paths`).
    A document found in a directory that is plainly not configuration (a simulator world
    file, an OpenAPI document, a workflow: :func:`~reconciler.config.foreign.foreign_kind`)
    is skipped, and ``note`` is told; a file named directly is always checked. Places in
    problems and in the result keep each path as given. Raises
    :class:`~reconciler.errors.ConfigError` carrying every problem found (syntax, schema,
    dates, merge rules, limits), sorted by file, line and column; finding no organization
    at all is a problem too.
    """
    expansion = expand_paths(paths)
    if note is not None:
        for line in expansion.notes:
            note(line)
    loading = _Loading(expansion, problems=list(expansion.problems))
    for order, file in enumerate(expansion.files):
        _load_file(loading, file, order, note)
    orgs, merge_problems = merge_fragments(loading.fragments)
    problems = loading.problems + merge_problems
    if not problems and not orgs:
        problems = _nothing_found(paths, loading)
    if problems:
        raise ConfigError(problems)
    return DesiredState(orgs=orgs)


def _load_file(loading: _Loading, file: str, order: int, note: Log | None) -> None:
    expansion = loading.expansion
    given = expansion.origin.get(file, file)
    loading.read[given] = loading.read.get(given, 0) + 1
    text, read_problems = read_text(file)
    loading.problems += read_problems
    if text is None:
        return
    doc = parse_document(file, text)
    loading.problems += doc.problems
    if doc.data is None:
        return
    kind = foreign_kind(doc.data)
    if kind is not None and file not in expansion.named:
        # A world kept next to the configuration it rehearses, an API description, a CI file.
        expansion.skipped.setdefault(given, []).append(f"{file} ({kind})")
        if note is not None:
            note(f"skipped {file}: {kind}, not a desired-state file")
        return
    if kind is not None and kind != UNRELATED:
        loading.problems.append(
            Problem(
                at(file),
                f"is {kind}, not a desired-state file",
                "name the configuration's files or folders",
            )
        )
        return
    loading.problems += schema_problems(doc)
    fragment, fragment_problems = build_fragment(doc, order)
    loading.problems += fragment_problems
    if fragment is not None:
        loading.fragments.append(fragment)


def _nothing_found(paths: Sequence[str], loading: _Loading) -> list[Problem]:
    """One problem per path given: no organization in any of them, and what each skipped.

    A nightly drift job pointed at the wrong folder must fail, not report "no changes".
    """
    hint = "name the files or folders that hold the configuration; -v says what was skipped"
    problems = []
    for given in dict.fromkeys(loading.expansion.origin.values()):
        read = loading.read.get(given, 0)
        skipped = _listing(loading.expansion.skipped.get(given, []))
        problems.append(
            Problem(
                at(given),
                f"no organization found in {read} YAML file(s): skipped {skipped}",
                hint,
            )
        )
    return problems or [Problem(at(paths[0] if paths else "."), "no organization found", hint)]


def _listing(items: list[str], shown: int = 5) -> str:
    more = len(items) - shown
    return ", ".join(items[:shown]) + (f" and {more} more" if more > 0 else "")
