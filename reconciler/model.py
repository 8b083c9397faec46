"""The data the tool reasons about: the desired state (from YAML) and the live state (from the API).

Everything here is frozen (dataclasses, and msgspec structs for the types built once per seat
or declared login) so that the planner can be a pure function of its inputs.
Names compare case-insensitively on GitHub; every mapping keyed by a login, a team slug or an
org name uses the lower-cased name as the key (see :func:`key`) and keeps the canonical
spelling inside the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

import msgspec

SeatMode = Literal["exact", "additive"]

#: The Copilot settings a configuration may assert, in the order they are reported.
SETTING_NAMES: tuple[str, ...] = (
    "seat_management_setting",
    "public_code_suggestions",
    "ide_chat",
    "platform_chat",
    "cli",
    "plan_type",
)


def key(name: str) -> str:
    """The comparison key of a login, team slug or org name: GitHub compares them caselessly."""
    return name.lower()


class Source(msgspec.Struct, frozen=True, order=True, gc=False):
    """A place in a configuration file; line and column are 1-based.

    Like :class:`DeclaredUser` and :class:`LiveSeat`, built once per declared login (64,000
    in a large configuration): a frozen msgspec struct, built in C, is a sixth of a frozen
    dataclass's cost and, holding no containers, stays out of the garbage collector's way.
    """

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


# --------------------------------------------------------------------------- desired state


class DeclaredUser(msgspec.Struct, frozen=True, gc=False):
    """A login declared in `seats.users` or `seats.keep`."""

    login: str
    source: Source
    expires: date | None = None
    reason: str | None = None


@dataclass(frozen=True)
class DeclaredTeam:
    """A team slug declared in `seats.teams`."""

    slug: str
    source: Source


@dataclass(frozen=True)
class SeatPolicy:
    """The merged `seats` section of one org. Present means: this org's seats are managed."""

    mode: SeatMode
    users: tuple[DeclaredUser, ...]
    teams: tuple[DeclaredTeam, ...]
    keep: tuple[DeclaredUser, ...]
    source: Source
    #: Logins `reclaim` never proposes to remove (it affects nothing else).
    exempt: tuple[DeclaredUser, ...] = ()


@dataclass(frozen=True)
class ExclusionRule:
    """One repository key of `content_exclusion` and its path patterns."""

    repository: str
    patterns: tuple[str, ...]
    source: Source


@dataclass(frozen=True)
class SettingAssertion:
    """One asserted Copilot setting (settings are checked, never written)."""

    name: str
    value: str
    source: Source


@dataclass(frozen=True)
class SafetyPolicy:
    """`safety.max_cancellations`: an absolute count or a percentage of the org's seats."""

    max_cancellations: int | None = None
    max_cancellations_percent: float | None = None
    source: Source | None = None


@dataclass(frozen=True)
class OrgConfig:
    """Everything the configuration says about one organization, merged across files.

    A section that is ``None`` is not managed: nothing in it is read or changed.
    """

    org: str
    sources: tuple[Source, ...]
    settings: tuple[SettingAssertion, ...] | None = None
    seats: SeatPolicy | None = None
    content_exclusion: tuple[ExclusionRule, ...] | None = None
    safety: SafetyPolicy | None = None


@dataclass(frozen=True)
class DesiredState:
    """All organizations of a configuration, keyed by :func:`key` of the org name."""

    orgs: Mapping[str, OrgConfig]

    def org(self, name: str) -> OrgConfig | None:
        return self.orgs.get(key(name))


# --------------------------------------------------------------------------- live state


class LiveSeat(msgspec.Struct, frozen=True, gc=False):
    """One row of the seat list as GitHub reports it.

    A frozen msgspec struct rather than a dataclass: a large org has 100,000 of them, built
    in C ten times faster than a frozen dataclass (whose ``__init__`` calls
    ``object.__setattr__`` per field), and untracked by the garbage collector (they hold no
    containers, so no cycle can pass through one).
    """

    login: str
    created_at: datetime
    assigning_team: str | None = None  # team slug; None for a seat granted directly only
    pending_cancellation_date: date | None = None
    last_activity_at: datetime | None = None
    last_activity_editor: str | None = None
    plan_type: str | None = None

    @property
    def active(self) -> bool:
        """A seat pending cancellation is still billed but is on its way out."""
        return self.pending_cancellation_date is None


@dataclass(frozen=True)
class LiveOrg:
    """What the reader found for one organization.

    ``team_members`` holds the members of every team the plan needs (declared teams and teams
    seen in ``assigning_team``). ``non_members`` are declared logins that are not org members
    (checked only for users that would need a new seat). ``content_exclusion`` is ``None`` when
    the section is not managed and so was not read.
    """

    org: str
    settings: Mapping[str, str]
    seat_breakdown: Mapping[str, int]
    seats: Mapping[str, LiveSeat]
    team_members: Mapping[str, frozenset[str]] = field(default_factory=dict)
    team_names: Mapping[str, str] = field(default_factory=dict)  # key(slug) -> canonical slug
    non_members: frozenset[str] = frozenset()
    content_exclusion: Mapping[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class LiveState:
    """The live state of every org of a desired state, keyed by :func:`key` of the org name."""

    orgs: Mapping[str, LiveOrg]
    read_at: datetime

    def org(self, name: str) -> LiveOrg | None:
        return self.orgs.get(key(name))
