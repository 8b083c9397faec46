"""Writing local files whole or not at all.

A plan, an export, a world file or a cache entry is written to a temporary file in the same
folder, flushed to disk (fsync), then renamed over the target (``os.replace``, atomic on
POSIX and Windows within one file system). A full disk, a crash or a kill at any moment
leaves either the old file intact or the new one complete, never a truncated or empty file;
the temporary file is removed when the write fails.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["make_private_dirs", "write_atomic"]


def write_atomic(path: Path, data: bytes | str, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` (``str`` is written as UTF-8) atomically.

    ``mode`` sets the file's permissions; by default an existing file keeps its own and a
    new one gets ``0o666`` less the process umask, as ``open()`` would give it. The folder
    must exist. Raises :class:`OSError` (the caller names the file for its user); the old
    file, if any, is then untouched.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if mode is None:
        mode = _existing_mode(path)
        if mode is None:
            mode = 0o666 & ~_umask()
    # mkstemp creates the file 0600 and exclusive: nobody else can write to it meanwhile.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(path.parent)


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and its missing parents, each ``0o700`` whatever the umask.

    (``Path.mkdir(mode=..., parents=True)`` applies ``mode`` to the last folder only: the
    parents it creates get ``0o777`` less the umask, ``0o755`` under the usual ``022``.)
    Folders that already exist are left as they are.
    """
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for part in reversed(missing):
        try:
            os.mkdir(part, 0o700)
        except FileExistsError:
            if not part.is_dir():
                raise
            continue  # another process made it meanwhile: not ours to change
        os.chmod(part, 0o700)  # the umask may have taken bits off mkdir's mode


def _existing_mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return None


def _umask() -> int:
    # The only portable way to read the umask is to set it; set it straight back.
    current = os.umask(0o022)
    os.umask(current)
    return current


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; folders cannot be opened on Windows: best effort."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
