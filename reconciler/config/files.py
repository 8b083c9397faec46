"""From the paths a user gives to the text of each configuration file.

Directories are expanded recursively into their ``*.yaml`` / ``*.yml`` files in sorted order;
files are read with a size limit and decoded as strict UTF-8. Every failure is a
:class:`~reconciler.errors.Problem` with a place, never an exception: the loader reports all
of them at once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reconciler.errors import Problem
from reconciler.model import Source

#: A configuration file larger than this is refused before it is read (5 MiB).
MAX_FILE_BYTES = 5 * 1024 * 1024

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Expansion:
    """The files a list of paths names, in load order, and the problems met on the way."""

    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    named: set[str] = field(default_factory=set)  # files named directly, not found in a folder


def _at(path: str, line: int = 1, column: int = 1) -> Source:
    return Source(path, line, column)


def _child(folder: str, name: str) -> str:
    # Keep paths as the user spelled them, but `validate .` should say `org.yaml`, not `./org.yaml`.
    return name if folder in (".", "./") else os.path.join(folder, name)


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def expand_paths(paths: Sequence[str]) -> Expansion:
    """Expand files and directories into the configuration files to load.

    A directory means every ``*.yaml`` / ``*.yml`` file below it, recursively, in sorted
    order; entries whose names start with a dot (``.git``, ``.github``, editor files) are
    skipped. Symbolic links are followed, each directory at most once, so a link loop ends.
    A file named twice (directly, through a directory or through a link) is loaded once.
    """
    out = Expansion()
    seen_files: set[tuple[int, int]] = set()
    for path in paths:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            if os.path.islink(path):
                out.problems.append(
                    Problem(
                        _at(path), "is a broken symbolic link", "point it at a file or remove it"
                    )
                )
            else:
                out.problems.append(
                    Problem(_at(path), "no such file or directory", "check the path")
                )
            continue
        except OSError as error:
            out.problems.append(
                Problem(_at(path), f"cannot be read: {_reason(error)}", "check the path")
            )
            continue
        if stat.S_ISDIR(info.st_mode):
            found = list(_walk(path, {(info.st_dev, info.st_ino)}, out.problems))
            if not found:
                out.problems.append(
                    Problem(
                        _at(path),
                        "directory holds no *.yaml or *.yml files",
                        "add configuration files, or name the files to check",
                    )
                )
            candidates: Iterable[tuple[str, os.stat_result]] = found
        else:
            candidates = [(path, info)]
            out.named.add(path)
        for name, file_info in candidates:
            identity = (file_info.st_dev, file_info.st_ino)
            if identity not in seen_files:
                seen_files.add(identity)
                out.files.append(name)
    return out


def _walk(
    folder: str, visited: set[tuple[int, int]], problems: list[Problem]
) -> Iterable[tuple[str, os.stat_result]]:
    """Yield ``(path, stat)`` of every YAML file below ``folder``, depth first, sorted by name."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        problems.append(
            Problem(_at(folder), f"cannot be listed: {_reason(error)}", "check the permissions")
        )
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = _child(folder, entry.name)
        try:
            info = os.stat(entry.path)  # follows links: a link to a directory is walked
        except OSError:
            # A broken link or a link loop: only worth a problem if it looks like configuration.
            if entry.name.endswith(YAML_SUFFIXES):
                problems.append(
                    Problem(
                        _at(path), "is a broken symbolic link", "point it at a file or remove it"
                    )
                )
            continue
        if stat.S_ISDIR(info.st_mode):
            identity = (info.st_dev, info.st_ino)
            if identity not in visited:  # each directory once: symbolic-link loops end here
                visited.add(identity)
                yield from _walk(path, visited, problems)
        elif entry.name.endswith(YAML_SUFFIXES):
            yield path, info


def read_text(path: str) -> tuple[str | None, list[Problem]]:
    """The decoded text of one configuration file, or ``None`` and the reasons it has none.

    Refuses without reading it whole: anything but a regular file, a file over
    :data:`MAX_FILE_BYTES`. Then refuses binary content (a NUL byte), UTF-16, and bytes
    that are not UTF-8, each at the line and column where it occurs. A UTF-8 byte-order
    mark is dropped.
    """
    try:
        # Non-blocking, so that opening a FIFO does not wait for a writer; then refuse it.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                return None, [
                    Problem(_at(path), "is not a regular file", "name YAML files or directories")
                ]
            if info.st_size > MAX_FILE_BYTES:
                return None, [_too_large(path, info.st_size)]
            # Read one byte past the limit: a file that grows while we read is caught too.
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return None, [
            Problem(_at(path), f"cannot be read: {_reason(error)}", "check the permissions")
        ]
    if len(data) > MAX_FILE_BYTES:
        return None, [_too_large(path, len(data))]
    return _decode(path, data)


def _too_large(path: str, size: int) -> Problem:
    return Problem(
        _at(path),
        f"file is larger than the limit of {MAX_FILE_BYTES} bytes (5 MiB): {size} bytes",
        "split the configuration into several files",
    )


def _decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(_at(path), "file is UTF-16 text", "save it as UTF-8")]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _position(data, nul)
        return None, [
            Problem(
                _at(path, line, column),
                "not a text file (it contains a NUL byte)",
                "name YAML files or directories only",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        return None, [
            Problem(
                _at(path, line, column),
                f"not valid UTF-8: byte 0x{data[error.start]:02x} cannot be decoded",
                "save the file as UTF-8",
            )
        ]
    return text.removeprefix("\ufeff"), []


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as far as they decode) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("utf-8", errors="replace")
    return data.count(b"\n", 0, offset) + 1, len(prefix) + 1
