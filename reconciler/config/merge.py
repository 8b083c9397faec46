"""Several fragments of one organization -> one :class:`~reconciler.model.OrgConfig`.

The rules (docs/configuration.md, "Several files"):

- ``teams``, ``users`` and ``keep`` are merged; a login or slug declared twice (within a
  file or across files, compared case-insensitively) is an error, and so is a login in both
  ``users`` and ``keep``. ``exempt`` is merged the same way and may name users of either.
- A ``content_exclusion`` repository key declared twice (case-insensitively) is an error.
- A setting asserted with different values is an error; the same value twice is fine.
- ``seats.mode``: files that omit it take the mode another file states; two stated modes
  must agree; none stated means ``exact``.
- ``safety`` in several files must agree.

Each error sits at the later place and names the earlier one. "Later" is load order: the
files in the order they were found, then line and column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from reconciler.config.fragments import Declared, Fragment
from reconciler.config.paths import show_path, show_value
from reconciler.errors import Problem
from reconciler.model import (
    SETTING_NAMES,
    DeclaredTeam,
    DeclaredUser,
    ExclusionRule,
    OrgConfig,
    SafetyPolicy,
    SeatMode,
    SeatPolicy,
    SettingAssertion,
    Source,
    key,
)

_T = TypeVar("_T")
_Place = Callable[[Source], tuple[int, int, int]]  # a source's position in load order


def merge_fragments(fragments: Sequence[Fragment]) -> tuple[dict[str, OrgConfig], list[Problem]]:
    """Group ``fragments`` (in load order) by organization and merge each group.

    A fragment without a valid org name is merged alone, so that its own duplicates are
    still reported, and left out of the result.
    """
    groups: dict[str, list[Fragment]] = {}
    for fragment in fragments:
        group = key(fragment.org) if fragment.org_valid else f"\0{fragment.file}"
        groups.setdefault(group, []).append(fragment)
    problems: list[Problem] = []
    orgs = {name: _merge_org(group, problems) for name, group in groups.items()}
    return {name: org for name, org in orgs.items() if not name.startswith("\0")}, problems


def _merge_org(group: list[Fragment], problems: list[Problem]) -> OrgConfig:
    order = {fragment.file: fragment.order for fragment in group}

    def place(source: Source) -> tuple[int, int, int]:
        return order[source.file], source.line, source.column

    return OrgConfig(
        org=group[0].org,
        sources=tuple(fragment.org_source for fragment in group),
        settings=_settings(group, problems),
        seats=_seats(group, place, problems),
        content_exclusion=_exclusion(group, place, problems),
        safety=_safety(group, problems),
    )


def _where(source: Source, other: Source) -> str:
    """How a message at ``other`` names ``source``: the line (and column) if in the same file."""
    if source.file != other.file:
        return str(source)
    if source.line != other.line:
        return f"line {source.line}"
    return f"line {source.line}, column {source.column}"


def _settings(
    group: list[Fragment], problems: list[Problem]
) -> tuple[SettingAssertion, ...] | None:
    present = [fragment.settings for fragment in group if fragment.settings is not None]
    if not present:
        return None
    first: dict[str, SettingAssertion] = {}
    for assertions in present:
        for assertion in assertions:
            earlier = first.setdefault(assertion.name, assertion)
            if earlier.value != assertion.value:
                where = _where(earlier.source, assertion.source)
                problems.append(
                    Problem(
                        assertion.source,
                        f"settings.{assertion.name}: {show_value(assertion.value)} disagrees with"
                        f" {show_value(earlier.value)} at {where}",
                        "assert each setting once, or make the files agree",
                    )
                )
    return tuple(first[name] for name in SETTING_NAMES if name in first)


def _seats(group: list[Fragment], place: _Place, problems: list[Problem]) -> SeatPolicy | None:
    present = [fragment.seats for fragment in group if fragment.seats is not None]
    if not present:
        return None
    mode: SeatMode = "exact"
    mode_source: Source | None = None
    for seats in present:
        if seats.mode is None or seats.mode_source is None:
            continue
        if mode_source is None:
            mode = "additive" if seats.mode == "additive" else "exact"
            mode_source = seats.mode_source
        elif seats.mode != mode:
            problems.append(
                Problem(
                    seats.mode_source,
                    f"seats.mode: {show_value(seats.mode)} disagrees with {show_value(mode)}"
                    f" at {_where(mode_source, seats.mode_source)}",
                    "state the mode in one file only, or make the files agree",
                )
            )
    users = [(d, "users") for seats in present for d in seats.users]
    keep = [(d, "keep") for seats in present for d in seats.keep]
    kept_users = _unique_logins(sorted(users + keep, key=lambda p: place(p[0].source)), problems)
    teams = _unique(
        sorted((d for seats in present for d in seats.teams), key=lambda d: place(d.source)),
        lambda d: key(d.name),
        lambda d, first: _twice("team", d, first),
        problems,
    )
    # `exempt` only marks logins for reclaim: it may name a user of `users`, not one twice.
    exempt = _unique(
        sorted((d for seats in present for d in seats.exempt), key=lambda d: place(d.source)),
        lambda d: key(d.name),
        lambda d, first: _twice("login", d, first),
        problems,
    )
    return SeatPolicy(
        mode=mode,
        users=tuple(_user(d) for d, kind in kept_users if kind == "users"),
        teams=tuple(_team(d) for d in teams),
        keep=tuple(_user(d) for d, kind in kept_users if kind == "keep"),
        source=present[0].source,
        exempt=tuple(_user(d) for d in exempt),
    )


def _unique_logins(
    declared: list[tuple[Declared, str]], problems: list[Problem]
) -> list[tuple[Declared, str]]:
    """Drop every login seen before, with a problem saying where it was first."""
    first: dict[str, tuple[Declared, str]] = {}
    out: list[tuple[Declared, str]] = []
    for item in declared:
        d, kind = item
        name = key(d.name)
        earlier = first.get(name)
        if earlier is None:
            first[name] = item
            out.append(item)
        elif earlier[1] == kind:
            problems.append(_twice("login", d, earlier[0]))
        else:
            problems.append(
                Problem(
                    d.source,
                    f"{show_path(d.path)}: {show_value(d.name)} is also in seats.{earlier[1]}"
                    f" at {_where(earlier[0].source, d.source)}",
                    "list a login in users or in keep, not both",
                )
            )
    return out


def _twice(what: str, d: Declared, first: Declared) -> Problem:
    noun = "slugs" if what == "team" else "logins"
    return Problem(
        d.source,
        f"{show_path(d.path)}: {what} {show_value(d.name)} is declared twice"
        f" (first at {_where(first.source, d.source)})",
        f"declare each {what} once; {noun} compare case-insensitively",
    )


def _exclusion(
    group: list[Fragment], place: _Place, problems: list[Problem]
) -> tuple[ExclusionRule, ...] | None:
    present = [f.content_exclusion for f in group if f.content_exclusion is not None]
    if not present:
        return None
    rules = sorted((rule for rules in present for rule in rules), key=lambda r: place(r.source))
    kept = _unique(
        rules,
        lambda r: r.repository.lower(),
        lambda r, first: Problem(
            r.source,
            f"content_exclusion: repository key {show_value(r.repository)} is declared twice"
            f" (first at {_where(first.source, r.source)})",
            "merge the patterns under one key; keys compare case-insensitively",
        ),
        problems,
    )
    return tuple(kept)


def _safety(group: list[Fragment], problems: list[Problem]) -> SafetyPolicy | None:
    present = [fragment.safety for fragment in group if fragment.safety is not None]
    if not present:
        return None
    first = present[0]
    for other in present[1:]:
        if _limit(other) != _limit(first) and other.source and first.source:
            problems.append(
                Problem(
                    other.source,
                    f"safety.max_cancellations: {_limit(other)} disagrees with {_limit(first)}"
                    f" at {_where(first.source, other.source)}",
                    "set safety in one file only, or make the files agree",
                )
            )
    return first


def _limit(policy: SafetyPolicy) -> str:
    if policy.max_cancellations is not None:
        return str(policy.max_cancellations)
    if policy.max_cancellations_percent is not None:
        return f"'{policy.max_cancellations_percent:g}%'"
    return "no limit set"


def _unique(
    items: Iterable[_T],
    identity: Callable[[_T], str],
    complaint: Callable[[_T, _T], Problem],
    problems: list[Problem],
) -> list[_T]:
    first: dict[str, _T] = {}
    out: list[_T] = []
    for item in items:
        name = identity(item)
        if name in first:
            problems.append(complaint(item, first[name]))
        else:
            first[name] = item
            out.append(item)
    return out


def _user(d: Declared) -> DeclaredUser:
    assert d.user is not None  # built by fragments for every login
    return d.user


def _team(d: Declared) -> DeclaredTeam:
    assert d.team is not None  # built by fragments for every slug
    return d.team
