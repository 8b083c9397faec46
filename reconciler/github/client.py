"""The narrow typed interface to the Copilot administration API that the engine uses.

Real GitHub and the simulator are interchangeable: only ``settings.api_url`` or the injected
``transport`` differs. Reads page by the ``Link`` header with ``per_page=100``; the seat list
is checked against ``total_seats`` and re-read when pages shifted. Mutations are serial,
spaced, chunked to at most 100 names and retried on transient faults (each sets state, so
repeating one is harmless; a repeated call reports 0, so the returned counts can undercount
after a retry).
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from reconciler.errors import IncompleteReadError, RemoteError
from reconciler.github.auth import Auth
from reconciler.github.pages import Member, RawSeat, SeatPage, Typed, to_cached
from reconciler.github.parallel import one_ahead
from reconciler.github.replies import Reply, json_logins, json_object, last_page
from reconciler.github.requester import Requester
from reconciler.github.settings import ClientSettings
from reconciler.model import key
from reconciler.typing import Log, Progress

PER_PAGE = 100
CHUNK = 100
#: Passes over the seat list before a read that does not add up is an error.
SEAT_PASSES = 3


class GitHubClient:
    """A connection to one API base URL with one credential.

    ``log`` receives one line per wait, retry and notable event (the CLI shows them with
    ``-v``); ``progress(org, pages_read, total_pages)`` is called after each seat-list page.
    ``sleep``, ``clock`` and ``rng`` are injectable so tests never really wait.
    """

    def __init__(
        self,
        settings: ClientSettings,
        auth: Auth,
        *,
        transport: httpx.BaseTransport | None = None,
        log: Log | None = None,
        on_wait: Log | None = None,
        progress: Progress | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self._log = log or (lambda _line: None)
        self._on_wait = on_wait or self._log
        #: The transport requests go through (``None``: httpx's own); report downloads reuse
        #: it so that the in-process simulator serves them too.
        self.transport = transport
        self._sleep = sleep
        self._progress = progress or (lambda _org, _read, _total: None)
        self._requester = Requester(
            settings,
            auth,
            transport=transport,
            log=self._log,
            on_wait=on_wait,
            sleep=sleep,
            clock=clock,
            rng=rng or random.Random(),
        )

    def __repr__(self) -> str:
        return f"GitHubClient({str(self._requester.base_url)!r}, auth={self._requester.auth!r})"

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._requester.close()

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far, retries and token exchanges included."""
        return self._requester.requests_made

    # ----------------------------------------------------------------- reads

    def get(
        self,
        path: str,
        *,
        org: str | None,
        params: Mapping[str, str | int] | None = None,
        accept: Sequence[int] = (),
        cache: bool = True,
    ) -> Reply:
        """A GET on the API with the client's auth, retries and cache; ``accept`` lists
        the statuses (such as 204 or 404) answered rather than raised; ``cache=False`` skips
        the ETag cache. For the modules that read less common operations
        (``reconciler.github.usage``)."""
        return self._requester.get(path, org=org, params=params, accept=accept, cache=cache)

    def wait(self, seconds: float, reason: str) -> None:
        """Announce a wait on ``on_wait`` and sleep (injectable: tests never really wait)."""
        self._on_wait(f"waiting {seconds:.1f} s: {reason}")
        self._sleep(seconds)

    def note(self, line: str) -> None:
        """One line on the client's ``log`` (shown with -v)."""
        self._log(line)

    def get_billing(self, org: str) -> dict[str, Any]:
        """``GET /orgs/{org}/copilot/billing``: settings and ``seat_breakdown``."""
        body = self._requester.get(f"/orgs/{segment(org)}/copilot/billing", org=org).body
        return json_object(body, f"the billing answer of {org}")

    def list_seats(self, org: str) -> tuple[list[dict[str, Any]], int]:
        """Every seat (de-duplicated by login, sorted by login key, trimmed to the fields a
        reader uses: see :class:`~reconciler.github.pages.RawSeat`) and ``total_seats``; see
        :meth:`read_seats`."""
        return self.read_seats(org, to_cached)

    def read_seats(self, org: str, convert: Callable[[RawSeat], _T]) -> tuple[list[_T], int]:
        """Every seat as ``convert`` makes it, sorted by login key, and ``total_seats``; see
        :meth:`read_seats_by_key`."""
        seats, total = self.read_seats_by_key(org, convert)
        return list(seats.values()), total

    def read_seats_by_key(
        self, org: str, convert: Callable[[RawSeat], _T]
    ) -> tuple[dict[str, _T], int]:
        """Every seat, each turned by ``convert`` as its page arrives (so that a large org
        is held once, in the caller's form), keyed by login key (``"#ID"`` for a seat without
        a login) in key order; and ``total_seats``.

        A pass whose distinct seats do not add up to ``total_seats`` (the order shifted
        between pages) is repeated, keeping the union, at most twice; a read that still
        does not add up raises :class:`IncompleteReadError`, never a partial list.
        """
        union: dict[str, _T] = {}
        found = total = 0
        typed = Typed(SeatPage, f"a seat page of {org}")
        path = f"/orgs/{segment(org)}/copilot/billing/seats"
        for attempt in range(1, SEAT_PASSES + 1):
            seen: dict[str, _T] = {}
            totals: set[int] = set()
            pages = self._pages(path, org, True, typed=typed)
            if self.settings.concurrency == 1:
                pages = one_ahead(pages)
            for page in pages:
                totals.add(page.total_seats)
                for seat in page.seats:
                    seen[_seat_key(seat)] = convert(seat)
            total = max(totals)
            consistent = len(totals) == 1
            if consistent and len(seen) == total:
                return _sorted(seen), total
            union.update(seen)
            if consistent and len(union) == total:
                return _sorted(union), total
            found = len(seen)
            if attempt < SEAT_PASSES:
                self._log(
                    f"{org}: the seat list did not add up ({found} distinct seats, "
                    f"total_seats {sorted(totals)}); pages shifted, reading it again"
                )
        raise IncompleteReadError(
            f"{org}: the seat list did not add up after {SEAT_PASSES} reads ({found} distinct "
            f"seats, {len(union)} over all reads, total_seats {total}); the org is changing "
            "while it is read: retry when it is quiet"
        )

    def get_content_exclusion(self, org: str) -> dict[str, list[str]]:
        """``GET /orgs/{org}/copilot/content_exclusion``: repository key -> path patterns.

        Like a seat page, an answer that is not a JSON object (an empty body, ``null``, a
        list) raises :class:`RemoteError`: taking it as "no rules" would make drift report
        an org in sync as changed and apply PUT over the real rules."""
        body = self._requester.get(f"/orgs/{segment(org)}/copilot/content_exclusion", org=org).body
        rules: dict[str, list[str]] = {}
        for repo, patterns in json_object(body, f"the content exclusion of {org}").items():
            if not isinstance(patterns, list):
                raise RemoteError(f"the content exclusion of {org} has a non-list under {repo!r}")
            rules[str(repo)] = [str(p) for p in patterns]
        return rules

    def list_team_members(self, org: str, team_slug: str) -> list[str]:
        """The logins of a team's members (child teams' members included, as GitHub lists)."""
        path = f"/orgs/{segment(org)}/teams/{segment(team_slug)}/members"
        missing = f"team {team_slug} not found in organization {org}"
        typed = Typed(list[Member], f"a page of the members of team {team_slug}")
        return [
            member.login
            for page in self._pages(path, org, False, not_found=missing, typed=typed)
            for member in page
            if member.login
        ]

    def get_team(self, org: str, team_slug: str) -> dict[str, Any] | None:
        """``GET /orgs/{org}/teams/{slug}``, or ``None`` when the team does not exist."""
        reply = self._requester.get(
            f"/orgs/{segment(org)}/teams/{segment(team_slug)}", org=org, accept=(404,)
        )
        return None if reply.status == 404 else json_object(reply.body, f"team {team_slug}")

    def is_org_member(self, org: str, login: str) -> bool:
        """``GET /orgs/{org}/members/{login}``: 204 member, 404 not a member."""
        reply = self._requester.get(
            f"/orgs/{segment(org)}/members/{segment(login)}", org=org, accept=(204, 404)
        )
        return reply.status != 404

    def iter_org_member_pages(self, org: str) -> Iterator[tuple[list[str], int | None]]:
        """Org member logins page by page, each with the page count (``None``: not said)."""
        reply = self._requester.get(f"/orgs/{segment(org)}/members", org=org, params=_PAGED)
        while True:
            link = reply.links.get("next")
            pages = last_page(reply.links) or (None if link else 1)
            yield json_logins(reply.body, f"the members of {org}"), pages
            if not link:
                return
            reply = self._requester.get(link, org=org)

    def list_org_members(self, org: str) -> list[str]:
        """Every org member's login (``ceil(members / 100)`` requests)."""
        return [login for page, _ in self.iter_org_member_pages(org) for login in page]

    # ----------------------------------------------------------------- mutations

    def add_users(self, org: str, logins: Sequence[str]) -> int:
        """Give each login a direct seat grant; returns the total ``seats_created``."""
        return self._chunked("POST", org, "selected_users", "selected_usernames", logins)

    def remove_users(self, org: str, logins: Sequence[str]) -> int:
        """Remove each login's direct grant; returns the total ``seats_cancelled``."""
        return self._chunked("DELETE", org, "selected_users", "selected_usernames", logins)

    def add_teams(self, org: str, slugs: Sequence[str]) -> int:
        """Select each team for Copilot; returns the total ``seats_created``."""
        return self._chunked("POST", org, "selected_teams", "selected_teams", slugs)

    def remove_teams(self, org: str, slugs: Sequence[str]) -> int:
        """Unselect each team; returns the total ``seats_cancelled``."""
        return self._chunked("DELETE", org, "selected_teams", "selected_teams", slugs)

    def set_content_exclusion(self, org: str, rules: Mapping[str, Sequence[str]]) -> None:
        """Replace the org's whole content-exclusion map."""
        body = {repo: list(patterns) for repo, patterns in rules.items()}
        self._requester.mutate(
            "PUT", f"/orgs/{segment(org)}/copilot/content_exclusion", org=org, body=body
        )

    # ----------------------------------------------------------------- internals

    def _chunked(self, method: str, org: str, what: str, field: str, names: Sequence[str]) -> int:
        unique = list({key(name): name for name in names}.values())
        counted = "seats_created" if method == "POST" else "seats_cancelled"
        total = 0
        for start in range(0, len(unique), CHUNK):
            reply = self._requester.mutate(
                method,
                f"/orgs/{segment(org)}/copilot/billing/{what}",
                org=org,
                body={field: unique[start : start + CHUNK]},
            )
            value = reply.body.get(counted) if isinstance(reply.body, dict) else None
            total += value if isinstance(value, int) else 0
        return total

    def _pages(
        self,
        path: str,
        org: str,
        report: bool,
        *,
        not_found: str | None = None,
        typed: Typed[Any] | None = None,
    ) -> Iterator[Any]:
        """The bodies of every page of a list, in page order, one at a time: a caller keeps
        what it needs of a page before the next is parsed, so memory does not grow with the
        list (a 100,000-seat org is about 1,000 pages of 180 KB)."""
        first = self._requester.get(path, org=org, params=_PAGED, not_found=not_found, typed=typed)
        last = last_page(first.links) or (None if "next" in first.links else 1)
        if report:
            self._progress(org, 1, last)
        yield first.body
        link = first.links.get("next")
        if link and last and self.settings.concurrency > 1 and "page" in httpx.URL(link).params:
            # Link rel="last" tells every page up front: fetch them side by side. Each URL is
            # the `next` link with another page number, so it matches what serial reads cache.
            urls = [str(httpx.URL(link).copy_set_param("page", str(n))) for n in range(2, last + 1)]
            yield from self._parallel_pages(urls, org, last if report else None, typed)
            return
        visited = {str(httpx.URL(link))} if link else set()
        read = 1
        while link:
            reply = self._requester.get(link, org=org, typed=typed)
            read += 1
            if report:
                self._progress(org, read, last)
            yield reply.body
            link = reply.links.get("next")
            if link in visited:
                raise RemoteError(f"{path}: the API's next link loops back to {link}")
            if link:
                visited.add(link)

    def _parallel_pages(
        self, urls: Sequence[str], org: str, last: int | None, typed: Typed[Any] | None
    ) -> Iterator[Any]:
        """Page bodies of ``urls`` in order, ``concurrency`` requests at a time, with at most
        a few pages per thread fetched ahead of the caller: memory stays bounded and no
        thread waits for the slowest page of a batch."""
        ahead = self.settings.concurrency * 4
        pending: deque[Future[Any]] = deque()
        next_url = iter(urls)
        read = 1
        with ThreadPoolExecutor(max_workers=self.settings.concurrency) as pool:
            try:
                for url in islice(next_url, ahead):
                    pending.append(pool.submit(self._requester.get, url, org=org, typed=typed))
                while pending:
                    body = pending.popleft().result().body
                    for url in islice(next_url, 1):
                        pending.append(pool.submit(self._requester.get, url, org=org, typed=typed))
                    read += 1
                    if last is not None:
                        self._progress(org, read, last)
                    yield body
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise


_PAGED = {"per_page": PER_PAGE}
_T = TypeVar("_T")
_R = TypeVar("_R")


def segment(name: str) -> str:
    """A login, slug or org name as one path segment."""
    return quote(name, safe="")


def _seat_key(seat: RawSeat) -> str:
    assignee = seat.assignee
    login = assignee.login if assignee else None
    if login:
        return login.lower()  # key(login), inlined: once per seat
    return f"#{assignee.id if assignee else None}"


def _sorted(seats: Mapping[str, _T]) -> dict[str, _T]:
    return {k: seats[k] for k in sorted(seats)}
