"""Bad-input cases for seats, content exclusion, safety, and conflicts across files (run by
test_bad_input.py)."""

# The expected lines are kept whole, as the user sees them, so some pass the line length.
# ruff: noqa: E501

from __future__ import annotations

from tests.config.badcases import (
    EXPECTED_USER,
    HEAD,
    LOGIN_RULE,
    PATTERN_HINT,
    SLUG_RULE,
    USER_FORMS,
    one,
    two,
)

CASES = [
    # ------------------------------------------------------------------ seats
    one(
        "seats without a value",
        HEAD + "seats:\n",
        "bad.yaml:3:7: seats: expected a mapping, got an empty value (give it a value, or remove the key)",
    ),
    one(
        "unknown key in seats",
        HEAD + "seats:\n  user: [alice]\n",
        "bad.yaml:4:3: seats: unknown key 'user' (did you mean 'users'? allowed: mode, teams, users, keep, exempt)",
    ),
    one(
        "mode misspelt",
        HEAD + "seats:\n  mode: Exact\n",
        "bad.yaml:4:9: seats.mode: 'Exact' is not allowed (did you mean 'exact'? allowed: exact, additive)",
    ),
    one(
        "teams not a list",
        HEAD + "seats:\n  teams: platform\n",
        "bad.yaml:4:10: seats.teams: expected a list, got the text 'platform' (write a list, such as [platform])",
    ),
    one(
        "team slug with a space",
        HEAD + "seats:\n  teams: [data science]\n",
        f"bad.yaml:4:11: seats.teams[0]: 'data science' is not a valid team slug: a space is not allowed ({SLUG_RULE})",
    ),
    one(
        "team slug with a leading hyphen",
        HEAD + "seats:\n  teams: [-ops]\n",
        f"bad.yaml:4:11: seats.teams[0]: '-ops' is not a valid team slug: it starts with a hyphen ({SLUG_RULE})",
    ),
    one(
        "login with two underscores",
        HEAD + "seats:\n  users:\n    - alice_acme_x\n",
        f"bad.yaml:5:7: seats.users[0]: 'alice_acme_x' is not a valid GitHub login: it has more than one underscore (only a managed user's _shortcode has one) ({LOGIN_RULE})",
    ),
    one(
        "login ending with an underscore",
        HEAD + "seats:\n  users:\n    - alice_\n",
        f"bad.yaml:5:7: seats.users[0]: 'alice_' is not a valid GitHub login: the _shortcode suffix needs letters or digits on both sides of the underscore ({LOGIN_RULE})",
    ),
    one(
        "login with two hyphens",
        HEAD + "seats:\n  users:\n    - a--b\n",
        f"bad.yaml:5:7: seats.users[0]: 'a--b' is not a valid GitHub login: it has two hyphens in a row ({LOGIN_RULE})",
    ),
    one(
        "login ending with a hyphen",
        HEAD + "seats:\n  users:\n    - bob-\n",
        f"bad.yaml:5:7: seats.users[0]: 'bob-' is not a valid GitHub login: it ends with a hyphen ({LOGIN_RULE})",
    ),
    one(
        "login too long",
        HEAD + "seats:\n  users:\n    - " + "x" * 40 + "\n",
        f"bad.yaml:5:7: seats.users[0]: '{'x' * 40}' is not a valid GitHub login: it is 40 characters long, at most 39 are allowed ({LOGIN_RULE})",
    ),
    one(
        "login with a non-ASCII letter",
        HEAD + "seats:\n  users:\n    - zoë\n",
        f"bad.yaml:5:7: seats.users[0]: 'zoë' is not a valid GitHub login: 'ë' is not allowed ({LOGIN_RULE})",
    ),
    one(
        "login read as a number",
        HEAD + "seats:\n  users:\n    - 1234\n",
        f'bad.yaml:5:7: seats.users[0]: {EXPECTED_USER}, got the number 1234 (quote it: "1234")',
    ),
    one(
        "login read as a boolean",
        HEAD + "seats:\n  users:\n    - yes\n",
        f'bad.yaml:5:7: seats.users[0]: {EXPECTED_USER}, got the boolean yes (quote it: "yes")',
    ),
    one(
        "user entry is a list",
        HEAD + "seats:\n  users:\n    - [alice]\n",
        f"bad.yaml:5:7: seats.users[0]: {EXPECTED_USER}, got a list ({USER_FORMS})",
    ),
    one(
        "user mapping without login",
        HEAD + "seats:\n  users:\n    - expires: 2027-03-31\n",
        "bad.yaml:5:7: seats.users[0]: missing required key 'login' (add `login: NAME`)",
    ),
    one(
        "user mapping with an unknown key",
        HEAD + "seats:\n  users:\n    - login: carol\n      until: 2027-03-31\n",
        "bad.yaml:6:7: seats.users[0]: unknown key 'until' (allowed: login, expires, reason)",
    ),
    one(
        "user mapping with a bad login",
        HEAD + "seats:\n  users:\n    - login: -carol\n",
        f"bad.yaml:5:14: seats.users[0].login: '-carol' is not a valid GitHub login: it starts with a hyphen ({LOGIN_RULE})",
    ),
    one(
        "expires is not a real date",
        HEAD
        + "seats:\n  users:\n    - alice\n    - bob\n    - login: carol\n      expires: 2026-02-30\n",
        "bad.yaml:8:16: seats.users[2].expires: '2026-02-30' is not a real date (use YYYY-MM-DD)",
    ),
    # Valid plain names before the bad entry: it is reported at its own index, not at its
    # place among the entries that needed a full check.
    one(
        "bad login after valid ones",
        HEAD + "seats:\n  users:\n    - alice\n    - bob\n    - a--b\n",
        f"bad.yaml:7:7: seats.users[2]: 'a--b' is not a valid GitHub login: it has two hyphens in a row ({LOGIN_RULE})",
    ),
    one(
        "user mapping with an unknown key after valid logins",
        HEAD + "seats:\n  users:\n    - alice\n    - login: carol\n      until: 2027-03-31\n",
        "bad.yaml:7:7: seats.users[1]: unknown key 'until' (allowed: login, expires, reason)",
    ),
    one(
        "bad keep entry after a valid one",
        HEAD + "seats:\n  keep: [octo-admin, -ops]\n",
        f"bad.yaml:4:22: seats.keep[1]: '-ops' is not a valid GitHub login: it starts with a hyphen ({LOGIN_RULE})",
    ),
    one(
        "bad team slug after valid ones",
        HEAD + "seats:\n  teams: [eng, ops, data science]\n",
        f"bad.yaml:4:21: seats.teams[2]: 'data science' is not a valid team slug: a space is not allowed ({SLUG_RULE})",
    ),
    one(
        "expires on the 29th of February of a common year",
        HEAD + "seats:\n  users:\n    - login: carol\n      expires: 2027-02-29\n",
        "bad.yaml:6:16: seats.users[0].expires: '2027-02-29' is not a real date (use YYYY-MM-DD)",
    ),
    one(
        "expires in another form",
        HEAD + "seats:\n  users:\n    - login: carol\n      expires: 31.03.2027\n",
        "bad.yaml:6:16: seats.users[0].expires: '31.03.2027' is not a date in the form YYYY-MM-DD (use YYYY-MM-DD)",
    ),
    one(
        "expires with a time",
        HEAD + "seats:\n  users:\n    - login: carol\n      expires: 2027-03-31T12:00:00Z\n",
        "bad.yaml:6:16: seats.users[0].expires: '2027-03-31T12:00:00Z' is not a date in the form YYYY-MM-DD (use YYYY-MM-DD)",
    ),
    one(
        "expires as a number",
        HEAD + "seats:\n  users:\n    - login: carol\n      expires: 20270331\n",
        'bad.yaml:6:16: seats.users[0].expires: expected a date (YYYY-MM-DD), got the number 20270331 (quote it: "20270331")',
    ),
    one(
        "empty reason",
        HEAD + "seats:\n  users:\n    - login: carol\n      reason: ''\n",
        "bad.yaml:6:15: seats.users[0].reason: must not be empty (write something, or remove the key)",
    ),
    one(
        "keep entry with a space",
        HEAD + "seats:\n  keep: [break glass]\n",
        f"bad.yaml:4:10: seats.keep[0]: 'break glass' is not a valid GitHub login: a space is not allowed ({LOGIN_RULE})",
    ),
    one(
        "login declared twice, case differs",
        HEAD + "seats:\n  users:\n    - alice\n    - bob\n    - Alice\n",
        "bad.yaml:7:7: seats.users[2]: login 'Alice' is declared twice (first at line 5) (declare each login once; logins compare case-insensitively)",
    ),
    one(
        "keep login declared twice",
        HEAD + "seats:\n  keep: [root, ROOT]\n",
        "bad.yaml:4:16: seats.keep[1]: login 'ROOT' is declared twice (first at line 4, column 10) (declare each login once; logins compare case-insensitively)",
    ),
    one(
        "user both in users and keep",
        HEAD + "seats:\n  users: [alice]\n  keep: [alice]\n",
        "bad.yaml:5:10: seats.keep[0]: 'alice' is also in seats.users at line 4 (list a login in users or in keep, not both)",
    ),
    one(
        "team declared twice, case differs",
        HEAD + "seats:\n  teams:\n    - platform\n    - Platform\n",
        "bad.yaml:6:7: seats.teams[1]: team 'Platform' is declared twice (first at line 5) (declare each team once; slugs compare case-insensitively)",
    ),
    # ------------------------------------------------------------------ content exclusion
    one(
        "repository key with a space",
        HEAD + "content_exclusion:\n  my repo: [/x]\n",
        "bad.yaml:4:3: content_exclusion: 'my repo' is not a valid repository key (use \"*\" for every repository, a repository name, or a git URL such as https://github.com/octo-org/*)",
    ),
    one(
        "patterns not a list",
        HEAD + "content_exclusion:\n  octo-repo: /secrets/**\n",
        "bad.yaml:4:14: content_exclusion.octo-repo: expected a list, got the text '/secrets/**' (write a list, such as [/secrets/**])",
    ),
    one(
        "empty pattern",
        HEAD + 'content_exclusion:\n  "*": ["**/.env", ""]\n',
        f"bad.yaml:4:20: content_exclusion[\"*\"][1]: path pattern '' is not valid: it is empty ({PATTERN_HINT})",
    ),
    one(
        "pattern with a control character",
        HEAD + 'content_exclusion:\n  octo-repo: ["/a\\x01b"]\n',
        f"bad.yaml:4:15: content_exclusion.octo-repo[0]: path pattern '/a\\x01b' is not valid: it contains the control character U+0001, which no path can hold ({PATTERN_HINT})",
    ),
    one(
        "pattern with a NUL",
        HEAD + 'content_exclusion:\n  octo-repo: ["/a\\0"]\n',
        f"bad.yaml:4:15: content_exclusion.octo-repo[0]: path pattern '/a\\x00' is not valid: it contains the control character U+0000, which no path can hold ({PATTERN_HINT})",
    ),
    one(
        "pattern that is a number",
        HEAD + "content_exclusion:\n  octo-repo: [42]\n",
        'bad.yaml:4:15: content_exclusion.octo-repo[0]: expected a path pattern, got the number 42 (quote it: "42")',
    ),
    one(
        "repository key twice, case differs",
        HEAD + "content_exclusion:\n  octo-repo: [/a]\n  Octo-Repo: [/b]\n",
        "bad.yaml:5:3: content_exclusion: repository key 'Octo-Repo' is declared twice (first at line 4) (merge the patterns under one key; keys compare case-insensitively)",
    ),
    # ------------------------------------------------------------------ safety
    one(
        "unknown key in safety",
        HEAD + "safety:\n  max_cancelations: 5\n",
        "bad.yaml:4:3: safety: unknown key 'max_cancelations' (did you mean 'max_cancellations'? allowed: max_cancellations)",
    ),
    one(
        "negative max_cancellations",
        HEAD + "safety:\n  max_cancellations: -5\n",
        "bad.yaml:4:22: safety.max_cancellations: -5 is negative (use 0 or a positive number)",
    ),
    one(
        "percentage with a space",
        HEAD + 'safety:\n  max_cancellations: "10 %"\n',
        "bad.yaml:4:22: safety.max_cancellations: '10 %' is not a percentage from 0% to 100% (write a percentage from 0% to 100%, such as \"10%\")",
    ),
    one(
        "percentage over 100",
        HEAD + 'safety:\n  max_cancellations: "150%"\n',
        "bad.yaml:4:22: safety.max_cancellations: '150%' is not a percentage from 0% to 100% (write a percentage from 0% to 100%, such as \"10%\")",
    ),
    one(
        "max_cancellations as a boolean",
        HEAD + "safety:\n  max_cancellations: true\n",
        'bad.yaml:4:22: safety.max_cancellations: expected a number of seats or a percentage such as "10%", got the boolean true (write a number of seats, or a percentage such as "10%")',
    ),
    # ------------------------------------------------------------------ across files
    two(
        "login in two files",
        HEAD + "seats:\n  users: [alice]\n",
        HEAD + "seats:\n  users: [bob, ALICE]\n",
        "cfg/b.yaml:4:16: seats.users[1]: login 'ALICE' is declared twice (first at cfg/a.yaml:4:11) (declare each login once; logins compare case-insensitively)",
    ),
    two(
        "login in users of one file and keep of another",
        HEAD + "seats:\n  keep: [alice]\n",
        HEAD + "seats:\n  users: [alice]\n",
        "cfg/b.yaml:4:11: seats.users[0]: 'alice' is also in seats.keep at cfg/a.yaml:4:10 (list a login in users or in keep, not both)",
    ),
    two(
        "team in two files",
        HEAD + "seats:\n  teams: [platform]\n",
        HEAD + "seats:\n  teams: [PLATFORM]\n",
        "cfg/b.yaml:4:11: seats.teams[0]: team 'PLATFORM' is declared twice (first at cfg/a.yaml:4:11) (declare each team once; slugs compare case-insensitively)",
    ),
    two(
        "settings disagree",
        HEAD + "settings:\n  ide_chat: enabled\n",
        HEAD + "settings:\n  ide_chat: disabled\n",
        "cfg/b.yaml:4:13: settings.ide_chat: 'disabled' disagrees with 'enabled' at cfg/a.yaml:4:13 (assert each setting once, or make the files agree)",
    ),
    two(
        "modes disagree",
        HEAD + "seats:\n  mode: exact\n",
        HEAD + "seats:\n  mode: additive\n",
        "cfg/b.yaml:4:9: seats.mode: 'additive' disagrees with 'exact' at cfg/a.yaml:4:9 (state the mode in one file only, or make the files agree)",
    ),
    two(
        "repository key in two files",
        HEAD + "content_exclusion:\n  octo-repo: [/a]\n",
        HEAD + "content_exclusion:\n  OCTO-REPO: [/b]\n",
        "cfg/b.yaml:4:3: content_exclusion: repository key 'OCTO-REPO' is declared twice (first at cfg/a.yaml:4:3) (merge the patterns under one key; keys compare case-insensitively)",
    ),
    two(
        "safety disagrees",
        HEAD + "safety:\n  max_cancellations: 5\n",
        HEAD + 'safety:\n  max_cancellations: "5%"\n',
        "cfg/b.yaml:4:22: safety.max_cancellations: '5%' disagrees with 5 at cfg/a.yaml:4:22 (set safety in one file only, or make the files agree)",
    ),
]
