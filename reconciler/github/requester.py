"""The retrying HTTP core under :class:`~reconciler.github.GitHubClient`.

:meth:`Requester.get` and :meth:`Requester.mutate` send a call with the headers GitHub asks
for, answer from the ETag cache on a 304, retry transient failures with exponential backoff
and full jitter, wait out rate limits within a bound, refresh an App token once on a 401,
space mutations, and map anything else through
:func:`~reconciler.github.statuses.error_for_response`.
Every wait is announced on ``on_wait`` (or else ``log``) before it happens.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.request import getproxies

import httpx

from reconciler import __version__
from reconciler.errors import RateLimitError, ReconcilerError, RemoteError, TransportError
from reconciler.github.auth import Auth
from reconciler.github.cache import CacheEntry, EtagCache
from reconciler.github.pages import Typed, to_cached
from reconciler.github.replies import INVALID, Call, Reply, parse_body, parse_links, unresolvable
from reconciler.github.scheduler import Scheduler
from reconciler.github.settings import ClientSettings, validate_api_url
from reconciler.github.statuses import error_for_response, rate_limit_kind
from reconciler.github.transport import HTTP11Transport
from reconciler.typing import Log

API_VERSION = "2022-11-28"
USER_AGENT = f"copilot-reconciler/{__version__}"

_BACKOFF_BASE_S = 1.0
_BACKOFF_CAP_S = 30.0
_SECONDARY_MIN_WAIT_S = 60.0
_MAX_PRIMARY_WAITS = 3
# Shapes of GitHub credentials, redacted from any text even if we never saw them.
_SECRET_SHAPES = re.compile(
    r"\b(gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{20,}"
    r"|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)"
)


class Requester:
    """Sends requests for one client; thread-safe for concurrent reads."""

    def __init__(
        self,
        settings: ClientSettings,
        auth: Auth,
        *,
        transport: httpx.BaseTransport | None,
        log: Log,
        on_wait: Log | None = None,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        rng: random.Random,
    ) -> None:
        self.base_url = httpx.URL(validate_api_url(settings.api_url))
        self.auth = auth
        self._settings = settings
        self._log = log
        self._on_wait = on_wait or log
        self._sleep = sleep
        self._clock = clock
        self._rng = rng
        connections = max(1, settings.concurrency) + 2
        # Requests are handed to the transport directly: Client.send adds auth flows,
        # redirects, a cookie jar and hooks that this client does not use (0.2 ms a request,
        # a tenth of a 100,000-seat plan's CPU), and direct connections go through http.client
        # (see reconciler.github.transport). With a proxy configured (httpx reads the same
        # urllib settings), the Client routes every request through httpx's own transport.
        self._direct = transport
        if transport is None and not getproxies():
            self._direct = HTTP11Transport(max_idle=connections)
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=self._direct,
            headers={
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": USER_AGENT,
            },
            timeout=httpx.Timeout(settings.timeout_s, connect=min(10.0, settings.timeout_s)),
            limits=httpx.Limits(max_connections=connections),
            follow_redirects=False,
        )
        self._cache = EtagCache(settings.cache_dir, log=log) if settings.cache_dir else None
        self._interval = settings.mutation_interval(injected_transport=transport is not None)
        self.scheduler = Scheduler(
            settings.concurrency,
            settings.budgets(injected_transport=transport is not None),
            clock=clock,
            sleep=sleep,
            log=log,
        )
        self._secrets: set[str] = set()
        self._lock = threading.Lock()
        self._mutation_lock = threading.Lock()
        self._last_mutation: float | None = None
        self.requests_made = 0

    def __repr__(self) -> str:
        return f"Requester({str(self.base_url)!r}, auth={self.auth!r})"

    def close(self) -> None:
        self._http.close()

    # ----------------------------------------------------------------- public entry points

    def get(
        self,
        url: str,
        *,
        org: str | None,
        params: Mapping[str, str | int] | None = None,
        accept: Collection[int] = (),
        not_found: str | None = None,
        cache: bool = True,
        typed: Typed[Any] | None = None,
    ) -> Reply:
        """GET ``url`` (a path, or an absolute URL on the API host such as a ``next`` link);
        ``cache=False`` neither asks with nor stores an ETag (for answers that expire); with
        ``typed``, the body is decoded into that shape (see reconciler.github.pages)."""
        return self._request(
            "GET",
            url,
            org=org,
            params=params,
            accept=accept,
            not_found=not_found,
            cache=cache,
            typed=typed,
        )

    def mutate(
        self, method: str, path: str, *, org: str, body: Any, not_found: str | None = None
    ) -> Reply:
        """A POST/PUT/DELETE: serial, spaced by the mutation interval, retried (all set state)."""
        with self._mutation_lock:
            return self._request(method, path, org=org, body=body, not_found=not_found)

    def app_call(self, method: str, path: str, app_jwt: str) -> dict[str, Any]:
        """Call an ``/app`` endpoint with an App JWT instead of the token (for AppAuth)."""
        self._remember(app_jwt)
        org = path.split("/")[2] if path.startswith("/orgs/") else None
        not_found = (
            f"the GitHub App is not installed on organization {org}; install it there or set "
            "GITHUB_APP_INSTALLATION_ID"
            if org
            else "no such GitHub App installation; check GITHUB_APP_INSTALLATION_ID"
        )
        answer = self._request(method, path, org=org, app_jwt=app_jwt, not_found=not_found)
        return answer.body if isinstance(answer.body, dict) else {}

    def scrub(self, text: str) -> str:
        """``text`` with every secret this session has handled replaced by ``[redacted]``."""
        with self._lock:
            known = sorted(self._secrets, key=len, reverse=True)
        for secret in known:
            text = text.replace(secret, "[redacted]")
        return _SECRET_SHAPES.sub("[redacted]", text)

    # ----------------------------------------------------------------- the retry loop

    def _request(
        self,
        method: str,
        url: str,
        *,
        org: str | None,
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
        accept: Collection[int] = (),
        not_found: str | None = None,
        app_jwt: str | None = None,
        cache: bool = True,
        typed: Typed[Any] | None = None,
    ) -> Reply:
        # Built once; each attempt sets its own credentials and validator on it.
        request = self._http.build_request(
            method, url, params=params, json=body if method != "GET" else None
        )
        target = request.url
        self._check_host(target)
        call = Call(method, target, org, app_jwt, not_found)
        slot = self._cache_slot(call) if cache else None
        while True:
            entry = self._cache.get(*slot) if self._cache and slot else None
            if method != "GET":
                self._space_mutation()
            try:
                response = self._send(request, org, app_jwt, entry)
            except httpx.TransportError as exc:  # timeouts, resets, drops, bad DNS
                self._mark_mutation(method)
                self._after_transport_error(exc, call)
                continue
            self._mark_mutation(method)
            status = response.status_code
            if status == 304 and entry is not None:
                link = response.headers.get("link") or entry.link
                cached = typed.convert(entry.body) if typed else entry.body
                return Reply(entry.status, cached, parse_links(link), from_cache=True)
            if 200 <= status < 300 or status in accept:
                parsed = parse_body(response, typed)
                if parsed is not INVALID:
                    self._store(slot, response, parsed, typed=typed is not None)
                    return Reply(status, parsed, parse_links(response.headers.get("link")))
                error = RemoteError(
                    self.scrub(f"{call.what}: {status} with a body that is not JSON"),
                    status=status,
                )
                self._retry_or_raise(call, f"{status} with a truncated body on {call.what}", error)
                continue
            self._after_refusal(response, call)

    def _cache_slot(self, call: Call) -> tuple[str, str] | None:
        """(partition, URL) of a GET the ETag cache may answer; None for anything else."""
        if call.method != "GET" or call.app_jwt is not None or self._cache is None:
            return None
        return self._partition(call.org), str(call.target)

    def _store(
        self, slot: tuple[str, str] | None, response: httpx.Response, body: Any, *, typed: bool
    ) -> None:
        etag = response.headers.get("etag")
        if slot is None or self._cache is None or response.status_code != 200 or not etag:
            return  # converted only when kept: a typed page costs a pass to turn back
        cached = to_cached(body) if typed else body  # typed pages are kept in their plain form
        self._cache.put(*slot, CacheEntry(etag, 200, cached, response.headers.get("link")))

    def _retry_or_raise(self, call: Call, reason: str, error: ReconcilerError) -> None:
        """Count one failed attempt: wait before the next, or raise ``error`` after the last."""
        call.failures += 1
        if call.failures > self._settings.retries:
            raise error from None  # the transport's own exception may quote a header
        self._backoff(call.failures, reason)

    def _after_transport_error(self, exc: httpx.TransportError, call: Call) -> None:
        """Retry a connection failure, unless retrying cannot help: a request this machine
        could not even form, or a host name that does not resolve."""
        reason = f"{type(exc).__name__} ({self.scrub(str(exc)) or 'no detail'})"
        if isinstance(exc, httpx.LocalProtocolError | httpx.UnsupportedProtocol):
            raise TransportError(f"{call.what}: the request could not be sent: {reason}") from None
        if unresolvable(exc):
            raise TransportError(
                f"{call.what}: the host {self.base_url.host} cannot be resolved; check "
                "--api-url / $GITHUB_API_URL and this machine's DNS"
            ) from None
        error = TransportError(
            f"{call.what}: {reason}, still failing after {call.failures + 1} attempts; check "
            f"the connection to {self.base_url.host} and retry"
        )
        self._retry_or_raise(call, f"{reason} on {call.what}", error)

    def _after_refusal(self, response: httpx.Response, call: Call) -> None:
        """Wait out what may clear (an App token to renew, rate limits, 5xx); raise the rest."""
        status = response.status_code
        if status == 401 and call.app_jwt is None and not call.refreshed:
            call.refreshed = True
            if self.auth.refresh(call.org):
                self._log(f"{call.what}: 401, renewing the App installation token")
                return
        kind = rate_limit_kind(response)
        if kind == "primary":
            call.primary_waits += 1
            self._wait_primary(response, call.what, call.primary_waits)
            return
        if kind == "secondary":
            call.limited += 1
            self._wait_secondary(response, call.what, call.limited)
            return
        error = error_for_response(
            response,
            what=call.what,
            org=call.org,
            auth_description=self.auth.description if call.app_jwt is None else _APP_JWT,
            scrub=self.scrub,
            not_found=call.not_found,
        )
        if status < 500:
            raise error
        self._retry_or_raise(call, f"{status} {response.reason_phrase} on {call.what}", error)

    def _send(
        self,
        request: httpx.Request,
        org: str | None,
        app_jwt: str | None,
        entry: CacheEntry | None,
    ) -> httpx.Response:
        token = app_jwt if app_jwt is not None else self.auth.token(org, self.app_call)
        self._remember(token)
        request.headers["Authorization"] = f"Bearer {token}"
        if entry is not None:
            request.headers["If-None-Match"] = entry.etag
        else:
            request.headers.pop("If-None-Match", None)
        with self._lock:
            self.requests_made += 1
        # One gate for every attempt: at most `concurrency` in flight, within the budgets.
        with self.scheduler.slot(request.method, request.url.path):
            if self._direct is None:
                response = self._http.send(request)
            else:
                response = self._direct.handle_request(request)
                response.request = request
            response.read()
        return response

    # ----------------------------------------------------------------- waiting

    def _wait(self, seconds: float, reason: str) -> None:
        self._on_wait(f"waiting {seconds:.1f} s: {reason}")
        self._sleep(seconds)

    def _backoff(self, failures: int, reason: str) -> None:
        # Full jitter (AWS architecture blog): spreads retries of parallel readers apart.
        ceiling = min(_BACKOFF_CAP_S, _BACKOFF_BASE_S * 2 ** (failures - 1))
        self._wait(
            self._rng.uniform(0, ceiling),
            f"{reason} (retry {failures} of {self._settings.retries})",
        )

    def _wait_primary(self, response: httpx.Response, what: str, waits: int) -> None:
        try:
            reset = float(response.headers.get("x-ratelimit-reset", ""))
        except ValueError:
            reset = self._clock() + 60.0
        when = datetime.fromtimestamp(reset, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        seconds = max(0.0, reset - self._clock()) + 1.0
        if seconds > self._settings.max_rate_limit_wait_s or waits > _MAX_PRIMARY_WAITS:
            raise RateLimitError(
                f"{what}: the primary rate limit of {self.auth.description} is exhausted "
                f"until {when}; retry after that (about {seconds / 60:.0f} min from now)",
                status=response.status_code,
            )
        self._wait(seconds, f"primary rate limit, resets at {when}")

    def _wait_secondary(self, response: httpx.Response, what: str, times: int) -> None:
        if times > self._settings.retries:
            raise RateLimitError(
                f"{what}: the secondary rate limit persisted after {times} attempts; retry in "
                "a few minutes, without --concurrency",
                status=response.status_code,
            )
        header = response.headers.get("retry-after", "")
        if header.strip().isdigit():
            seconds, why = float(header), "secondary rate limit (retry-after)"
        else:
            seconds = _SECONDARY_MIN_WAIT_S * 2 ** (times - 1)
            why = "secondary rate limit (no retry-after; backing off)"
        if seconds > self._settings.max_rate_limit_wait_s:
            raise RateLimitError(
                f"{what}: the secondary rate limit asks to wait {seconds:.0f} s, more than "
                f"{self._settings.max_rate_limit_wait_s:.0f} s; retry later",
                status=response.status_code,
            )
        self._wait(seconds, why)

    def _space_mutation(self) -> None:
        if self._interval > 0 and self._last_mutation is not None:
            gap = self._last_mutation + self._interval - self._clock()
            if gap > 0:
                self._wait(gap, "minimum spacing between mutations")

    def _mark_mutation(self, method: str) -> None:
        # Spacing counts from the end of one mutation to the start of the next.
        if method != "GET":
            self._last_mutation = self._clock()

    # ----------------------------------------------------------------- helpers

    def _partition(self, org: str | None) -> str:
        assert self._cache is not None
        return self._cache.partition(self.auth.cache_identity(org, self.app_call))

    def _remember(self, secret: str) -> None:
        with self._lock:
            self._secrets.add(secret)

    def _check_host(self, target: httpx.URL) -> None:
        # The token goes with every request: never follow a link to another host.
        base = self.base_url
        if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
            raise RemoteError(
                f"refusing to send the token to {target.scheme}://{target.host}: "
                f"the API at {base.host} linked outside itself"
            )


_APP_JWT = "the JWT signed with the GitHub App's private key"
