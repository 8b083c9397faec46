"""Bad input of every kind gives exactly the expected `FILE:LINE:COL: message (hint)` lines,
exit code 1 and no traceback. The cases live in two tables: files, syntax, top-level keys and
settings (cases_documents.py); seats, content exclusion, safety and conflicts across files
(cases_sections.py)."""

# The expected lines are kept whole, as the user sees them, so some pass the line length.
# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.config import cases_documents, cases_sections
from tests.config.badcases import HEAD, LOGIN_RULE
from tests.config.conftest import Files, Outcome

CASES = [*cases_documents.CASES, *cases_sections.CASES]


@pytest.mark.parametrize(("files", "args", "expected"), CASES)
def test_bad_input_is_reported_at_its_place(
    validate_in: Callable[..., Outcome], files: Files, args: tuple[str, ...], expected: list[str]
) -> None:
    outcome = validate_in(files, *args)
    assert (outcome.exit_code, outcome.problems, outcome.stdout) == (1, expected, "")


def test_there_are_at_least_fifty_bad_input_cases() -> None:
    assert len(CASES) >= 50


def test_every_problem_of_every_file_is_reported_at_once_sorted(
    validate_in: Callable[..., Outcome],
) -> None:
    files = {
        "b.yaml": HEAD + "seats:\n  mode: sometimes\n  users: [a--b]\n",
        "a.yaml": "version: 3\norg: octo-org\n",
    }
    outcome = validate_in(files, "b.yaml", "a.yaml")
    assert outcome.problems == [
        "a.yaml:1:10: version: 3 is not a supported version (write `version: 1`)",
        "b.yaml:4:9: seats.mode: 'sometimes' is not allowed (allowed: exact, additive)",
        f"b.yaml:5:11: seats.users[0]: 'a--b' is not a valid GitHub login: it has two hyphens in a row ({LOGIN_RULE})",
    ]
    assert outcome.exit_code == 1
