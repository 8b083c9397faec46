"""Removing users from ``seats.users`` of a YAML file while keeping everything else as it is.

ruamel.yaml's round-trip parser says where every entry of the list starts; the edit then
deletes exactly those lines from the original text. Dumping the whole document back with
ruamel would re-indent it and lose comments placed between entries (ruamel attaches a comment
line to the entry *before* it, so deleting that entry drops a comment about the next one),
which a reviewer of the pull request would see as noise. Every other byte stays: comments,
order, quoting, blank lines, line endings. The result is parsed again and checked to hold
exactly the remaining users before it is returned.
"""

from __future__ import annotations

import io
from collections.abc import Collection
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from reconciler.errors import ReconcilerError
from reconciler.model import key


class YamlEditError(ReconcilerError):
    """A file could not be edited safely; nothing was written."""


def remove_users(text: str, logins: Collection[str], *, file: str) -> tuple[str, list[str]]:
    """``text`` without the ``seats.users`` entries of ``logins`` (compared caselessly), and
    the logins removed, in file order. Raises :class:`YamlEditError` when the list is not
    one the edit can make safely (then the caller writes nothing)."""
    wanted = {key(login) for login in logins}
    data = _load(text, file)
    seats = data.get("seats") if isinstance(data, CommentedMap) else None
    users = seats.get("users") if isinstance(seats, CommentedMap) else None
    if not isinstance(seats, CommentedMap) or not isinstance(users, CommentedSeq):
        return text, []
    hits = [i for i, entry in enumerate(users) if key(_login(entry)) in wanted]
    if not hits:
        return text, []
    removed = [_login(users[i]) for i in hits]
    remaining = [_login(entry) for i, entry in enumerate(users) if i not in hits]
    lines = text.splitlines(keepends=True)
    if users.fa.flow_style():
        lines = _edit_flow(lines, users, hits, file)
    else:
        lines = _edit_block(lines, users, hits, seats, emptied=not remaining)
    out = "".join(lines)
    _check(out, remaining, file)
    return out, removed


def _load(text: str, file: str) -> Any:
    try:
        return YAML(typ="rt").load(io.StringIO(text))
    except YAMLError as exc:
        raise YamlEditError(f"{file}: not valid YAML ({exc}); fix it, then run again") from None


def _login(entry: Any) -> str:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, CommentedMap) and isinstance(entry.get("login"), str):
        return str(entry["login"])
    return ""


def _edit_block(
    lines: list[str], users: CommentedSeq, hits: list[int], seats: CommentedMap, emptied: bool
) -> list[str]:
    drop: set[int] = set()
    for index in hits:
        first = _dash_line(lines, users.lc.item(index)[0])
        drop |= set(range(first, _entry_end(lines, first)))
    if emptied:
        # `users:` with nothing under it would read as null, which the schema refuses.
        row, col = seats.lc.key("users")
        line = lines[row]
        colon = line.index(":", col)
        lines[row] = f"{line[: colon + 1]} []{line[colon + 1 :]}"
    return [line for number, line in enumerate(lines) if number not in drop]


def _dash_line(lines: list[str], row: int) -> int:
    """The line of an entry's ``-`` (a mapping entry may start on the line after it)."""
    while row > 0 and not lines[row].lstrip().startswith("-"):
        row -= 1
    return row


def _entry_end(lines: list[str], first: int) -> int:
    """The line after an entry: continuation lines are indented deeper than its ``-``;
    comment and blank lines count only when more of the entry follows them (a comment
    just above the next entry belongs to that entry)."""
    indent = _indent(lines[first])
    end = row = first + 1
    while row < len(lines):
        stripped = lines[row].strip()
        if stripped and not stripped.startswith("#"):
            if _indent(lines[row]) <= indent:
                break
            end = row + 1
        row += 1
    return end


def _edit_flow(lines: list[str], users: CommentedSeq, hits: list[int], file: str) -> list[str]:
    row = users.lc.line
    line = lines[row]
    start, stop = line.find("[", users.lc.col), line.find("]", users.lc.col)
    plain = all(isinstance(entry, str) for entry in users)
    if start < 0 or stop < 0 or not plain or users.lc.item(len(users) - 1)[0] != row:
        raise YamlEditError(
            f"{file}:{row + 1}: seats.users is a flow list over several lines or with "
            "mappings; write it as a block list (one '- login' per line) and run again"
        )
    kept = [str(entry) for i, entry in enumerate(users) if i not in hits]
    inner = line[start + 1 : stop]
    quoted = {part.strip() for part in inner.split(",")} - {str(e) for e in users}
    if quoted:  # entries written with quotes keep their quotes only if re-read verbatim
        raise YamlEditError(
            f"{file}:{row + 1}: seats.users has quoted entries; write it as a block list "
            "and run again"
        )
    lines[row] = f"{line[: start + 1]}{', '.join(kept)}{line[stop:]}"
    return lines


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _check(text: str, remaining: list[str], file: str) -> None:
    data = _load(text, file)
    seats = data.get("seats") if isinstance(data, CommentedMap) else None
    users = seats.get("users") if isinstance(seats, CommentedMap) else None
    found = [_login(entry) for entry in users] if isinstance(users, CommentedSeq) else None
    if found != remaining:
        raise YamlEditError(
            f"{file}: the edit would not leave exactly the remaining users in seats.users; "
            "nothing was written: remove the users by hand"
        )
