"""World files on disk: read (YAML, or JSON by extension) and written atomically.

Files are read with the fast parsers (libyaml, json) and only re-read for positions when a
problem was found, so that a world of 100,000 seats loads in a few seconds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from reconciler.errors import ConfigError, Problem
from reconciler.files import write_atomic
from reconciler.model import Source
from reconciler.simulator.world import World
from reconciler.simulator.worldform import Locate, parse_world
from reconciler.typing import KeyPath


def _yaml_locator(text: str) -> Locate:
    """Positions of paths in a YAML (or JSON) text, composed only when a problem needs them."""

    def locate(path: KeyPath) -> tuple[int, int]:
        try:
            node: yaml.Node | None = yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            return (1, 1)
        mark = node.start_mark if node else None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                match = [(k, v) for k, v in node.value if str(k.value) == str(part)]
                if not match:
                    break
                node = match[0][1]
                mark = match[0][0].start_mark
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return (mark.line + 1, mark.column + 1) if mark else (1, 1)

    return locate


def read_world_file(path: str | Path) -> World:
    """Load a world file (YAML, or JSON by extension); ConfigError names the file."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError([Problem(Source(file, 1, 1), f"cannot read: {error.strerror}")]) from None
    try:
        if file.endswith(".json"):
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=yaml.CSafeLoader)
    except json.JSONDecodeError as error:
        raise ConfigError([Problem(Source(file, error.lineno, error.colno), error.msg)]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = getattr(error, "problem", None) or str(error)
        raise ConfigError([Problem(Source(file, line, column), str(message))]) from None
    return parse_world(data if data is not None else {}, file=file, locate=_yaml_locator(text))


def write_world_file(path: str | Path, data: Mapping[str, Any]) -> None:
    """Write a world atomically (:func:`reconciler.files.write_atomic`), YAML or JSON; an
    existing YAML file is updated in place, its comments and key order kept
    (:mod:`reconciler.simulator.roundtrip`)."""
    target = Path(path)
    if target.suffix == ".json":
        write_atomic(target, json.dumps(data, indent=2) + "\n")
        return
    from reconciler.simulator.roundtrip import update_yaml  # ruamel: only when writing

    try:
        old = target.read_text(encoding="utf-8")
    except OSError:
        old = ""
    text = update_yaml(old, data) if old.strip() else None
    if text is None:
        text = yaml.dump(dict(data), Dumper=yaml.CSafeDumper, sort_keys=False, width=100)
    write_atomic(target, text)
