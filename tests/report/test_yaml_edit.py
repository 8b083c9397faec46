"""Removing entries of seats.users from YAML text: the rest of the text is untouched."""

from __future__ import annotations

import pytest

from reconciler.report.yaml_edit import YamlEditError, remove_users

HEAD = "version: 1\norg: o\nseats:\n"


def test_a_block_entry_goes_with_its_continuation_lines_only() -> None:
    text = HEAD + (
        "  users:\n"
        "    - ana\n"
        "    - login: ben   # ben\n"
        "      # a comment inside ben's entry\n"
        "      reason: x\n"
        "    # about cid\n"
        "    - cid\n"
        "  keep: [ana]\n"
    )
    out, removed = remove_users(text, ["BEN"], file="f.yaml")
    assert removed == ["ben"]
    assert out == HEAD + "  users:\n    - ana\n    # about cid\n    - cid\n  keep: [ana]\n"


def test_an_entry_whose_mapping_starts_below_its_dash() -> None:
    text = HEAD + "  users:\n    -\n      login: ana\n      reason: y\n    - ben\n"
    out, _ = remove_users(text, ["ana"], file="f.yaml")
    assert out == HEAD + "  users:\n    - ben\n"


def test_the_last_entry_leaves_an_empty_flow_list_not_null() -> None:
    text = HEAD + "  users:   # everyone\n    - ana\n  # after\n  teams: [t]\n"
    out, _ = remove_users(text, ["ana"], file="f.yaml")
    assert out == HEAD + "  users: []   # everyone\n  # after\n  teams: [t]\n"


def test_line_endings_and_unrelated_quoting_stay() -> None:
    text = (HEAD + "  users:\n    - 'ana'\n    - \"ben\"\n    - cid\n").replace("\n", "\r\n")
    out, removed = remove_users(text, ["cid", "nobody"], file="f.yaml")
    assert removed == ["cid"]
    assert out == (HEAD + "  users:\n    - 'ana'\n    - \"ben\"\n").replace("\n", "\r\n")


def test_a_one_line_flow_list_is_rewritten_in_place() -> None:
    text = HEAD + "  users: [ana, ben, cid]   # three\n"
    out, _ = remove_users(text, ["ben"], file="f.yaml")
    assert out == HEAD + "  users: [ana, cid]   # three\n"


@pytest.mark.parametrize(
    "users",
    ["  users: ['ana', ben]\n", "  users: [ana,\n    ben]\n", "  users: [{login: ana}, ben]\n"],
)
def test_flow_lists_it_cannot_edit_exactly_are_refused(users: str) -> None:
    with pytest.raises(YamlEditError, match="write it as a block list"):
        remove_users(HEAD + users, ["ben"], file="f.yaml")


def test_a_file_without_the_users_is_returned_as_it_is() -> None:
    text = HEAD + "  teams: [t]\n"
    assert remove_users(text, ["ana"], file="f.yaml") == (text, [])
    assert remove_users("version: 1\norg: o\n", ["ana"], file="f.yaml") == (
        "version: 1\norg: o\n",
        [],
    )
