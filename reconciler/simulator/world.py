"""The simulator's state: organizations, their members, teams, grants and seats, and a clock.

A member holds an active seat while at least one *grant* exists: a direct selection
(``selected_users``) or membership of a selected team. When the last grant goes the seat is
not deleted: it becomes pending cancellation until the first day of the next billing cycle
(calendar months in UTC), and disappears when the clock reaches that day.

Every mapping keyed by a name uses the lower-cased name (GitHub compares names caselessly)
and keeps the canonical spelling in the value. Nothing here locks: the Simulator serializes
access with one lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

SETTING_VALUES: dict[str, tuple[str, ...]] = {
    "seat_management_setting": ("assign_all", "assign_selected", "disabled", "unconfigured"),
    "public_code_suggestions": ("allow", "block", "unconfigured"),
    "ide_chat": ("enabled", "disabled", "unconfigured"),
    "platform_chat": ("enabled", "disabled", "unconfigured"),
    "cli": ("enabled", "disabled", "unconfigured"),
    "plan_type": ("business", "enterprise"),
}

#: Settings of an org whose world entry names none: a working Copilot Business setup.
DEFAULT_SETTINGS: dict[str, str] = {
    "seat_management_setting": "assign_selected",
    "public_code_suggestions": "block",
    "ide_chat": "enabled",
    "platform_chat": "enabled",
    "cli": "enabled",
    "plan_type": "business",
}


def key(name: str) -> str:
    """The comparison key of a login, team slug, org or enterprise name."""
    return name.lower()


def cycle_start(day: date) -> date:
    """The first day of the billing cycle (a calendar month in UTC) that contains ``day``."""
    return day.replace(day=1)


def next_cycle_start(day: date) -> date:
    """The first day of the billing cycle after the one that contains ``day``."""
    if day.month == 12:
        return date(day.year + 1, 1, 1)
    return date(day.year, day.month + 1, 1)


class Clock:
    """The simulator's notion of now: fixed when the world says so, else the wall clock
    shifted by however far the clock was advanced."""

    def __init__(self, fixed: datetime | None = None) -> None:
        self.fixed = fixed
        self.offset = timedelta()

    def now(self) -> datetime:
        if self.fixed is not None:
            return self.fixed
        return datetime.now(UTC) + self.offset

    def set(self, now: datetime) -> None:
        self.fixed = now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)

    def advance(self, delta: timedelta) -> None:
        if self.fixed is not None:
            self.fixed += delta
        else:
            self.offset += delta


@dataclass(slots=True)
class Seat:
    """One seat record, active or pending cancellation."""

    login: str
    created_at: datetime
    updated_at: datetime
    pending_cancellation_date: date | None = None
    last_activity_at: datetime | None = None
    last_activity_editor: str | None = None
    last_authenticated_at: datetime | None = None
    plan_type: str | None = None


@dataclass
class Team:
    """A team of an org; ``members`` maps key(login) to the canonical login."""

    slug: str
    name: str
    members: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    privacy: str = "closed"


@dataclass
class Org:
    """One organization and its Copilot subscription."""

    name: str
    owners: dict[str, str] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    selected_teams: set[str] = field(default_factory=set)
    selected_users: dict[str, str] = field(default_factory=dict)
    seats: dict[str, Seat] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SETTINGS))
    content_exclusion: dict[str, list[str]] = field(default_factory=dict)
    invitations: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    # key(login) -> keys of the teams the user belongs to; kept in step with Team.members.
    user_teams: dict[str, set[str]] = field(default_factory=dict)
    _order: list[str] | None = None
    _min_pending: date | None = None

    # ------------------------------------------------------------------ teams and members

    def add_member(self, login: str) -> str:
        """Make ``login`` an org member (idempotent); returns its canonical spelling."""
        return self.members.setdefault(key(login), login)

    def add_team_member(self, team: Team, login: str) -> None:
        canonical = self.add_member(login)
        team.members[key(login)] = canonical
        self.user_teams.setdefault(key(login), set()).add(key(team.slug))

    def remove_team_member(self, team: Team, login: str) -> None:
        team.members.pop(key(login), None)
        teams = self.user_teams.get(key(login))
        if teams is not None:
            teams.discard(key(team.slug))
            if not teams:
                del self.user_teams[key(login)]

    # ------------------------------------------------------------------ grants and seats

    def granted(self, user: str) -> bool:
        """Whether the user (a key) holds at least one grant."""
        if user in self.selected_users:
            return True
        return any(t in self.selected_teams for t in self.user_teams.get(user, ()))

    def assigning_team(self, user: str) -> Team | None:
        """The selected team shown as the seat's origin: the first slug alphabetically."""
        teams = [t for t in self.user_teams.get(user, ()) if t in self.selected_teams]
        return self.teams[min(teams)] if teams else None

    def refresh(self, users: set[str] | list[str], now: datetime) -> tuple[int, int]:
        """Bring the seats of ``users`` (keys) in line with their grants.

        Returns (seats that became active, seats that became pending) by this refresh.
        """
        created = cancelled = 0
        for user in users:
            seat = self.seats.get(user)
            if self.granted(user):
                if seat is None:
                    self.seats[user] = Seat(self.members.get(user, user), now, now)
                    self._order = None
                    created += 1
                elif seat.pending_cancellation_date is not None:
                    # A grant on a pending seat reactivates it; created_at is "when the
                    # assignee was last granted access".
                    seat.pending_cancellation_date = None
                    seat.created_at = seat.updated_at = now
                    created += 1
            elif seat is not None and seat.pending_cancellation_date is None:
                seat.pending_cancellation_date = next_cycle_start(now.date())
                seat.updated_at = now
                self.note_pending(seat.pending_cancellation_date)
                cancelled += 1
        return created, cancelled

    def note_pending(self, day: date) -> None:
        if self._min_pending is None or day < self._min_pending:
            self._min_pending = day

    def roll(self, today: date) -> int:
        """Remove the pending seats whose cancellation date has come; returns how many."""
        if self._min_pending is None or today < self._min_pending:
            return 0
        gone = [
            user
            for user, seat in self.seats.items()
            if seat.pending_cancellation_date is not None
            and seat.pending_cancellation_date <= today
        ]
        for user in gone:
            del self.seats[user]
        pending = [
            s.pending_cancellation_date
            for s in self.seats.values()
            if s.pending_cancellation_date is not None
        ]
        self._min_pending = min(pending) if pending else None
        if gone:
            self._order = None
        return len(gone)

    def seat_order(self) -> list[str]:
        """Seat keys in the canonical list order (by login), cached until seats change."""
        if self._order is None:
            self._order = sorted(self.seats)
        return self._order

    def breakdown(self, now: datetime) -> dict[str, int]:
        """The billing ``seat_breakdown``, computed from the seats."""
        start = datetime.combine(cycle_start(now.date()), datetime.min.time(), UTC)
        total = pending = added = active = 0
        for seat in self.seats.values():
            total += 1
            if seat.pending_cancellation_date is not None:
                pending += 1
            if seat.created_at >= start:
                added += 1
            if seat.last_activity_at is not None and seat.last_activity_at >= start:
                active += 1
        return {
            "total": total,
            "added_this_cycle": added,
            "pending_invitation": 0,
            "pending_cancellation": pending,
            "active_this_cycle": active,
            "inactive_this_cycle": total - active,
        }


@dataclass(frozen=True)
class Token:
    """A personal access token of the world file, or an installation token minted by an app."""

    login: str
    scopes: frozenset[str]
    expires_at: datetime | None = None
    installation_org: str | None = None  # key of the org an installation token acts on


@dataclass
class Enterprise:
    """An enterprise: a slug, its orgs (keys) and optionally its owners (keys -> logins)."""

    slug: str
    orgs: list[str] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)


@dataclass
class App:
    """A GitHub App: its public key (PEM) and installations (id -> org key)."""

    app_id: str
    public_key: str
    installations: dict[str, str] = field(default_factory=dict)
    slug: str | None = None


@dataclass
class World:
    """Everything the simulator serves."""

    clock: Clock = field(default_factory=Clock)
    tokens: dict[str, Token] = field(default_factory=dict)
    orgs: dict[str, Org] = field(default_factory=dict)
    enterprises: dict[str, Enterprise] = field(default_factory=dict)
    apps: dict[str, App] = field(default_factory=dict)
    seed: int = 0
    #: Bumped on every change of state; persistence compares it with the loaded version.
    version: int = 0

    def roll(self) -> int:
        """Let every org's billing cycle catch up with the clock."""
        today = self.clock.now().date()
        gone = sum(org.roll(today) for org in self.orgs.values())
        if gone:
            self.version += 1
        return gone

    def owns(self, login: str, org: Org) -> bool:
        return key(login) in org.owners

    def enterprise_owners(self, ent: Enterprise) -> set[str]:
        """The keys of the enterprise's owners: as listed, else the owners of its orgs."""
        if ent.owners:
            return set(ent.owners)
        owners: set[str] = set()
        for org_key in ent.orgs:
            org = self.orgs.get(org_key)
            if org is not None:
                owners |= set(org.owners)
        return owners
