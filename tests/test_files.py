"""Atomic writes (issue 10, point 5): a write that fails leaves the old file whole."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from reconciler.files import make_private_dirs, write_atomic


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_failing_rename_leaves_the_old_file_intact_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old plan\n")

    def refuse(_src: object, _dst: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="Input/output"):
        write_atomic(target, "new plan " * 1000)

    assert target.read_text() == "old plan\n"
    assert _leftovers(tmp_path) == []


def test_a_full_disk_at_flush_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old plan\n")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "new plan\n")

    assert target.read_text() == "old plan\n"
    assert _leftovers(tmp_path) == []


def test_a_new_file_gets_the_umask_mode_and_a_replaced_one_keeps_its_own(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.json", "{}")
    finally:
        os.umask(previous)
    kept = tmp_path / "kept.json"
    kept.write_text("x")
    kept.chmod(0o640)
    write_atomic(kept, b"y")

    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640
    assert (stat.S_IMODE(kept.stat().st_mode), kept.read_bytes()) == (0o640, b"y")


def test_private_dirs_are_0700_at_every_level_it_creates_only(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    previous = os.umask(0o022)
    try:
        make_private_dirs(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(previous)
    modes = [stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "a", tmp_path / "a" / "b")]

    assert modes == [0o700, 0o700]
    assert stat.S_IMODE((tmp_path / "a" / "b" / "c").stat().st_mode) == 0o700
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
