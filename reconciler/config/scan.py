"""From the paths a user gives to the configuration files to read, with the walk bounded.

A directory means every ``*.yaml`` / ``*.yml`` file below it, recursively, in sorted order.
Some entries are plainly not configuration and are not entered: hidden ones (``.git``,
``.github``, editor files), installed Node packages (``node_modules``) and Python virtual
environments (a folder holding ``pyvenv.cfg``). A symbolic link is followed only while it
stays inside the folder being scanned: a configuration may come from a pull request, and a
link to ``/`` must not make the tool read (and quote) the whole machine. One run reads at
most :data:`MAX_FILES` files and :data:`MAX_TOTAL_BYTES` bytes, and looks at most at
:data:`MAX_ENTRIES` directory entries; past a limit the run stops with one problem.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field

from reconciler.config.files import MAX_FILE_BYTES, YAML_SUFFIXES, at, reason
from reconciler.errors import Problem

#: Configuration files one run reads (a large enterprise split by team needs a few hundred).
MAX_FILES = 5_000
#: Bytes of configuration one run reads, all files together (32 MiB: well over a million logins).
MAX_TOTAL_BYTES = 32 * 1024 * 1024
#: Directory entries one run looks at, hidden ones included, before it gives up.
MAX_ENTRIES = 200_000

#: Folder names that hold installed packages, never configuration, and can be huge.
_PACKAGE_FOLDERS = {"node_modules": "installed Node packages"}


@dataclass
class Expansion:
    """The files a list of paths names, in load order, and what was met on the way."""

    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    named: set[str] = field(default_factory=set)  # files named directly, not found in a folder
    origin: dict[str, str] = field(default_factory=dict)  # file -> the path it was found from
    notes: list[str] = field(default_factory=list)  # what was skipped and why, for -v
    skipped: dict[str, list[str]] = field(default_factory=dict)  # path -> what it skipped


class _Limit(Exception):
    """A limit of one run was passed: the run stops with this problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class _Walk:
    """The state of one run's walk: what it found and how much of the budget it spent."""

    out: Expansion
    seen_files: set[tuple[int, int]] = field(default_factory=set)
    found: int = 0  # files found, duplicates included
    entries: int = 0
    total_bytes: int = 0

    def add(self, path: str, info: os.stat_result, given: str) -> None:
        self.found += 1
        identity = (info.st_dev, info.st_ino)
        if identity in self.seen_files:
            return  # named twice, or reached through a link: loaded once
        if len(self.out.files) >= MAX_FILES:
            raise _Limit(
                Problem(
                    at(given),
                    f"more than {MAX_FILES:,} configuration files to read (the limit of one run)",
                    "name the folders or files that hold the configuration",
                )
            )
        if info.st_size <= MAX_FILE_BYTES:  # a larger file is refused unread, on its own
            self.total_bytes += info.st_size
        if self.total_bytes > MAX_TOTAL_BYTES:
            raise _Limit(
                Problem(
                    at(path),
                    f"the configuration is larger than the limit of {MAX_TOTAL_BYTES:,} bytes"
                    f" (32 MiB) of one run: {self.total_bytes:,} bytes with this file",
                    "name fewer files, or check the organizations in separate runs",
                )
            )
        self.seen_files.add(identity)
        self.out.files.append(path)
        self.out.origin[path] = given

    def count_entry(self, folder: str) -> None:
        self.entries += 1
        if self.entries > MAX_ENTRIES:
            raise _Limit(
                Problem(
                    at(folder),
                    f"more than {MAX_ENTRIES:,} directory entries to look at (the limit of one"
                    " run's scan)",
                    "name the folders or files that hold the configuration",
                )
            )


def expand_paths(paths: Sequence[str]) -> Expansion:
    """Expand files and directories into the configuration files to load.

    A file named directly is always read, whatever its name. A directory is walked as the
    module docstring says; each directory is visited once, so a link loop ends. A file named
    twice (directly, through a directory or through a link) is loaded once. When a limit of
    the run is passed, ``files`` is emptied and the one problem says which.
    """
    walk = _Walk(Expansion())
    out = walk.out
    try:
        for path in paths:
            _expand(walk, path)
    except _Limit as limit:
        out.files, out.named, out.origin = [], set(), {}
        out.problems.append(limit.problem)
    return out


def _expand(walk: _Walk, path: str) -> None:
    out = walk.out
    try:
        info = os.stat(path)
    except OSError as error:
        out.problems.append(_unreachable(path, error, named=True))
        return
    if not stat.S_ISDIR(info.st_mode):
        out.named.add(path)
        walk.add(path, info, path)
        return
    before = walk.found
    root = os.path.realpath(path)
    identity = (info.st_dev, info.st_ino)
    _walk(walk, path, _Folder(root, path, {identity}), frozenset({identity}))
    if walk.found == before:
        skipped = out.skipped.get(path)
        out.problems.append(
            Problem(
                at(path),
                "directory holds no *.yaml or *.yml files"
                + (f" to read (skipped: {', '.join(skipped)})" if skipped else ""),
                "add configuration files, or name the files to check",
            )
        )


@dataclass
class _Folder:
    """One directory named on the command line: where links may lead, what was visited."""

    root: str  # its real path: links that resolve outside it are not followed
    given: str  # as the user spelled it, for messages
    visited: set[tuple[int, int]]

    def contains(self, real: str) -> bool:
        return real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep)


def _child(folder: str, name: str) -> str:
    # Keep paths as the user spelled them, but `validate .` should say `org.yaml`, not `./org.yaml`.
    return name if folder in (".", "./") else os.path.join(folder, name)


def _walk(walk: _Walk, folder: str, scan: _Folder, above: frozenset[tuple[int, int]]) -> None:
    """Add every YAML file below ``folder``, depth first, sorted by name; ``above`` holds
    the folders the walk is inside of (a link to one of them is a loop)."""
    entries: list[os.DirEntry[str]] = []
    try:
        with os.scandir(folder) as listing:
            for entry in listing:  # counted as listed: a folder of a million entries stops early
                walk.count_entry(folder)
                entries.append(entry)
    except OSError as error:
        walk.out.problems.append(
            Problem(at(folder), f"cannot be listed: {reason(error)}", "check the permissions")
        )
        return
    for entry in sorted(entries, key=lambda entry: entry.name):
        if entry.name.startswith("."):
            continue
        path = _child(folder, entry.name)
        is_yaml = entry.name.endswith(YAML_SUFFIXES)
        if not (is_yaml or entry.is_dir(follow_symlinks=False) or entry.is_symlink()):
            continue  # a plain file that is not YAML: no system call spent on it
        try:
            info = os.stat(entry.path)  # follows links
        except OSError as error:
            # A broken link or a link loop: only worth a problem if it looks like configuration.
            if is_yaml:
                walk.out.problems.append(_unreachable(path, error, named=False))
            continue
        is_dir = stat.S_ISDIR(info.st_mode)
        if not (is_dir or is_yaml):
            continue
        if entry.is_symlink() and not _link_inside(walk, path, entry.path, scan):
            continue
        if is_dir:
            _enter(walk, path, info, scan, above)
        else:
            walk.add(path, info, scan.given)


def _link_inside(walk: _Walk, path: str, link: str, scan: _Folder) -> bool:
    target = os.path.realpath(link)
    if scan.contains(target):
        return True
    walk.out.problems.append(
        Problem(
            at(path),
            f"is a symbolic link out of the folder being read (to {target}): not followed",
            "name its target directly to read it, or remove the link",
        )
    )
    return False


def _enter(
    walk: _Walk, path: str, info: os.stat_result, scan: _Folder, above: frozenset[tuple[int, int]]
) -> None:
    identity = (info.st_dev, info.st_ino)
    if identity in above:
        walk.out.notes.append(f"skipped {path}: a symbolic link loop (it leads back up)")
        return
    if identity in scan.visited:  # each directory once, however many links lead to it
        walk.out.notes.append(f"skipped {path}: already read (another link leads there)")
        return
    scan.visited.add(identity)
    kind = _PACKAGE_FOLDERS.get(os.path.basename(path))
    if kind is None and os.path.isfile(os.path.join(path, "pyvenv.cfg")):
        kind = "a Python virtual environment"
    if kind is not None:
        walk.out.notes.append(f"skipped {path}/: {kind}, not configuration")
        walk.out.skipped.setdefault(scan.given, []).append(f"{path}/ ({kind})")
        return
    _walk(walk, path, scan, above | {identity})


def _unreachable(path: str, error: OSError, *, named: bool) -> Problem:
    """The problem for a path that ``stat`` cannot follow: missing, broken, a loop, denied."""
    if error.errno == errno.ELOOP:
        return Problem(at(path), "is a symbolic link loop", "point it at a file or remove it")
    if isinstance(error, FileNotFoundError):
        if os.path.islink(path):
            return Problem(at(path), "is a broken symbolic link", "point it at a file or remove it")
        if named:
            return Problem(at(path), "no such file or directory", "check the path")
    return Problem(at(path), f"cannot be read: {reason(error)}", "check the permissions")
