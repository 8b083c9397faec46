"""GitHub's naming rules for logins, organizations, team slugs and repository keys.

The schema holds the same rules as patterns (it is the source of truth for the shape); this
module says *why* a name breaks them, so that a message can name the offending character.

- Organization names: 1-39 letters, digits or single hyphens, neither starting nor ending
  with a hyphen (GitHub's sign-up rule).
- Logins: the same, plus the `_shortcode` suffix GitHub gives every Enterprise Managed User
  (`alice_acme`); Copilot Business enterprises often use managed users.
- Team slugs: what GitHub generates from a team name: letters, digits, underscores and
  hyphens, not starting or ending with a hyphen, at most 255 characters. GitHub generates
  lower case, but resolves slugs case-insensitively, so both spellings are accepted.
"""

from __future__ import annotations

import re

MAX_LOGIN = 39
MAX_SLUG = 255

ORG_NAME = re.compile(r"^(?=.{1,39}$)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
LOGIN = re.compile(r"^(?=.{1,39}$)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?:_[A-Za-z0-9]+)?$")
TEAM_SLUG = re.compile(r"^(?=.{1,255}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
PERCENTAGE = re.compile(r"^(?:100(?:\.0+)?|[0-9]{1,2}(?:\.[0-9]+)?)%$")

ORG_RULE = "1-39 letters, digits or single hyphens, not starting or ending with a hyphen"
LOGIN_RULE = (
    "1-39 letters, digits or single hyphens, not starting or ending with a hyphen,"
    " and an optional _shortcode suffix for managed users"
)
SLUG_RULE = (
    "use the slug from the team's URL: letters, digits, underscores and hyphens, such as"
    " data-science"
)
REPOSITORY_KEY_RULE = (
    'use "*" for every repository, a repository name, or a git URL such as'
    " https://github.com/octo-org/*"
)


def is_login(name: str) -> bool:
    """Whether ``name`` is a valid GitHub login (managed users' `_shortcode` included)."""
    return LOGIN.match(name) is not None


def is_org_name(name: str) -> bool:
    """Whether ``name`` is a valid organization name."""
    return ORG_NAME.match(name) is not None


def is_team_slug(name: str) -> bool:
    """Whether ``name`` is a valid team slug."""
    return TEAM_SLUG.match(name) is not None


def login_flaw(name: str, *, managed_suffix: bool = True) -> str:
    """Why ``name`` is not a valid login ("" when it is); with ``managed_suffix=False``, why it
    is not a valid organization name."""
    valid = is_login(name) if managed_suffix else is_org_name(name)
    if valid:
        return ""
    if not name:
        return "it is empty"
    allowed = "-_" if managed_suffix else "-"
    bad = next((ch for ch in name if not (ch.isascii() and (ch.isalnum() or ch in allowed))), None)
    if bad is not None:
        return f"{_show_char(bad)} is not allowed"
    if len(name) > MAX_LOGIN:
        return f"it is {len(name)} characters long, at most {MAX_LOGIN} are allowed"
    if name.count("_") > 1:
        return "it has more than one underscore (only a managed user's _shortcode has one)"
    handle, _, shortcode = name.partition("_")
    if "_" in name and not (handle and shortcode):
        return "the _shortcode suffix needs letters or digits on both sides of the underscore"
    name = handle
    if name.startswith("-"):
        return "it starts with a hyphen"
    if name.endswith("-"):
        return "it ends with a hyphen"
    return "it has two hyphens in a row"


def slug_flaw(name: str) -> str:
    """Why ``name`` is not a valid team slug ("" when it is)."""
    if is_team_slug(name):
        return ""
    if not name:
        return "it is empty"
    bad = next(
        (ch for ch in name if not (ch.isascii() and (ch.isalnum() or ch in "-_"))),
        None,
    )
    if bad is not None:
        return f"{_show_char(bad)} is not allowed"
    if len(name) > MAX_SLUG:
        return f"it is {len(name)} characters long, at most {MAX_SLUG} are allowed"
    return "it starts with a hyphen" if name.startswith("-") else "it ends with a hyphen"


def pattern_flaw(pattern: str) -> str:
    """Why a content-exclusion path pattern cannot match any path ("" when it can).

    ``*``, ``?``, ``[...]`` and ``{a,b}`` are fnmatch syntax and fine; what no path can
    hold is a control character (NUL among them).
    """
    if not pattern:
        return "it is empty"
    bad = next((ch for ch in pattern if ord(ch) < 0x20 or ord(ch) == 0x7F), None)
    if bad is not None:
        return f"it contains the control character U+{ord(bad):04X}, which no path can hold"
    return ""


def _show_char(ch: str) -> str:
    if ch == " ":
        return "a space"
    if ch.isprintable():
        return f"'{ch}'"
    return f"the character U+{ord(ch):04X}"
