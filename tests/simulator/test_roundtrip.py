"""Updating a YAML world file in place (issue 10, point 6): comments, order and spelling of
what did not change are kept."""

from __future__ import annotations

from reconciler.simulator.roundtrip import update_yaml

OLD = """\
# top comment
now: 2026-11-24T12:00:00Z   # unquoted: a YAML timestamp
orgs:
  o:
    selected_teams: [b, a]  # the file's order
    selected_users:
      - carol   # stays
      - mallory # goes
    seats:
      bob: {pending_cancellation_date: 2026-12-01, created_at: "2025-01-01T00:00:00Z"}
    privacy_note: gone
"""


def test_unchanged_values_keep_their_spelling_and_changed_ones_are_updated() -> None:
    new = {
        "now": "2026-11-24T12:00:00Z",
        "orgs": {
            "o": {
                "selected_teams": ["a", "b"],
                "selected_users": ["carol", "dave"],
                "seats": {
                    "bob": {"created_at": "2025-01-01T00:00:00Z"},
                    "dave": {"created_at": "2026-11-24T12:00:00Z"},
                },
            }
        },
    }

    text = update_yaml(OLD, new)

    assert text == (
        "# top comment\n"
        "now: 2026-11-24T12:00:00Z   # unquoted: a YAML timestamp\n"
        "orgs:\n"
        "  o:\n"
        "    selected_teams: [b, a]  # the file's order\n"
        "    selected_users:\n"
        "    - carol     # stays\n"  # ruamel keeps the comment's column, indents its own way
        "    - dave\n"
        "    seats:\n"
        '      bob: {created_at: "2025-01-01T00:00:00Z"}\n'
        "      dave:\n"
        "        created_at: '2026-11-24T12:00:00Z'\n"
    )


def test_a_file_that_does_not_round_trip_is_left_to_a_fresh_dump() -> None:
    assert update_yaml("- just\n- a list\n", {"now": "x"}) is None
    assert update_yaml("a: [unclosed\n", {"now": "x"}) is None
