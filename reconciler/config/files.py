"""The text of each configuration file (:mod:`reconciler.config.scan` finds the files).

Files are read with a size limit and decoded as strict UTF-8. Every failure is a
:class:`~reconciler.errors.Problem` with a place, never an exception: the loader reports all
of them at once.
"""

from __future__ import annotations

import os
import stat

from reconciler.errors import Problem
from reconciler.model import Source

#: A configuration file larger than this is refused before it is read (5 MiB).
MAX_FILE_BYTES = 5 * 1024 * 1024

YAML_SUFFIXES = (".yaml", ".yml")


def at(path: str, line: int = 1, column: int = 1) -> Source:
    """The place of a problem about a whole file or path: its first line and column."""
    return Source(path, line, column)


def reason(error: OSError) -> str:
    """What the system said, without the path it repeats (``Permission denied``)."""
    return error.strerror or type(error).__name__


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
                    Problem(at(path), "is not a regular file", "name YAML files or directories")
                ]
            if info.st_size > MAX_FILE_BYTES:
                return None, [_too_large(path, info.st_size)]
            # Read one byte past the limit: a file that grows while we read is caught too.
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return None, [
            Problem(at(path), f"cannot be read: {reason(error)}", "check the permissions")
        ]
    if len(data) > MAX_FILE_BYTES:
        return None, [_too_large(path, len(data))]
    return _decode(path, data)


def _too_large(path: str, size: int) -> Problem:
    return Problem(
        at(path),
        f"file is larger than the limit of {MAX_FILE_BYTES} bytes (5 MiB): {size} bytes",
        "split the configuration into several files",
    )


def _decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(at(path), "file is UTF-16 text", "save it as UTF-8")]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _position(data, nul)
        return None, [
            Problem(
                at(path, line, column),
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
                at(path, line, column),
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
