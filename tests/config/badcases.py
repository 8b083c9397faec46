"""Shared pieces of the bad-input tables: a case is files, the validate arguments and the
exact lines expected on standard error."""

from __future__ import annotations

from typing import Any

import pytest

HEAD = "version: 1\norg: octo-org\n"  # lines 1-2 of most cases: the body starts at line 3
LOGIN_RULE = (
    "a login has 1-39 letters, digits or single hyphens, not starting or ending with a hyphen,"
    " and an optional _shortcode suffix for managed users"
)
SLUG_RULE = (
    "use the slug from the team's URL: letters, digits, underscores and hyphens, such as"
    " data-science"
)
USER_FORMS = "write `- alice`, or `- {login: alice, expires: 2027-03-31, reason: ...}`"
EXPECTED_USER = "expected a login, or a mapping with login, expires and reason"
PATTERN_HINT = "write a pattern such as /secrets/** or **/.env"
POLICIES = "allowed: enabled, disabled, unconfigured"
TOP_KEYS = "allowed: version, org, settings, seats, content_exclusion, safety"


def one(name: str, text: str | bytes, *lines: str) -> Any:
    """A case of one file, bad.yaml."""
    return pytest.param({"bad.yaml": text}, ("bad.yaml",), list(lines), id=name)


def two(name: str, first: str, second: str, *lines: str) -> Any:
    """A case of two files of one org, a.yaml then b.yaml, given as a directory."""
    return pytest.param({"cfg/a.yaml": first, "cfg/b.yaml": second}, ("cfg",), list(lines), id=name)
