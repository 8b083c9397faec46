"""The simulator's pages are complete inside the project: no reference to a folder a user's
clone does not have, and every relative link (and #anchor) resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ["simulator.md", "api-semantics.md"]
_LINK = re.compile(r"\]\(([^)\s]+)\)")
# The author's workspace, and the design folder beside the project that a clone does not have.
_OUTSIDE = re.compile(r"/work/|\.\.[/\\]shared|shared[/\\]design")


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}


@pytest.mark.parametrize("name", PAGES)
def test_the_page_refers_to_nothing_outside_the_project(name: str) -> None:
    text = (DOCS / name).read_text(encoding="utf-8")
    assert not _OUTSIDE.findall(text)


@pytest.mark.parametrize("name", PAGES)
def test_every_relative_link_resolves(name: str) -> None:
    page = DOCS / name
    for target in _LINK.findall(page.read_text(encoding="utf-8")):
        if target.startswith(("http://", "https://")):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.is_file(), f"{name}: {target}"
        if anchor:
            assert anchor in _anchors(linked), f"{name}: {target}"


def test_the_simulator_page_sends_readers_to_the_api_semantics() -> None:
    assert "](api-semantics.md)" in (DOCS / "simulator.md").read_text(encoding="utf-8")
