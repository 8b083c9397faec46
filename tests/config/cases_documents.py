"""Bad-input cases for files, syntax, top-level keys and settings (run by test_bad_input.py)."""

# The expected lines are kept whole, as the user sees them, so some pass the line length.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.config.badcases import (
    HEAD,
    POLICIES,
    TOP_KEYS,
    one,
)

CASES = [
    # ------------------------------------------------------------------ the file itself
    one(
        "empty file",
        "",
        "bad.yaml:1:1: file is empty (write at least `version: 1` and `org: NAME`, or delete the file)",
    ),
    one(
        "only comments",
        "# nothing yet\n\n",
        "bad.yaml:1:1: file is empty (write at least `version: 1` and `org: NAME`, or delete the file)",
    ),
    one(
        "several documents",
        HEAD + "---\nversion: 1\norg: other\n",
        "bad.yaml:3:1: the file holds several YAML documents (keep one document per file: move the others into files of their own)",
    ),
    one(
        "top level is a list",
        "- version: 1\n",
        "bad.yaml:1:1: the file must hold a mapping (version, org, ...), not a list (start the file with `version: 1` and `org: NAME`)",
    ),
    one(
        "top level is a scalar",
        "just some text\n",
        "bad.yaml:1:1: the file must hold a mapping (version, org, ...), not a single value (start the file with `version: 1` and `org: NAME`)",
    ),
    one(
        "tab indentation",
        HEAD + "seats:\n\tusers: [alice]\n",
        "bad.yaml:4:1: a tab character where YAML expects indentation or a value (indent with spaces, not tabs)",
    ),
    one(
        "unclosed flow sequence",
        HEAD + "seats:\n  users: [alice, bob\n  keep: [carol]\n",
        "bad.yaml:5:7: invalid YAML: expected ',' or ']', but got ':' (while parsing a flow sequence at line 4, column 10) (fix the YAML syntax)",
    ),
    one(
        "unclosed quote",
        HEAD + "seats:\n  users: ['alice]\n",
        "bad.yaml:5:1: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 4, column 11) (fix the YAML syntax)",
    ),
    one(
        "bad indentation",
        HEAD + "seats:\n  users: [alice]\n keep: [bob]\n",
        "bad.yaml:5:2: invalid YAML: expected <block end>, but found '<block mapping start>' (while parsing a block mapping at line 1, column 1) (fix the YAML syntax)",
    ),
    one(
        "undefined alias",
        HEAD + "seats:\n  users: *everyone\n",
        "bad.yaml:4:10: invalid YAML: found undefined alias 'everyone' (fix the YAML syntax)",
    ),
    one(
        "control character",
        HEAD + "seats:\n  users: [al\x07ice]\n",
        "bad.yaml:4:13: character U+0007 is not allowed in YAML (remove it, or write it as an escape inside a double-quoted string)",
    ),
    one(
        "not UTF-8",
        (HEAD + "seats:\n  users: [caf\xe9]\n").encode("latin-1"),
        "bad.yaml:4:14: not valid UTF-8: byte 0xe9 cannot be decoded (save the file as UTF-8)",
    ),
    one(
        "binary file",
        b"\x7fELF\x02\x01\x01\x00\x00\x00",
        "bad.yaml:1:8: not a text file (it contains a NUL byte) (name YAML files or directories only)",
    ),
    one(
        "UTF-16 file",
        "version: 1\n".encode("utf-16"),
        "bad.yaml:1:1: file is UTF-16 text (save it as UTF-8)",
    ),
    one(
        "recursive alias",
        HEAD + "seats:\n  teams: &loop [a, *loop]\n",
        "bad.yaml:4:20: alias *loop refers to a collection that contains it (a recursive structure) (remove the alias)",
    ),
    one(
        "binary tag",
        HEAD + "seats:\n  users: [!!binary YWxpY2U=]\n",
        "bad.yaml:4:11: seats.users[0]: the YAML tag !!binary is not supported (remove the tag)",
    ),
    one(
        "custom tag",
        HEAD + "seats: !vault\n  users: [alice]\n",
        "bad.yaml:3:8: seats: the YAML tag !vault is not supported (remove the tag)",
    ),
    one(
        "key that is a list",
        HEAD + "seats:\n  ? [users]\n  : [alice]\n",
        "bad.yaml:4:5: seats: a key must be a plain name (remove it)",
    ),
    one(
        "duplicate top-level key",
        HEAD + "org: other-org\n",
        "bad.yaml:3:1: org: duplicate key (first at line 2) (YAML keeps only the last one: merge the two or delete one)",
    ),
    one(
        "duplicate nested key",
        HEAD + "seats:\n  users: [alice]\n  keep: [bob]\n  users: [carol]\n",
        "bad.yaml:6:3: seats.users: duplicate key (first at line 4) (YAML keeps only the last one: merge the two or delete one)",
    ),
    # ------------------------------------------------------------------ top level
    one(
        "missing version",
        "org: octo-org\n",
        "bad.yaml:1:1: missing required key 'version' (add `version: 1`)",
    ),
    one(
        "missing org",
        "version: 1\nseats: {}\n",
        "bad.yaml:1:1: missing required key 'org' (add `org: NAME` with the organization's login)",
    ),
    one(
        "version 2",
        "version: 2\norg: octo-org\n",
        "bad.yaml:1:10: version: 2 is not a supported version (write `version: 1`)",
    ),
    one(
        "version as text",
        'version: "1"\norg: octo-org\n',
        "bad.yaml:1:10: version: expected the number 1, got the text '1' (write `version: 1`)",
    ),
    one(
        "org with an underscore",
        "version: 1\norg: octo_org\n",
        "bad.yaml:2:6: org: 'octo_org' is not a valid organization name: '_' is not allowed (an organization name has 1-39 letters, digits or single hyphens, not starting or ending with a hyphen)",
    ),
    one(
        "org too long",
        "version: 1\norg: " + "o" * 40 + "\n",
        "bad.yaml:2:6: org: '"
        + "o" * 40
        + "' is not a valid organization name: it is 40 characters long, at most 39 are allowed (an organization name has 1-39 letters, digits or single hyphens, not starting or ending with a hyphen)",
    ),
    one(
        "org as a number",
        "version: 1\norg: 1234\n",
        'bad.yaml:2:6: org: expected an organization name, got the number 1234 (quote it: "1234")',
    ),
    one(
        "unknown top-level key",
        HEAD + "sets:\n  users: [alice]\n",
        f"bad.yaml:3:1: unknown key 'sets' (did you mean 'seats'? {TOP_KEYS})",
    ),
    one(
        "unknown key without a close match",
        HEAD + "billing: {}\n",
        f"bad.yaml:3:1: unknown key 'billing' ({TOP_KEYS})",
    ),
    # ------------------------------------------------------------------ settings
    one(
        "unknown setting",
        HEAD + "settings:\n  seat_managment_setting: assign_all\n",
        "bad.yaml:4:3: settings: unknown key 'seat_managment_setting' (did you mean 'seat_management_setting'? allowed: seat_management_setting, public_code_suggestions, ide_chat, platform_chat, cli, plan_type)",
    ),
    one(
        "setting value misspelt",
        HEAD + "settings:\n  ide_chat: enable\n",
        f"bad.yaml:4:13: settings.ide_chat: 'enable' is not allowed (did you mean 'enabled'? {POLICIES})",
    ),
    one(
        "setting value read as a boolean",
        HEAD + "settings:\n  cli: off\n",
        f"bad.yaml:4:8: settings.cli: off is not allowed ({POLICIES})",
    ),
    one(
        "setting without a value",
        HEAD + "settings:\n  plan_type:\n",
        "bad.yaml:4:13: settings.plan_type: an empty value is not allowed (allowed: business, enterprise)",
    ),
    one(
        "seat management setting unknown",
        HEAD + "settings:\n  seat_management_setting: everyone\n",
        "bad.yaml:4:28: settings.seat_management_setting: 'everyone' is not allowed (allowed: assign_all, assign_selected, disabled, unconfigured)",
    ),
    one(
        "settings as a list",
        HEAD + "settings: [cli]\n",
        "bad.yaml:3:11: settings: expected a mapping, got a list (see docs/configuration.md)",
    ),
    # ------------------------------------------------------------------ paths
    pytest.param(
        {},
        ("missing.yaml",),
        ["missing.yaml:1:1: no such file or directory (check the path)"],
        id="path that does not exist",
    ),
    pytest.param(
        {"cfg/notes.txt": "hello\n", "cfg/.hidden/org.yaml": HEAD},
        ("cfg",),
        [
            "cfg:1:1: directory holds no *.yaml or *.yml files (add configuration files, or name the files to check)"
        ],
        id="directory without YAML files",
    ),
]
