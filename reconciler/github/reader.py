"""The live-state reader: what the planner needs to know about each org, in the fewest requests.

For an org of N seats and T teams (each of at most 100 members) whose seats, settings and
content exclusion are managed, with no membership checks needed, a read costs exactly
``1 billing + ceil(N/100) seat pages + T member pages + 1 content exclusion``. A section the
configuration does not manage is not read at all.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import msgspec

from reconciler.errors import NotFoundError, RemoteError
from reconciler.github.client import GitHubClient
from reconciler.github.overlap import Overlap, Pending
from reconciler.github.pages import RawSeat
from reconciler.github.parallel import parallel_map
from reconciler.model import (
    SETTING_NAMES,
    DeclaredTeam,
    DeclaredUser,
    DesiredState,
    LiveOrg,
    LiveSeat,
    LiveState,
    OrgConfig,
    key,
)


def read_live_state(client: GitHubClient, desired: DesiredState, *, now: datetime) -> LiveState:
    """Read every org of ``desired``, one after the other (orgs in key order).

    ``now`` decides which time-boxed users have expired (they need no membership check)
    and becomes ``LiveState.read_at``.
    """
    orgs = {
        org_key: read_org(client, desired.orgs[org_key], now=now)
        for org_key in sorted(desired.orgs)
    }
    return LiveState(orgs=orgs, read_at=now)


def read_org(client: GitHubClient, config: OrgConfig, *, now: datetime) -> LiveOrg:
    """Read what ``config`` manages of one org (see :class:`~reconciler.model.LiveOrg`).

    With ``concurrency`` above 1 the reads of different endpoints overlap: billing, content
    exclusion and the members of every declared team start with the seat list, and a team
    first seen granting a seat starts as soon as its seat arrives. Errors are raised in the
    serial order (billing, seats, teams in key order, membership, content exclusion).
    """
    org = config.org
    with Overlap(client.settings.concurrency) as overlap:
        billing = None
        if config.settings is not None or config.seats is not None:
            billing = overlap.start(lambda: client.get_billing(org))
        exclusion = None
        if config.content_exclusion is not None:
            exclusion = overlap.start(lambda: client.get_content_exclusion(org))
        live = LiveOrg(org=org, settings={}, seat_breakdown={}, seats={})
        if config.seats is not None:
            live = _read_seats(client, config, live, overlap, billing, now=now)
        elif billing is not None:
            live = _with_billing(live, billing.claim())
        if exclusion is not None:
            rules = exclusion.claim()
            live = replace(live, content_exclusion={r: tuple(p) for r, p in rules.items()})
    return live


def _with_billing(live: LiveOrg, billing: Mapping[str, Any]) -> LiveOrg:
    settings = {n: str(billing[n]) for n in SETTING_NAMES if billing.get(n) is not None}
    breakdown: dict[str, int] = {}
    raw_breakdown = billing.get("seat_breakdown")
    if isinstance(raw_breakdown, Mapping):
        breakdown = {
            str(k): v
            for k, v in raw_breakdown.items()
            if isinstance(v, int) and not isinstance(v, bool)
        }
    return replace(live, settings=settings, seat_breakdown=breakdown)


def _read_seats(
    client: GitHubClient,
    config: OrgConfig,
    live: LiveOrg,
    overlap: Overlap,
    billing: Pending[dict[str, Any]] | None,
    *,
    now: datetime,
) -> LiveOrg:
    assert config.seats is not None
    org = config.org
    canonical: list[str] = []
    teams = _TeamReads(client, org, config.seats.teams, overlap)

    def convert(item: RawSeat) -> LiveSeat | None:
        # Seats are parsed as their page arrives: a large org is held once, as LiveSeats.
        if not canonical and (org_login := item.org_login):
            canonical.append(org_login)
        seat = live_seat(item, org)
        if seat is not None and seat.assigning_team:
            teams.seen(seat.assigning_team)
        return seat

    # Billing is claimed first, as a serial read sends it first: its error (a 404 org)
    # explains a failure best. Overlapped, the declared teams' reads fill the wait.
    if billing is not None:
        live = _with_billing(live, billing.claim())
    parsed, _total = client.read_seats_by_key(org, convert)
    seats = {login: seat for login, seat in parsed.items() if seat is not None}
    team_members, team_names = teams.claim(seats)

    # Users the plan may add need to be org members; seat holders and team members are.
    known: set[str] = set().union(*team_members.values())
    candidates = _candidates(config.seats.users, seats, known, now.date())
    active = sum(1 for seat in seats.values() if seat.active)
    non_members = _non_members(client, org, candidates, active) if candidates else frozenset()
    return replace(
        live,
        org=canonical[0] if canonical else org,
        seats=seats,
        team_members=team_members,
        team_names=team_names,
        non_members=non_members,
    )


class _TeamReads:
    """The member reads of the teams a plan needs: every declared team (started at once)
    and every team seen granting a seat (started as its first seat arrives)."""

    def __init__(
        self, client: GitHubClient, org: str, declared: Sequence[DeclaredTeam], overlap: Overlap
    ) -> None:
        self._client, self._org, self._overlap = client, org, overlap
        self._declared = {key(team.slug): team for team in declared}
        self._names: dict[str, str] = {}  # the spelling the plan shows, set by claim()
        self._first_seen: dict[str, str] = {}
        self._started: dict[str, Pending[frozenset[str]]] = {}
        for team_key in sorted(self._declared):
            self._start(team_key)

    def seen(self, slug: str) -> None:
        """A seat granted through ``slug`` arrived."""
        team_key = key(slug)
        if team_key not in self._started:
            self._first_seen[team_key] = slug
            self._start(team_key)

    def claim(
        self, seats: Mapping[str, LiveSeat]
    ) -> tuple[dict[str, frozenset[str]], dict[str, str]]:
        """``team_members`` and ``team_names`` of the teams granting ``seats`` and the
        declared ones, claimed in key order (the first failure in that order is raised)."""
        for seat in seats.values():
            if seat.assigning_team:
                self._names.setdefault(key(seat.assigning_team), seat.assigning_team)
        for team_key, team in self._declared.items():
            self._names.setdefault(team_key, team.slug)
        order = sorted(self._names)
        # Every team here was started: declared ones up front, the others as their seat arrived.
        members = {team_key: self._started[team_key].claim() for team_key in order}
        return members, {team_key: self._names[team_key] for team_key in order}

    def _start(self, team_key: str) -> None:
        self._started[team_key] = self._overlap.start(lambda: self._members_of(team_key))

    def _members_of(self, team_key: str) -> frozenset[str]:
        # Serially this runs when claimed, after every seat was seen: the slug is the one
        # the plan shows. Overlapped, it is the spelling known when the read started.
        slug = (
            self._names.get(team_key)
            or self._first_seen.get(team_key)
            or self._declared[team_key].slug
        )
        try:
            logins = self._client.list_team_members(self._org, slug)
        except NotFoundError as exc:
            raise _missing_team(self._org, slug, self._declared.get(team_key), exc) from None
        return frozenset(key(login) for login in logins)


def _candidates(
    users: Sequence[DeclaredUser], seats: Mapping[str, LiveSeat], known: set[str], today: date
) -> list[DeclaredUser]:
    """Declared users who may need a new seat and are not known to be org members."""
    candidates: dict[str, DeclaredUser] = {}
    for user in users:
        user_key = key(user.login)
        held = seats.get(user_key)
        expired = user.expires is not None and today > user.expires
        if expired or (held is not None and held.active) or user_key in known:
            continue
        candidates.setdefault(user_key, user)
    return list(candidates.values())


def _non_members(
    client: GitHubClient, org: str, candidates: Sequence[DeclaredUser], active_seats: int
) -> frozenset[str]:
    """Which candidates are not org members, by whichever costs fewer requests.

    One check per user costs ``len(candidates)``; listing members costs ``ceil(M/100)``,
    and M is at least the number of active seats. When listing may be cheaper, the first
    page (which also says how many pages there are) settles it.
    """
    wanted = {key(user.login) for user in candidates}
    if len(wanted) <= max(1, math.ceil(active_seats / 100)):
        return _check_each(client, org, sorted(wanted))
    pages = client.iter_org_member_pages(org)
    first, total_pages = next(pages)
    remaining = wanted - {key(login) for login in first}
    if total_pages == 1 or not remaining:
        return frozenset(remaining)
    if total_pages is not None and len(remaining) <= total_pages - 1:
        return _check_each(client, org, sorted(remaining))
    for page, _ in pages:
        remaining -= {key(login) for login in page}
    return frozenset(remaining)


def _check_each(client: GitHubClient, org: str, logins: Sequence[str]) -> frozenset[str]:
    def is_not_member(login: str) -> bool:
        return not client.is_org_member(org, login)

    answers = parallel_map(is_not_member, logins, client.settings.concurrency)
    return frozenset(login for login, missing in zip(logins, answers, strict=True) if missing)


def _missing_team(
    org: str, slug: str, declared: DeclaredTeam | None, exc: NotFoundError
) -> NotFoundError:
    if declared is None:
        return NotFoundError(
            f"team {slug} grants Copilot seats in {org} but could not be read (404); "
            "it may have just been deleted: read again",
            status=exc.status,
        )
    return NotFoundError(
        f"{declared.source}: team {slug} does not exist in organization {org}: fix the slug in "
        "seats.teams (the team's URL slug, not its display name), create the team, or remove it",
        status=exc.status,
    )


def live_seat(seat: RawSeat, org: str) -> LiveSeat | None:
    """A seat of the API as a :class:`LiveSeat` (``None`` for a seat with no login)."""
    # Called once per seat (100,000 times for a large org): plain attribute reads, no
    # helpers. UNSET and None are both falsy; a struct is truthy.
    assignee = seat.assignee
    login = assignee.login if assignee else None
    if not login:
        return None
    team = seat.assigning_team
    pending = seat.pending_cancellation_date
    activity = seat.last_activity_at
    editor = seat.last_activity_editor
    plan_type = seat.plan_type
    try:
        return LiveSeat(
            login,
            _datetime(seat.created_at),
            (team.slug or None) if team else None,
            date.fromisoformat(pending[:10]) if pending else None,
            _datetime(activity) if activity else None,
            editor if type(editor) is str else None,
            plan_type if type(plan_type) is str else None,
        )
    except ValueError as exc:
        raise RemoteError(f"{org}: the seat of {login} is malformed ({exc})") from None


def parse_seat(seat: Mapping[str, Any], org: str) -> LiveSeat | None:
    """A seat object as JSON (the per-user seat operation's answer) as a :class:`LiveSeat`
    (``None`` for a seat with no login); a seat of the wrong shape is a RemoteError."""
    try:
        raw = msgspec.convert(seat, RawSeat)
    except msgspec.ValidationError as exc:
        raise RemoteError(f"{org}: a seat is malformed ({exc})") from None
    return live_seat(raw, org)


def _datetime(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
