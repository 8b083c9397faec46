"""One YAML file -> plain data plus the place of every value, with hostile input bounded.

PyYAML's own constructor is not used: it forgets where values came from, silently keeps the
last of two equal keys, and turns ``2027-03-31`` into a date (and fails on ``2026-02-30``).
Instead the file is composed into nodes and converted here: scalars get JSON types (dates
stay text), every value's and key's position is recorded by its path, duplicate keys are
problems, and aliases may add at most :data:`MAX_ALIAS_NODES` nodes (a "billion laughs"
file fails fast instead of exhausting memory).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from reconciler.config.paths import show_path
from reconciler.errors import Problem
from reconciler.model import Source

#: Nodes that aliases may add to one document (a YAML bomb expands exponentially).
MAX_ALIAS_NODES = 10_000
#: Collections nested deeper than this are refused (the format itself needs four levels).
MAX_DEPTH = 50

#: A path inside a document: mapping keys and sequence indexes, from the top.
Path = tuple[str | int, ...]

_STANDARD_TAG = "tag:yaml.org,2002:"
# libyaml composes several times faster; its error messages differ, so errors are always
# re-derived with the pure-Python parser (see _compose).
_FAST_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Errors after this many characters keep libyaml's message rather than pay for a re-parse.
_REPARSE_CHARS = 200_000
_TEXT_TAGS = frozenset(_STANDARD_TAG + name for name in ("str", "timestamp", "merge", "value"))
_CONSTRUCTOR = yaml.SafeLoader("")  # only for its scalar constructors (int, float, bool)


@dataclass
class Document:
    """The content of one file: plain JSON-like data and where each part of it was written."""

    file: str
    data: Any = None
    values: dict[Path, Source] = field(default_factory=dict)  # path -> the value's start
    keys: dict[Path, Source] = field(default_factory=dict)  # path -> its mapping key's start
    raw: dict[Path, str] = field(default_factory=dict)  # path -> text of a non-text scalar
    tagged: set[Path] = field(default_factory=set)  # values under an unsupported tag
    problems: list[Problem] = field(default_factory=list)

    def at(self, path: Path) -> Source:
        """The place of the value at ``path``, or of the nearest enclosing value recorded."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, Source(self.file, 1, 1))

    def key_at(self, path: Path) -> Source:
        """The place of the mapping key that holds ``path`` (its value's place if none)."""
        return self.keys.get(path) or self.at(path)


class _Stop(Exception):
    """The file cannot be converted further; carries the one problem that says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def parse_document(file: str, text: str) -> Document:
    """Compose and convert ``text`` (the content of ``file``); problems land in the result.

    A document with problems that make it unusable (syntax, several documents, a value at
    the top that is not a mapping, limits) has ``data`` left as ``None``.
    """
    doc = Document(file)
    try:
        root = _compose(file, text)
        if root is None:
            raise _Stop(
                Problem(
                    Source(file, 1, 1),
                    "file is empty",
                    "write at least `version: 1` and `org: NAME`, or delete the file",
                )
            )
        if not isinstance(root, yaml.MappingNode):
            raise _Stop(
                Problem(
                    _source(file, root.start_mark),
                    f"the file must hold a mapping (version, org, ...), not {_kind(root)}",
                    "start the file with `version: 1` and `org: NAME`",
                )
            )
        doc.data = _Converter(doc).convert(root, (), 0)
    except _Stop as stop:
        doc.data = None
        doc.problems = [stop.problem]
    return doc


def _source(file: str, mark: yaml.Mark | None) -> Source:
    if mark is None:
        return Source(file, 1, 1)
    return Source(file, mark.line + 1, mark.column + 1)


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return "a single value"


def _compose(file: str, text: str) -> yaml.Node | None:
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=_FAST_LOADER)
        return node
    except yaml.YAMLError as fast_error:
        error: BaseException = fast_error
    except RecursionError:  # only the pure-Python composer recurses without a limit
        raise _Stop(_too_deep(Source(file, 1, 1))) from None
    if "nesting depth" in str(error):  # libyaml's own limit (1,000 levels)
        raise _Stop(_too_deep(_source(file, getattr(error, "problem_mark", None))))
    mark = getattr(error, "problem_mark", None)
    if _FAST_LOADER is not yaml.SafeLoader and (mark is None or mark.index < _REPARSE_CHARS):
        # Re-parse with the pure-Python parser so messages do not depend on libyaml; it is
        # slower, so only when the error comes early (the time stays bounded).
        try:
            yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as slow_error:
            error = slow_error
        except RecursionError:
            raise _Stop(_too_deep(Source(file, 1, 1))) from None
    raise _Stop(_syntax_problem(file, text, error))


def _too_deep(source: Source) -> Problem:
    return Problem(
        source, f"values are nested more than {MAX_DEPTH} levels deep", "flatten the file"
    )


def _syntax_problem(file: str, text: str, error: BaseException) -> Problem:
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
    if error.context == "expected a single document in the stream":
        return Problem(
            _source(file, mark),
            "the file holds several YAML documents",
            "keep one document per file: move the others into files of their own",
        )
    if "'\\t'" in problem or "tab character" in problem:
        return Problem(
            _source(file, mark),
            "a tab character where YAML expects indentation or a value",
            "indent with spaces, not tabs",
        )
    message = f"invalid YAML: {problem}"
    if error.context and error.context_mark is not None and mark is not error.context_mark:
        where = f"line {error.context_mark.line + 1}, column {error.context_mark.column + 1}"
        message += f" ({error.context} at {where})"
    elif error.context:
        message += f" ({error.context})"
    return Problem(_source(file, mark), message, "fix the YAML syntax")


class _Converter:
    """Walks the node graph once, producing plain data and recording every position."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()  # ids of nodes converted once: meeting one again is an alias
        self.open: set[int] = set()  # ids of collections being converted: an alias to one is a loop
        self.alias_nodes = 0

    def convert(self, node: yaml.Node, path: Path, depth: int, via_alias: bool = False) -> Any:
        source = _source(self.doc.file, node.start_mark)
        if id(node) in self.open:
            raise _Stop(
                Problem(
                    source,
                    "an alias refers to a collection that contains it (a recursive structure)",
                    "remove the alias",
                )
            )
        via_alias = via_alias or id(node) in self.seen
        self.seen.add(id(node))
        if via_alias:
            self.alias_nodes += 1
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise _Stop(
                    Problem(
                        source,
                        f"aliases of this anchor expand to more than {MAX_ALIAS_NODES} values"
                        " (a YAML bomb?)",
                        "write the values out instead of repeating aliases",
                    )
                )
        if depth > MAX_DEPTH:
            raise _Stop(_too_deep(source))
        self.doc.values[path] = source
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        self._check_tag(node, path, "map" if isinstance(node, yaml.MappingNode) else "seq")
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [
                    self.convert(item, (*path, index), depth + 1, via_alias)
                    for index, item in enumerate(node.value)
                ]
            assert isinstance(node, yaml.MappingNode)  # composers build only these three kinds
            return self._mapping(node, path, depth, via_alias)
        finally:
            self.open.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int, via_alias: bool) -> Any:
        out: dict[str, Any] = {}
        first: dict[str, Source] = {}
        for key_node, value_node in node.value:
            key_source = _source(self.doc.file, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                self.doc.problems.append(
                    Problem(
                        key_source, f"{_show_path(path)}a key must be a plain name", "remove it"
                    )
                )
                continue
            # Keys are taken as written: `yes:` or `404:` name a key, they are not a bool or int.
            key = str(key_node.value)
            if key in first:
                where = f"first at line {first[key].line}"
                self.doc.problems.append(
                    Problem(
                        key_source,
                        f"{_show_path((*path, key))}duplicate key ({where})",
                        "YAML keeps only the last one: merge the two or delete one",
                    )
                )
            first[key] = first.get(key, key_source)
            self.doc.keys[(*path, key)] = key_source
            out[key] = self.convert(value_node, (*path, key), depth + 1, via_alias)
        return out

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        tag = node.tag
        # Dates and times stay text: the schema checks their form, the loader their reality.
        # `<<` and `=` (merge and value keys of YAML 1.1) are read as the text they are.
        if tag in _TEXT_TAGS:
            return node.value
        self.doc.raw[path] = node.value  # messages quote `off` as written, not as `false`
        if tag == _STANDARD_TAG + "null":
            return None
        constructors = {
            _STANDARD_TAG + "int": _CONSTRUCTOR.construct_yaml_int,
            _STANDARD_TAG + "float": _CONSTRUCTOR.construct_yaml_float,
            _STANDARD_TAG + "bool": _CONSTRUCTOR.construct_yaml_bool,
        }
        if tag in constructors:
            return constructors[tag](node)
        self._check_tag(node, path, "str")
        return node.value

    def _check_tag(self, node: yaml.Node, path: Path, default: str) -> None:
        if node.tag != _STANDARD_TAG + default:
            self.doc.tagged.add(path)
            self.doc.problems.append(
                Problem(
                    _source(self.doc.file, node.start_mark),
                    f"{_show_path(path)}the YAML tag {_show_tag(node.tag)} is not supported",
                    "remove the tag",
                )
            )


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_STANDARD_TAG) if tag.startswith(_STANDARD_TAG) else tag


def _show_path(path: Path) -> str:
    text = show_path(path)
    return f"{text}: " if text else ""
