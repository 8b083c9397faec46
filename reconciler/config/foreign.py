"""Recognising YAML that is plainly not a desired-state document.

A folder scan meets other YAML: an OpenAPI document under ``schemas/``, a simulator world
kept beside the configuration it rehearses, a CI workflow, a Compose file. Such a document
is skipped (and said so under ``-v``) rather than reported as an invalid configuration, but
only when it is *plainly* foreign: a document with anything that looks like a desired-state
key, misspelt ones included, is checked, so that a broken configuration is never skipped.
"""

from __future__ import annotations

import difflib
from typing import Any

# The top-level keys of a simulator world file (docs/product.md, "Simulator world file").
_WORLD_KEYS = frozenset({"now", "tokens", "orgs", "enterprises"})

# Keys that only a desired-state file has at its top. `version` is left out: Compose files
# and Helm charts have one too; `version: 1`, the format's own, counts (see below).
_OWN_KEYS = ("org", "settings", "seats", "content_exclusion", "safety")

# How close a key must be to one of ours to count as a misspelling of it (`orgs`, `seat`,
# `setting`, `safty`: 0.8 and above; `paths` against `seats` is 0.6).
_NEAR = 0.8


def is_world_file(data: Any) -> bool:
    """Whether parsed YAML is a simulator world file rather than configuration.

    Its top level is a mapping with ``orgs`` and no key but the world file's own; it has no
    ``version`` nor ``org``, so no desired-state file, however misspelt, looks like one.
    """
    return isinstance(data, dict) and "orgs" in data and set(data) <= _WORLD_KEYS


#: The kind of a mapping that is not recognised but has nothing of a desired-state file.
UNRELATED = "a YAML document without any desired-state key"


def foreign_kind(data: Any) -> str | None:
    """Why a document is not a desired-state file, or ``None`` if it may be one.

    A simulator world file (:func:`is_world_file`); else, when no top-level key is (or nearly
    is) one of the format's own and the document does not say ``version: 1``: an OpenAPI
    document, a GitHub Actions workflow, or :data:`UNRELATED`. A document that is not a
    mapping, or an empty one (``{}``, a file being written), is never called foreign: it is
    checked, and fails.
    """
    if not isinstance(data, dict) or not data:
        return None
    if is_world_file(data):
        return "a simulator world file"
    if data.get("version") in (1, "1") or any(_is_own(name) for name in data):
        return None
    if "openapi" in data or "swagger" in data:
        return "an OpenAPI document"
    if "jobs" in data and "on" in data:
        return "a GitHub Actions workflow"
    return UNRELATED


def _is_own(name: Any) -> bool:
    text = str(name).lower()
    return any(difflib.SequenceMatcher(None, text, own).ratio() >= _NEAR for own in _OWN_KEYS)
