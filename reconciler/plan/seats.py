"""Seat planning for one org: which teams and users to select and unselect.

The API lists seats, not grants: it does not say which teams are selected nor which users
hold a direct grant. A seat shows one selected team that grants it (``assigning_team``), and
a seat shown with a team may also hold a hidden direct grant. So the planner reasons about
**effects** (which seats end up active) rather than grants, from what can be observed:

- a team is *known selected* when some active seat shows it;
- a login is *desired* (exact mode) when it is declared and not expired, kept, a member of a
  declared team, or shown with a declared team.

Rules, each chosen so that after apply the next plan is empty:

1. Undeclared active seats (exact mode only) go. A direct-only seat: ``remove_users``. A seat
   shown with a team: ``remove_teams`` for every known-selected undeclared team that grants
   it (never ``remove_users``: GitHub answers 422 when the seat comes only from teams). If the
   holder also has a hidden direct grant the seat survives; the next plan sees it as direct
   and removes it (apply runs that follow-up round). Pending seats are left alone.
2. A declared team that is not known selected is selected when one of its members would be
   without an active seat after step 1. A team whose members all keep a seat is not planned:
   its selection cannot be observed, so planning it would be drift forever.
3. A declared user without an active seat after step 1 (none, pending, or lost with a team)
   gets a direct grant, unless a team of step 2 covers them; a kept user who would lose a
   seat with an unselected team gets one too. Logins that are not org members are warned
   about: GitHub cannot grant them a seat.
4. Additive mode runs steps 2 and 3 only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from reconciler.model import DeclaredUser, LiveOrg, SeatPolicy, key
from reconciler.plan.data import Change

#: Time-boxed users whose seat expires within this many days are warned about.
EXPIRY_WARNING_DAYS = 14


def _sorted(names: Iterable[str]) -> tuple[str, ...]:
    """Canonical names in the order people expect: caseless, then by spelling."""
    return tuple(sorted(names, key=lambda name: (name.lower(), name)))


def _by_name(reasons: dict[str, str]) -> dict[str, str]:
    return {name: reasons[name] for name in _sorted(reasons)}


#: Whether a login's active seat survives the planned unselections without a new grant.
KeepsSeat = Callable[[str], bool]


@dataclass(frozen=True)
class SeatPlan:
    """The seat changes of one org (in apply order) and their effect."""

    changes: tuple[Change, ...]
    warnings: tuple[str, ...]
    new_seats: int = 0
    reactivated_seats: int = 0
    cancelled_seats: int = 0


class _Live:
    """What the live state shows about seats and teams, by comparison key."""

    def __init__(self, live: LiveOrg) -> None:
        self.seats = {key(login): seat for login, seat in live.seats.items()}
        self.read_teams = frozenset(key(slug) for slug in live.team_members)
        self.names = {key(slug): name for slug, name in live.team_names.items()}
        self.non_members = frozenset(key(login) for login in live.non_members)
        self.shown = {
            login: key(seat.assigning_team)
            for login, seat in self.seats.items()
            if seat.active and seat.assigning_team
        }
        for login, seat in self.seats.items():
            if login in self.shown and seat.assigning_team:
                self.names.setdefault(self.shown[login], seat.assigning_team)
        self.known_selected = frozenset(self.shown.values())
        members: dict[str, set[str]] = {
            key(slug): {key(m) for m in logins} for slug, logins in live.team_members.items()
        }
        # A team that grants a seat certainly has its holder as a member, read or not.
        for login, team in self.shown.items():
            members.setdefault(team, set()).add(login)
        self.members = {team: frozenset(logins) for team, logins in members.items()}

    def active(self, login: str) -> bool:
        seat = self.seats.get(login)
        return seat is not None and seat.active

    def pending(self, login: str) -> bool:
        seat = self.seats.get(login)
        return seat is not None and not seat.active

    def team_members(self, team: str) -> frozenset[str]:
        return self.members.get(team, frozenset())

    def login(self, login: str, fallback: str) -> str:
        seat = self.seats.get(login)
        return seat.login if seat is not None else fallback

    def slug(self, team: str) -> str:
        return self.names.get(team, team)


def plan_seats(org: str, policy: SeatPolicy, live_org: LiveOrg, today: date) -> SeatPlan:
    """Plan the seats of ``org`` under ``policy`` (module docstring); pure."""
    return _SeatPlanner(org, policy, _Live(live_org), today).run()


class _SeatPlanner:
    def __init__(self, org: str, policy: SeatPolicy, live: _Live, today: date) -> None:
        self.org, self.live, self.today = org, live, today
        self.exact = policy.mode == "exact"
        self.users: dict[str, DeclaredUser] = {}
        self.expired: dict[str, DeclaredUser] = {}
        for user in policy.users:
            bucket = self.expired if user.expires and user.expires < today else self.users
            bucket[key(user.login)] = user
        self.keep = {key(user.login): user for user in policy.keep}
        self.teams = {key(team.slug): team for team in policy.teams}
        self.team_covered = frozenset(
            login for team in self.teams for login in live.team_members(team)
        )
        self.warnings: list[str] = []

    def desired(self, login: str) -> bool:
        return (
            login in self.users
            or login in self.keep
            or login in self.team_covered
            or self.live.shown.get(login) in self.teams
        )

    def run(self) -> SeatPlan:
        live = self.live
        undesired = (
            sorted(login for login in live.seats if live.active(login) and not self.desired(login))
            if self.exact
            else []
        )
        team_shown = [login for login in undesired if login in live.shown]
        losing = frozenset(team_shown)
        # Every known-selected undeclared team that grants one of them goes, so that the seat
        # loses all the grants we can see in one plan.
        unselect = {live.shown[login] for login in team_shown} | {
            team
            for team in live.known_selected - self.teams.keys()
            if not live.team_members(team).isdisjoint(losing)
        }
        surviving = live.known_selected - unselect

        def keeps_seat(login: str) -> bool:
            """Whether an active seat survives the unselections with no new grant."""
            if not live.active(login):
                return False
            team = live.shown.get(login)
            if team is None or team not in unselect:
                return True  # direct-only (hence a direct grant), or a team that stays
            return any(login in live.team_members(t) for t in surviving)

        add_teams, activated, covered = self._add_teams(keeps_seat)
        add_users, activated_users = self._add_users(keeps_seat, covered)
        changes = [
            *add_teams,
            *add_users,
            *self._remove_teams(sorted(unselect), team_shown, losing),
            *self._remove_users([login for login in undesired if login not in live.shown]),
        ]
        self._expiry_warnings()
        activated |= activated_users
        reactivated = sum(1 for login in activated if live.pending(login))
        return SeatPlan(
            changes=tuple(changes),
            warnings=tuple(self.warnings),
            new_seats=len(activated) - reactivated,
            reactivated_seats=reactivated,
            cancelled_seats=sum(change.seats_cancelled for change in changes),
        )

    # ----------------------------------------------------------------- grants

    def _add_teams(self, keeps_seat: KeepsSeat) -> tuple[list[Change], set[str], frozenset[str]]:
        """The add_teams change, the logins it activates, and the members it covers."""
        live = self.live
        reasons: dict[str, str] = {}
        activated: set[str] = set()
        covered: set[str] = set()
        for team in sorted(self.teams):
            declared = self.teams[team]
            if team not in live.read_teams and team not in live.known_selected:
                self.warnings.append(
                    f"{self.org}: team '{declared.slug}' (declared in {declared.source}) was "
                    "not found in the org: no seat can be granted through it"
                )
                continue
            if team in live.known_selected:
                continue  # selected: every member holds a grant through it
            members = live.team_members(team)
            lacking = [m for m in members if not keeps_seat(m)]
            if not lacking:
                continue
            without = [m for m in lacking if not live.active(m)]
            losing = len(lacking) - len(without)
            parts = [f"declared in {declared.source}"]
            if without:
                parts.append(f"{len(without)} member(s) without an active seat")
            if losing:
                parts.append(f"{losing} member(s) would lose the seat of an unselected team")
            reasons[live.slug(team)] = "; ".join(parts)
            activated.update(without)
            covered.update(members)
        if not reasons:
            return [], activated, frozenset(covered)
        change = Change(
            org=self.org,
            action="add_teams",
            teams=_sorted(reasons),
            reason=(
                f"{len(reasons)} declared team(s) to select: {len(activated)} "
                "member seat(s) to activate"
            ),
            reasons=_by_name(reasons),
            seats_added=len(activated),
        )
        return [change], activated, frozenset(covered)

    def _add_users(
        self, keeps_seat: KeepsSeat, covered: frozenset[str]
    ) -> tuple[list[Change], set[str]]:
        """The add_users change and the logins it activates."""
        live = self.live
        reasons: dict[str, str] = {}
        activated: set[str] = set()
        seen: set[str] = set()
        candidates = [(login, user, "declared") for login, user in sorted(self.users.items())]
        if self.exact:
            candidates += [(login, user, "kept") for login, user in sorted(self.keep.items())]
        for login, user, how in candidates:
            if login in seen or keeps_seat(login) or login in covered:
                continue
            seen.add(login)
            if how == "kept" and not live.active(login):
                continue  # keep protects a seat from cancellation; it does not ask for one
            name = live.login(login, user.login)
            seat = live.seats.get(login)
            where = f"{how} in {user.source}"
            if seat is None and login in live.non_members:
                self.warnings.append(
                    f"{self.org}: {user.login} ({where}) is not a member of the org: "
                    "GitHub cannot grant a seat until they join"
                )
                continue
            if seat is None:
                reasons[name] = where
                activated.add(login)
            elif seat.pending_cancellation_date is not None:
                reasons[name] = (
                    f"{where}; reactivates the seat pending cancellation on "
                    f"{seat.pending_cancellation_date.isoformat()}"
                )
                activated.add(login)
            else:  # active but shown with a team being unselected (keeps_seat said so)
                team = live.slug(live.shown.get(login, ""))
                reasons[name] = f"{where}; keeps the seat when team '{team}' is unselected"
        if not reasons:
            return [], activated
        kept = len(reasons) - len(activated)
        summary = []
        if activated:
            summary.append(f"{len(activated)} declared user(s) without an active seat")
        if kept:
            summary.append(f"{kept} direct grant(s) so that seats survive unselected teams")
        change = Change(
            org=self.org,
            action="add_users",
            users=_sorted(reasons),
            reason="; ".join(summary),
            reasons=_by_name(reasons),
            seats_added=len(activated),
        )
        return [change], activated

    # ----------------------------------------------------------------- cancellations

    def _why_undesired(self, login: str) -> str:
        user = self.expired.get(login)
        if user is not None and user.expires is not None:
            return f"expired {user.expires.isoformat()}, declared in {user.source}"
        return "not declared"

    def _remove_teams(
        self, unselect: list[str], team_shown: list[str], losing: frozenset[str]
    ) -> list[Change]:
        if not unselect:
            return []
        live = self.live
        reasons: dict[str, str] = {}
        for login in team_shown:
            team = live.slug(live.shown[login])
            why = self._why_undesired(login)
            member = f"member of undeclared team '{team}'"
            reasons[live.login(login, login)] = (
                member if why == "not declared" else f"{why}; {member}"
            )
        for team in unselect:
            holders = len(live.team_members(team) & losing)
            text = f"not declared; grants the seat of {holders} undeclared member(s)"
            slug = live.slug(team)
            reasons[slug] = f"{reasons[slug]}; {text}" if slug in reasons else text
        cancelled = _sorted(live.login(login, login) for login in team_shown)
        return [
            Change(
                org=self.org,
                action="remove_teams",
                teams=_sorted(live.slug(team) for team in unselect),
                reason=(
                    f"{len(unselect)} undeclared team(s) to unselect: {len(cancelled)} "
                    "seat(s) to cancel (a member who also holds a direct grant keeps the "
                    "seat until the follow-up round removes it)"
                ),
                reasons=_by_name(reasons),
                seats_cancelled=len(cancelled),
                cancelled_logins=cancelled,
            )
        ]

    def _remove_users(self, direct: Iterable[str]) -> list[Change]:
        reasons = {self.live.login(login, login): self._why_undesired(login) for login in direct}
        if not reasons:
            return []
        return [
            Change(
                org=self.org,
                action="remove_users",
                users=_sorted(reasons),
                reason=f"{len(reasons)} direct seat(s) not declared or expired",
                reasons=_by_name(reasons),
                seats_cancelled=len(reasons),
            )
        ]

    # ----------------------------------------------------------------- warnings

    def _expiry_warnings(self) -> None:
        for _, user in sorted(self.users.items()):
            if user.expires is None:
                continue
            days = (user.expires - self.today).days
            if days <= EXPIRY_WARNING_DAYS:
                when = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
                self.warnings.append(
                    f"{self.org}: the seat of {user.login} expires on "
                    f"{user.expires.isoformat()} ({when}; declared in {user.source})"
                )
        if self.exact:
            return
        for login, user in sorted(self.expired.items()):
            if self.live.active(login) and user.expires is not None:
                self.warnings.append(
                    f"{self.org}: {user.login} expired on {user.expires.isoformat()} "
                    f"(declared in {user.source}) but keeps the seat: additive mode never "
                    "cancels"
                )
