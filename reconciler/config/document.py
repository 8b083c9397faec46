"""One YAML file -> plain data plus the place of every value, with hostile input bounded.

PyYAML's constructor is not used: it forgets where values came from, silently keeps the last
of two equal keys, and turns ``2027-03-31`` into a date (and fails on ``2026-02-30``). Nor
is its composer: a node with its two marks costs over half a kilobyte, so a 5 MiB file of
tiny values would take gigabytes. Instead the parser's events are read one at a time and
turned into JSON-like data here, recording each value's and key's line and column by its
path. Duplicate keys are problems; aliases may add at most :data:`MAX_ALIAS_VALUES` values
(a "billion laughs" file fails at the first alias past the budget); a document holds at
most :data:`MAX_VALUES` values and nests at most :data:`MAX_DEPTH` levels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from reconciler.config.paths import show_path
from reconciler.config.syntax import FAST_LOADER, place, syntax_problem
from reconciler.errors import Problem
from reconciler.model import Source
from reconciler.typing import KeyPath

#: Values that aliases may add to one document (a YAML bomb expands exponentially).
MAX_ALIAS_VALUES = 10_000
#: Values (scalars, lists, mappings) in one document, the copies aliases make included.
MAX_VALUES = 500_000
#: Collections nested deeper than this are refused (the format itself needs four levels).
MAX_DEPTH = 50

#: A path inside a document: mapping keys and sequence indexes, from the top.

_TAG = "tag:yaml.org,2002:"
_RESOLVER = yaml.resolver.Resolver()  # implicit tags of plain scalars: int, bool, null, ...
_CONSTRUCTOR = yaml.SafeLoader("")  # only for its scalar constructors (int, float, bool)
# `<<` and `=` (YAML 1.1 merge and value keys) and dates are read as the text they are.
_TEXT_TAGS = frozenset(_TAG + name for name in ("str", "timestamp", "merge", "value"))


@dataclass
class Document:
    """The content of one file: plain JSON-like data and where each part of it was written."""

    file: str
    data: Any = None
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)  # path -> (line, column)
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)  # path -> its key's place
    raw: dict[KeyPath, str] = field(default_factory=dict)  # path -> text of a non-text scalar
    tagged: set[KeyPath] = field(default_factory=set)  # values under an unsupported tag
    problems: list[Problem] = field(default_factory=list)

    def at(self, path: KeyPath) -> Source:
        """The place of the value at ``path``, or of the nearest enclosing value recorded."""
        while path not in self.values and path:
            path = path[:-1]
        return Source(self.file, *self.values.get(path, (1, 1)))

    def key_at(self, path: KeyPath) -> Source:
        """The place of the mapping key that holds ``path`` (its value's place if none)."""
        place = self.keys.get(path)
        return Source(self.file, *place) if place else self.at(path)


class _Stop(Exception):
    """The file cannot be read further; carries the one problem that says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class _Anchor:
    value: Any
    path: KeyPath  # where the anchored value was built
    first: int  # its entries in _Reader.order: [first, last)
    last: int


def parse_document(file: str, text: str) -> Document:
    """Parse ``text`` (the content of ``file``); problems land in the result.

    A document with a problem that makes it unusable (syntax, several documents, a value at
    the top that is not a mapping, a limit) has ``data`` left as ``None`` and that one
    problem.
    """
    doc = Document(file)
    loader = FAST_LOADER(text)
    try:
        doc.data = _Reader(doc, loader).document()
    except _Stop as stop:
        doc.data, doc.problems = None, [stop.problem]
    except yaml.YAMLError as error:
        doc.data, doc.problems = None, [syntax_problem(file, text, error, MAX_DEPTH)]
    finally:
        loader.dispose()
    return doc


class _Reader:
    """Reads one document's events depth first, building values and recording places."""

    def __init__(self, doc: Document, loader: Any) -> None:
        self.doc = doc
        self.loader = loader
        self.order: list[KeyPath] = []  # recorded paths in order: an anchor's span is a slice
        self.anchors: dict[str, _Anchor] = {}
        self.open: set[str] = set()  # anchors of collections being built: an alias is a loop
        self.alias_values = 0

    def stop(self, mark: Any, message: str, hint: str) -> _Stop:
        return _Stop(Problem(Source(self.doc.file, *place(mark)), message, hint))

    def document(self) -> Any:
        self.loader.get_event()  # StreamStart
        if self.loader.check_event(yaml.StreamEndEvent):
            raise _empty(self.doc.file)
        self.loader.get_event()  # DocumentStart
        event = self.loader.peek_event()
        if isinstance(event, yaml.ScalarEvent) and event.value == "" and event.tag is None:
            raise _empty(self.doc.file)  # `---` and nothing else
        if not isinstance(event, yaml.MappingStartEvent):
            kind = "a list" if isinstance(event, yaml.SequenceStartEvent) else "a single value"
            raise self.stop(
                event.start_mark,
                f"the file must hold a mapping (version, org, ...), not {kind}",
                "start the file with `version: 1` and `org: NAME`",
            )
        data = self.node((), 0)
        self.loader.get_event()  # DocumentEnd
        if self.loader.check_event(yaml.DocumentStartEvent):
            raise self.stop(
                self.loader.peek_event().start_mark,
                "the file holds several YAML documents",
                "keep one document per file: move the others into files of their own",
            )
        return data

    def record(self, path: KeyPath, mark: Any) -> None:
        if len(self.order) >= MAX_VALUES:
            raise self.stop(
                mark,
                f"the file holds more than {MAX_VALUES} values",
                "split the configuration into several files",
            )
        self.doc.values[path] = place(mark)
        self.order.append(path)

    def node(self, path: KeyPath, depth: int) -> Any:
        event = self.loader.get_event()
        if isinstance(event, yaml.AliasEvent):
            return self.alias(event, path)
        if depth > MAX_DEPTH:
            raise self.stop(
                event.start_mark,
                f"values are nested more than {MAX_DEPTH} levels deep",
                "flatten the file",
            )
        first = len(self.order)
        self.record(path, event.start_mark)
        anchor = event.anchor
        value: Any
        if isinstance(event, yaml.ScalarEvent):
            value = self.scalar(event, path)
        else:
            if anchor is not None:
                self.open.add(anchor)
            if isinstance(event, yaml.SequenceStartEvent):
                self.check_tag(event, path, "seq")
                value = []
                while not self.loader.check_event(yaml.SequenceEndEvent):
                    value.append(self.node((*path, len(value)), depth + 1))
            else:
                self.check_tag(event, path, "map")
                value = self.mapping(path, depth)
            self.loader.get_event()  # the collection's end
            if anchor is not None:
                self.open.discard(anchor)
        if anchor is not None:
            self.anchors[anchor] = _Anchor(value, path, first, len(self.order))
        return value

    def alias(self, event: Any, path: KeyPath) -> Any:
        name = event.anchor
        if name in self.open:
            raise self.stop(
                event.start_mark,
                f"alias *{name} refers to a collection that contains it (a recursive structure)",
                "remove the alias",
            )
        anchor = self.anchors.get(name)
        if anchor is None:
            raise self.stop(
                event.start_mark,
                f"invalid YAML: found undefined alias '{name}'",
                "fix the YAML syntax",
            )
        self.alias_values += anchor.last - anchor.first
        if self.alias_values > MAX_ALIAS_VALUES:
            raise self.stop(
                event.start_mark,
                f"aliases repeat more than {MAX_ALIAS_VALUES} values (a YAML bomb?)",
                "write the values out instead of repeating aliases",
            )
        # The alias's own place for the value itself, the anchor's places for what is inside;
        # the copies join `order` so that an anchor holding this alias spans them too.
        for inner in self.order[anchor.first : anchor.last]:
            moved = path + inner[len(anchor.path) :]
            if inner == anchor.path:
                self.doc.values[moved] = place(event.start_mark)
            else:
                self.doc.values[moved] = self.doc.values[inner]
                if inner in self.doc.keys:
                    self.doc.keys[moved] = self.doc.keys[inner]
            if inner in self.doc.raw:
                self.doc.raw[moved] = self.doc.raw[inner]
            if inner in self.doc.tagged:
                self.doc.tagged.add(moved)
            self.order.append(moved)
        return anchor.value

    def mapping(self, path: KeyPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        while not self.loader.check_event(yaml.MappingEndEvent):
            event = self.loader.peek_event()
            line, column = place(event.start_mark)
            if not isinstance(event, yaml.ScalarEvent):
                self.doc.problems.append(
                    Problem(
                        Source(self.doc.file, line, column),
                        f"{_prefix(path)}a key must be a plain name",
                        "remove it",
                    )
                )
                self.skip()  # the key
                self.skip()  # its value
                continue
            self.loader.get_event()
            # Keys are taken as written: `yes:` or `404:` name a key, not a bool or a number.
            key = event.value
            if key in first_line:
                self.doc.problems.append(
                    Problem(
                        Source(self.doc.file, line, column),
                        f"{_prefix((*path, key))}duplicate key (first at line {first_line[key]})",
                        "YAML keeps only the last one: merge the two or delete one",
                    )
                )
            else:
                first_line[key] = line
            self.doc.keys[(*path, key)] = (line, column)
            out[key] = self.node((*path, key), depth + 1)
        return out

    def skip(self) -> None:
        """Consume the events of one node without building it."""
        level = 0
        while True:
            event = self.loader.get_event()
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                level += 1
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                level -= 1
            if level == 0:
                return

    def scalar(self, event: Any, path: KeyPath) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            # PyYAML's stubs leave resolve() untyped; it returns the tag as a str.
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        if tag in _TEXT_TAGS:  # dates stay text: the schema checks the form, the loader the day
            return event.value
        self.doc.raw[path] = event.value  # messages quote `off` as written, not as `false`
        node = yaml.ScalarNode(tag, event.value)
        constructors = {
            _TAG + "null": _CONSTRUCTOR.construct_yaml_null,
            _TAG + "int": _CONSTRUCTOR.construct_yaml_int,
            _TAG + "float": _CONSTRUCTOR.construct_yaml_float,
            _TAG + "bool": _CONSTRUCTOR.construct_yaml_bool,
        }
        construct = constructors.get(tag)
        if construct is not None:
            try:
                return construct(node)
            except (ValueError, KeyError):  # an explicit tag on text that is not of its kind
                pass
        self.check_tag(event, path, "str", tag if construct is None else "?")
        return event.value

    def check_tag(self, event: Any, path: KeyPath, default: str, tag: str | None = None) -> None:
        """Report a tag this format does not take (``tag="?"``: one that did not fit)."""
        tag = tag or event.tag
        if tag in (None, "!", _TAG + default):
            return
        self.doc.tagged.add(path)
        shown = _show_tag(event.tag)
        message = (
            f"{shown} {event.value!r} is not a valid {shown}"
            if tag == "?"
            else f"the YAML tag {shown} is not supported"
        )
        self.doc.problems.append(
            Problem(
                Source(self.doc.file, *place(event.start_mark)),
                f"{_prefix(path)}{message}",
                "remove the tag",
            )
        )


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _prefix(path: KeyPath) -> str:
    text = show_path(path)
    return f"{text}: " if text else ""


def _empty(file: str) -> _Stop:
    return _Stop(
        Problem(
            Source(file, 1, 1),
            "file is empty",
            "write at least `version: 1` and `org: NAME`, or delete the file",
        )
    )
