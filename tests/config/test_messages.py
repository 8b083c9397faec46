"""Messages that say what may go where: a value that may be a number or a percentage."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.config.conftest import Outcome

HEAD = "version: 1\norg: octo-org\nsafety:\n  max_cancellations: "


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            '"ten"',
            "expected a number of seats or a percentage such as \"10%\", got the text 'ten'"
            ' (write a number of seats, or a percentage such as "10%")',
        ),
        (
            "ten",
            "expected a number of seats or a percentage such as \"10%\", got the text 'ten'"
            ' (write a number of seats, or a percentage such as "10%")',
        ),
        (
            '"25"',
            "expected a number of seats or a percentage such as \"10%\", got the text '25'"
            " (write it without quotes: 25)",
        ),
        # Meant as a percentage: the percentage's own rule is the story.
        (
            '"120%"',
            "'120%' is not a percentage from 0% to 100%"
            ' (write a percentage from 0% to 100%, such as "10%")',
        ),
    ],
)
def test_max_cancellations_says_a_number_or_a_percentage_is_expected(
    validate_in: Callable[..., Outcome], value: str, message: str
) -> None:
    outcome = validate_in({"org.yaml": HEAD + value + "\n"}, "org.yaml")
    assert outcome.problems == [f"org.yaml:4:22: safety.max_cancellations: {message}"]
