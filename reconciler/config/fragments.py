"""One document -> the typed part of an organization it declares (a fragment).

Building is tolerant: a value the schema already rejected is skipped here rather than
reported twice, so that the rest of the file still takes part in the checks across files.
The only check made here is one a schema cannot make: that an ``expires`` date exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import msgspec

from reconciler.config import names
from reconciler.config.document import Document
from reconciler.config.paths import show_path, show_value
from reconciler.errors import Problem
from reconciler.model import (
    SETTING_NAMES,
    DeclaredTeam,
    DeclaredUser,
    ExclusionRule,
    SafetyPolicy,
    SettingAssertion,
    Source,
)
from reconciler.typing import KeyPath

_MODES = ("exact", "additive")


class Declared(msgspec.Struct, frozen=True, gc=False):
    """A login or team slug with the path it was declared at, for messages (one per declared
    login: a msgspec struct, like :class:`~reconciler.model.DeclaredUser`, for its cost)."""

    name: str
    path: KeyPath
    source: Source
    user: DeclaredUser | None = None
    team: DeclaredTeam | None = None


@dataclass
class SeatsFragment:
    """The ``seats`` section of one file."""

    source: Source
    mode: str | None = None
    mode_source: Source | None = None
    users: list[Declared] = field(default_factory=list)
    teams: list[Declared] = field(default_factory=list)
    keep: list[Declared] = field(default_factory=list)
    exempt: list[Declared] = field(default_factory=list)


@dataclass
class Fragment:
    """What one file says about its organization; sections are ``None`` when absent."""

    file: str
    order: int  # the file's place in load order: earlier files are "first"
    org: str
    org_source: Source
    settings: list[SettingAssertion] | None = None
    seats: SeatsFragment | None = None
    content_exclusion: list[ExclusionRule] | None = None
    safety: SafetyPolicy | None = None

    @property
    def org_valid(self) -> bool:
        """Whether ``org`` is a valid name: only then is the fragment merged with others."""
        return names.is_org_name(self.org)


def build_fragment(doc: Document, order: int) -> tuple[Fragment | None, list[Problem]]:
    """The fragment of ``doc`` (``None`` if it is no mapping) and its date problems.

    A fragment whose ``org`` is not a valid name (the schema said why) is still built, so
    that its own duplicates are found; see :attr:`Fragment.org_valid`.
    """
    data = doc.data
    if not isinstance(data, dict):
        return None, []
    problems: list[Problem] = []
    org = data.get("org")
    fragment = Fragment(doc.file, order, org if isinstance(org, str) else "", doc.at(("org",)))
    settings = data.get("settings")
    if isinstance(settings, dict):
        fragment.settings = [
            SettingAssertion(name, settings[name], doc.at(("settings", name)))
            for name in SETTING_NAMES
            if isinstance(settings.get(name), str)
        ]
    seats = data.get("seats")
    if isinstance(seats, dict):
        fragment.seats = _seats(doc, seats, problems)
    exclusion = data.get("content_exclusion")
    if isinstance(exclusion, dict):
        fragment.content_exclusion = [
            ExclusionRule(
                repository,
                tuple(p for p in patterns if isinstance(p, str)),
                doc.key_at(("content_exclusion", repository)),
            )
            for repository, patterns in exclusion.items()
            if isinstance(patterns, list)
        ]
    safety = data.get("safety")
    if isinstance(safety, dict):
        fragment.safety = _safety(doc, safety)
    return fragment, problems


def _seats(doc: Document, seats: dict[str, Any], problems: list[Problem]) -> SeatsFragment:
    out = SeatsFragment(doc.key_at(("seats",)))
    mode = seats.get("mode")
    if mode in _MODES:
        out.mode, out.mode_source = mode, doc.at(("seats", "mode"))
    for index, slug in enumerate(_list(seats.get("teams"))):
        if isinstance(slug, str) and names.is_team_slug(slug):
            path = ("seats", "teams", index)
            team = DeclaredTeam(slug, doc.at(path))
            out.teams.append(Declared(slug, path, team.source, team=team))
    for name, into in (("keep", out.keep), ("exempt", out.exempt)):
        for index, login in enumerate(_list(seats.get(name))):
            if isinstance(login, str) and names.is_login(login):
                path = ("seats", name, index)
                user = DeclaredUser(login, doc.at(path))
                into.append(Declared(login, path, user.source, user=user))
    for index, entry in enumerate(_list(seats.get("users"))):
        path = ("seats", "users", index)
        declared = _user(doc, path, entry, problems)
        if declared is not None:
            out.users.append(Declared(declared.login, path, declared.source, user=declared))
    return out


def _user(doc: Document, path: KeyPath, entry: Any, problems: list[Problem]) -> DeclaredUser | None:
    if isinstance(entry, str):
        return DeclaredUser(entry, doc.at(path)) if names.is_login(entry) else None
    if not isinstance(entry, dict):
        return None
    login = entry.get("login")
    if not isinstance(login, str) or not names.is_login(login):
        return None
    reason = entry.get("reason")
    return DeclaredUser(
        login,
        doc.at((*path, "login")),
        expires=_date(doc, (*path, "expires"), entry.get("expires"), problems),
        reason=reason if isinstance(reason, str) and reason else None,
    )


def _date(doc: Document, path: KeyPath, value: Any, problems: list[Problem]) -> dt.date | None:
    # The schema checked the form YYYY-MM-DD; here, whether the day exists (2026-02-30 not).
    if not isinstance(value, str) or not names.DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(
            Problem(
                doc.at(path),
                f"{show_path(path)}: {show_value(value)} is not a real date",
                "use YYYY-MM-DD",
            )
        )
        return None


def _safety(doc: Document, safety: dict[str, Any]) -> SafetyPolicy | None:
    if "max_cancellations" not in safety:
        return SafetyPolicy(source=doc.key_at(("safety",)))
    value = safety["max_cancellations"]
    path = ("safety", "max_cancellations")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return SafetyPolicy(max_cancellations=value, source=doc.at(path))
    if isinstance(value, str) and names.PERCENTAGE.match(value):
        return SafetyPolicy(max_cancellations_percent=float(value[:-1]), source=doc.at(path))
    return None  # the schema reported it; no value to compare across files


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
