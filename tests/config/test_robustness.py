"""Whatever the bytes, loading ends in a desired state or a ConfigError whose problems all
point into the files given: never another exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.config import load_desired_state
from reconciler.errors import ConfigError, Problem
from tests.config.conftest import EXAMPLES

SEEDS = [
    (EXAMPLES / name).read_text()
    for name in ("small-org/org.yaml", "governed-org/org.yaml", "large-org/org.yaml")
]
# Pieces that YAML, the schema or the merge rules treat specially.
PIECES = [
    *":-[]{}&*!|>'\"#,?%@`\t\n ~0_.\\",
    "\x00",
    "\x85",
    "\ufeff",
    "é",
    "---",
    "<<",
    "!!binary ",
    "&a ",
    "*a",
    "yes",
    "null",
    "2026-02-30",
    "alice",
    "  - bob\n",
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "copy"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 8)) :]
        else:
            start = draw(st.integers(0, len(text)))
            text = text[:at] + text[start : start + draw(st.integers(1, 40))] + text[at:]
    return text


@pytest.mark.slow  # 300 hypothesis examples
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=mutated(), second=mutated())
def test_loading_mutated_examples_never_raises_anything_else(first: str, second: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder, "a.yaml"), Path(folder, "b.yaml")]
        for path, text in zip(paths, (first, second), strict=True):
            path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        problems: tuple[Problem, ...] = ()
        try:
            load_desired_state([folder])
        except ConfigError as error:
            problems = error.problems
    outside = [p for p in problems if p.source.file not in {str(path) for path in paths}]
    unplaced = [p for p in problems if p.source.line < 1 or p.source.column < 1]
    assert (outside, unplaced) == ([], [])
