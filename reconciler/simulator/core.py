"""The Simulator: one world behind a lock, and the one request pipeline both transports call.

Pipeline of an API request: route → faults (latency outside the lock, then drop, 5xx,
secondary limit) → API version → authentication → scopes → primary rate limit → handler →
ETag / 304 → rate-limit headers → stats. Control calls (``/_simulator/``) and report
downloads skip faults, authentication and stats.
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

# The handler modules register their routes on import.
from reconciler.simulator import content_exclusion, metrics, orgs, reports, seats  # noqa: F401
from reconciler.simulator.auth import Principal, authenticate, require_scopes, verify_app_jwt
from reconciler.simulator.budgets import Budgets
from reconciler.simulator.faults import ConnectionDropped, Decision, Faults
from reconciler.simulator.http import Answer, ApiError, Request, Response, etag, etag_matches
from reconciler.simulator.routing import Context, Route, match
from reconciler.simulator.stats import RateLimits, Stats
from reconciler.simulator.updates import WorldUpdate, compare, snapshot
from reconciler.simulator.world import Org, Team, World, key
from reconciler.simulator.worldfile import read_world_file, write_world_file
from reconciler.simulator.worldform import dump_world, parse_world
from reconciler.timestamps import utc_now

#: The REST API versions GitHub accepts in ``X-GitHub-Api-Version``.
API_VERSIONS = ("2022-11-28", "2026-03-10")
_MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_RATE_DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"


class Simulator:
    """A stateful emulator of the GitHub Copilot administration API.

    Thread-safe: one re-entrant lock guards the world; latency sleeps happen outside it.
    """

    def __init__(
        self,
        world: Mapping[str, Any] | None = None,
        *,
        faults: Mapping[str, Any] | None = None,
        auth_clock: Callable[[], datetime] = utc_now,
        timer: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        # Credentials (installation tokens, expiring world tokens) expire by ``auth_clock``,
        # the wall clock by default: a world's fixed ``now`` must not keep a token alive.
        # ``timer`` and ``sleep`` time the budget windows and the injected latency (a test
        # passes a fake pair so that a minute of budget passes at once).
        self._auth_clock = auth_clock
        self._timer = timer
        self._sleep = sleep
        self._lock = threading.RLock()
        self._world: World = parse_world(dict(world or {}))
        self._faults = Faults()
        if faults:
            self._faults.configure(dict(faults))
        self._stats = Stats()
        self._limits = RateLimits()
        self._budgets = Budgets()
        self._secret = secrets.token_bytes(32)
        self._path: Path | None = None
        self._persist = False
        self._saved_version = self._world.version
        self._saved = snapshot(self._world)
        self._requests = 0

    @classmethod
    def from_file(cls, path: str | Path, *, persist: bool = False) -> Simulator:
        """A simulator loaded from a world file; with ``persist``, close() writes the world
        back (atomically, same format, a YAML file's comments and order kept) if it changed."""
        sim = cls()
        sim._world = read_world_file(path)
        sim._saved_version = sim._world.version
        sim._saved = snapshot(sim._world)
        sim._path = Path(path)
        sim._persist = persist
        return sim

    def save(self) -> WorldUpdate | None:
        """Write the world back to its file now if it changed; returns what changed since
        it was loaded or last saved (None: nothing was written)."""
        with self._lock:
            if self._path is None or self._world.version == self._saved_version:
                return None
            write_world_file(self._path, dump_world(self._world))
            now = snapshot(self._world)
            update = compare(self._saved, now)
            self._saved_version, self._saved = self._world.version, now
            return update

    def close(self) -> WorldUpdate | None:
        """Persist if asked to (see from_file); returns what :meth:`save` wrote. Safe to
        call twice."""
        return self.save() if self._persist else None

    def __enter__(self) -> Simulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def transport(self) -> httpx.BaseTransport:
        """An httpx transport that serves this simulator in process."""
        from reconciler.simulator.transport import SimulatorTransport

        return SimulatorTransport(self)

    # ------------------------------------------------------------------ state

    def default_token(self) -> str | None:
        """The first token whose user owns at least one org."""
        with self._lock:
            for token, spec in self._world.tokens.items():
                if spec.installation_org is None and any(
                    key(spec.login) in org.owners for org in self._world.orgs.values()
                ):
                    return token
            return None

    def tokens(self) -> list[str]:
        """The world file's tokens (not app-minted ones)."""
        with self._lock:
            return [t for t, s in self._world.tokens.items() if s.installation_org is None]

    def token_logins(self) -> list[str]:
        """The logins the world file's tokens act for, sorted: what may be shown of them."""
        with self._lock:
            found = {s.login for s in self._world.tokens.values() if s.installation_org is None}
            return sorted(found, key=str.lower)

    def world(self) -> dict[str, Any]:
        """The world in the world-file form, JSON-serializable."""
        with self._lock:
            self._world.roll()
            return dump_world(self._world)

    def load_world(self, world: Mapping[str, Any], *, keep_tokens: bool = False) -> None:
        """Replace the world (raises ConfigError, leaving the current one, if invalid); with
        ``keep_tokens``, the world file's tokens of the current world stay."""
        new = parse_world(dict(world))
        with self._lock:
            if keep_tokens:
                kept = self._world.tokens.items()
                new.tokens = {t: s for t, s in kept if s.installation_org is None}
            new.version = self._world.version + 1
            self._world = new

    def now(self) -> datetime:
        """The simulator clock, to the second."""
        with self._lock:
            return self._world.clock.now().replace(microsecond=0)

    def set_now(self, now: datetime) -> None:
        """Fix the clock at ``now``; rolls billing cycles."""
        with self._lock:
            self._world.clock.set(now)
            self._world.version += 1
            self._world.roll()

    def advance(self, days: float) -> None:
        """Move the clock forward; pending seats whose date has come disappear."""
        with self._lock:
            self._world.clock.advance(timedelta(days=days))
            self._world.version += 1
            self._world.roll()

    def add_team_member(self, org: str, team: str, login: str) -> None:
        """Add ``login`` to a team (and the org); a selected team grants a seat at once.
        Raises LookupError for an unknown org or team."""
        with self._lock:
            found_org, found_team = self._team(org, team)
            found_org.add_team_member(found_team, login)
            found_org.refresh([key(login)], self.now())
            self._world.version += 1

    def remove_team_member(self, org: str, team: str, login: str) -> None:
        """Remove ``login`` from a team: that grant goes; the seat may become pending."""
        with self._lock:
            found_org, found_team = self._team(org, team)
            found_org.remove_team_member(found_team, login)
            found_org.refresh([key(login)], self.now())
            self._world.version += 1

    def _team(self, org: str, team: str) -> tuple[Org, Team]:
        found_org = self._world.orgs.get(key(org))
        if found_org is None:
            raise LookupError(f"no org {org!r}")
        found_team = found_org.teams.get(key(team))
        if found_team is None:
            raise LookupError(f"no team {team!r} in {found_org.name}")
        return found_org, found_team

    def set_faults(self, **settings: Any) -> None:
        """Replace the fault settings (absent keys take their defaults) and reseed.
        Raises ValueError for an unknown key or a bad value."""
        self._faults.configure(settings)

    def faults(self) -> dict[str, Any]:
        return self._faults.settings.as_dict()

    def stats(self) -> dict[str, Any]:
        """``{"total", "mutations", "not_modified", "by_operation"}`` of API requests."""
        with self._lock:
            return self._stats.snapshot()

    def reset_stats(self) -> None:
        with self._lock:
            self._stats.reset()
        self._budgets.reset()

    def limit_stats(self) -> dict[str, Any]:
        """``{"in_flight", "max_in_flight", "secondary_limited"}`` since the last stats reset:
        the most API requests served at once, and the answers of an enforced budget."""
        return self._budgets.snapshot()

    def download_report(self, request: Request) -> Response:
        """A usage-report file behind a signed link (no token; not counted in stats)."""
        with self._lock:
            self._world.roll()
            per_file = self._faults.settings.report_users_per_file
            return reports.download(self._world, self.now(), self._secret, request, per_file)

    # ------------------------------------------------------------------ requests

    def handle(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str],
        body: bytes,
        *,
        base_url: str,
    ) -> Answer:
        """Serve one request; raises ConnectionDropped when a fault drops the connection."""
        request = Request.parse(method, target, headers, body, base_url)
        if request.path.startswith("/_simulator/"):
            from reconciler.simulator.control import control

            answer = control(self, request)
            return answer.status, answer.headers, answer.body
        if method == "HEAD":
            # GET's answer; each way in drops the body and keeps its Content-Length.
            return self.handle("GET", target, headers, body, base_url=base_url)
        found, params = match(request.method, request.path)
        request.params = params
        mutation = request.method in _MUTATING
        decision = self._faults.decide(mutation)
        operation = found.operation if found else f"{request.method} (unknown path)"
        budgets = self._faults.settings.budgets()
        arrival = self._budgets.arrive(operation, request.method, budgets, self._timer())
        try:
            if decision.latency_s:
                self._sleep(decision.latency_s)
            if arrival.refused is not None:
                decision = Decision(secondary=True)
            return self._handle_locked(found, request, decision, mutation, operation)
        finally:
            self._budgets.leave(arrival, self._timer())

    def _handle_locked(
        self,
        found: Route | None,
        request: Request,
        decision: Decision,
        mutation: bool,
        operation: str,
    ) -> Answer:
        with self._lock:
            if decision.drop:
                if decision.apply_then_drop and found is not None:
                    self._serve(found, request, decision)
                self._stats.dropped(mutation)
                raise ConnectionDropped
            answer, principal = self._answer(found, request, decision)
            identity = principal.login if principal else "anonymous"
            limit = self._faults.settings.rate_limit_per_hour
            if principal is not None and answer.status not in (304, 401):
                self._limits.consume(identity)
            answer.headers += self._limits.headers(identity, limit)
            if principal is not None and principal.installation_org is None:
                answer.headers.append(("X-OAuth-Scopes", ", ".join(sorted(principal.scopes))))
            answer.headers.append(("X-GitHub-Api-Version-Selected", API_VERSIONS[0]))
            self._requests += 1
            answer.headers.append(("X-GitHub-Request-Id", f"5151:{self._requests:08X}"))
            self._stats.answered(operation, answer.status, mutation)
        return answer.status, answer.headers, answer.body

    def _answer(
        self, found: Route | None, request: Request, decision: Decision
    ) -> tuple[Response, Principal | None]:
        principal = self._peek(request)
        if decision.error_status is not None:
            status = decision.error_status
            # GitHub's documented body for a 500 says "Server Error"; the others carry the
            # standard reason phrase.
            message = "Server Error" if status == 500 else HTTPStatus(status).phrase
            return ApiError(status, message).response(), principal
        if decision.secondary:
            retry = str(self._faults.settings.retry_after_s)
            return ApiError(
                403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before "
                "you try again.",
                headers=[("retry-after", retry)],
                documentation_url=f"{_RATE_DOCS}#about-secondary-rate-limits",
            ).response(), principal
        if found is None:
            return ApiError(404, "Not Found").response(), principal
        return self._serve(found, request, decision), principal

    def _peek(self, request: Request) -> Principal | None:
        try:
            return authenticate(self._world, request, now=self._auth_clock())
        except ApiError:
            return None

    def _serve(self, found: Route, request: Request, decision: Decision) -> Response:
        self._world.roll()
        ctx = Context(
            self._world,
            self._world.clock.now().replace(microsecond=0),
            self._auth_clock(),
            self._faults.settings,
            self._secret,
        )
        if decision.order_seed is not None:
            ctx.order_rng = random.Random(decision.order_seed)
        try:
            version = request.headers.get("x-github-api-version")
            if version is not None and version not in API_VERSIONS:
                raise ApiError(
                    400,
                    f'The version you specified in the "X-GitHub-Api-Version" request header, '
                    f'"{version}", is not a supported version. The following versions are '
                    f"currently supported: "
                    + ", ".join(f'"{v}"' for v in reversed(API_VERSIONS))
                    + ".",
                )
            if found.auth == "jwt":
                ctx.app = verify_app_jwt(self._world, request)
            else:
                ctx.principal = authenticate(self._world, request, now=ctx.auth_now)
                require_scopes(ctx.principal, found.scopes)
                limit = self._faults.settings.rate_limit_per_hour
                if self._limits.exhausted(ctx.principal.login, limit):
                    number = ctx.principal.login
                    raise ApiError(
                        403,
                        f"API rate limit exceeded for user {number}.",
                        documentation_url=f"{_RATE_DOCS}#about-primary-rate-limits",
                    )
            answer = found.handler(ctx, request)
        except ApiError as error:
            return error.response()
        if request.method == "GET" and answer.status == 200:
            tag = etag(answer.body)
            answer.headers += [("ETag", tag), ("Cache-Control", "private, max-age=60")]
            if etag_matches(request.headers.get("if-none-match"), tag):
                return Response(304, b"", [("ETag", tag), ("Cache-Control", "private, max-age=60")])
        return answer
