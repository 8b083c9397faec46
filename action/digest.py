"""Print a short digest of the action's own files: the key of its pip cache and of the
virtual environment it installs (so a second use in one job reuses it).

Run by action.yml with the Python that setup-python installed, before anything else is
installed, so it uses the standard library only.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

_FILES = ("pyproject.toml", "action/constraints.txt")
_TREES = ("reconciler", "schemas")


def digest(root: Path) -> str:
    """sha256 over the pins and the package's sources, in a stable order; 16 hex digits."""
    paths = [root / name for name in _FILES]
    for tree in _TREES:
        paths += sorted(p for p in (root / tree).rglob("*") if p.is_file() and _is_source(p))
    hasher = hashlib.sha256()
    for path in paths:
        hasher.update(path.relative_to(root).as_posix().encode() + b"\0")
        hasher.update(path.read_bytes() + b"\0")
    return hasher.hexdigest()[:16]


def _is_source(path: Path) -> bool:
    return "__pycache__" not in path.parts and path.suffix != ".pyc"


if __name__ == "__main__":
    print(digest(Path(sys.argv[1])))
