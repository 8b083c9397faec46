"""GitHub's secondary rate limits as a ledger: what a request may cost, and when it may start.

GitHub ("Rate limits for the REST API") refuses a client that sends more than 900 points per
minute to one REST endpoint (a GET costs 1 point, a write 5) or that spends more than 90 s
of server time per 60 s of real time, which a client estimates as the sum of its response
times. A refused client must wait a minute or more, so the cheap way through a large org is
never to be refused. :class:`Ledger` is the pure bookkeeping (no threads, no clock of its
own: every method takes ``now``), so it is tested with a fake clock;
:class:`~reconciler.github.scheduler.Scheduler` puts it behind a lock.

Both windows are kept conservatively against the server's view: a request counts as in
flight from the moment it is admitted, and once answered it is dated by its answer (later
than the server saw it), so it leaves the client's window after it left GitHub's.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

WINDOW_S = 60.0
#: GitHub's documented budgets, per token.
GITHUB_POINTS_PER_MINUTE = 900
GITHUB_RESPONSE_TIME_PER_MINUTE_S = 90.0
#: What an unanswered request is assumed to cost before any answer was timed.
_FIRST_ESTIMATE_S = 1.0
#: Recent response times whose maximum is the estimate for a request still in flight.
_RECENT = 32
_READS = frozenset({"GET", "HEAD", "OPTIONS"})
# Path segments followed by a name or id: `/orgs/x/teams/y/members` is one endpoint for
# every x and y, as GitHub counts them.
_NAMED = {
    "orgs": "{org}",
    "teams": "{team_slug}",
    "members": "{username}",
    "users": "{username}",
    "installations": "{installation_id}",
}


def points_of(method: str) -> int:
    """What one request costs against an endpoint's points budget (GitHub: GET 1, write 5)."""
    return 1 if method.upper() in _READS else 5


def endpoint_of(method: str, path: str) -> str:
    """The endpoint a request counts against, e.g. ``GET /orgs/{org}/teams/{team_slug}/members``."""
    parts = path.split("?", 1)[0].split("/")
    for i in range(1, len(parts) - 1):
        placeholder = _NAMED.get(parts[i])
        if placeholder is not None and parts[i + 1]:
            parts[i + 1] = placeholder
    return f"{method.upper()} {'/'.join(parts)}"


@dataclass(frozen=True)
class Budgets:
    """The limits a :class:`Ledger` keeps to; ``None`` means unlimited."""

    points_per_minute: int | None = GITHUB_POINTS_PER_MINUTE
    response_time_per_minute_s: float | None = GITHUB_RESPONSE_TIME_PER_MINUTE_S
    window_s: float = WINDOW_S

    @property
    def unlimited(self) -> bool:
        return self.points_per_minute is None and self.response_time_per_minute_s is None


@dataclass(frozen=True)
class Ticket:
    """An admitted request: what it reserved, to be settled by :meth:`Ledger.finish`."""

    endpoint: str
    points: int
    started: float


class Ledger:
    """Per-endpoint points and total response time over a sliding window (not thread-safe)."""

    def __init__(self, budgets: Budgets) -> None:
        self.budgets = budgets
        self._points: dict[str, deque[tuple[float, int]]] = {}
        self._points_sum: dict[str, int] = {}
        self._reserved_points: dict[str, int] = {}
        self._times: deque[tuple[float, float]] = deque()
        self._times_sum = 0.0
        self._recent: deque[float] = deque(maxlen=_RECENT)
        self.in_flight = 0

    def estimate_s(self) -> float:
        """What a request in flight is assumed to cost: the slowest recent answer."""
        return max(self._recent) if self._recent else _FIRST_ESTIMATE_S

    def delay(self, endpoint: str, points: int, now: float) -> float:
        """Seconds until a request to ``endpoint`` costing ``points`` fits both budgets: 0
        now, ``math.inf`` when only an answer to a request in flight can make room."""
        self._expire(now)
        return max(self._points_delay(endpoint, points, now), self._time_delay(now))

    def start(self, endpoint: str, points: int, now: float) -> Ticket:
        """Admit a request (call when :meth:`delay` said 0)."""
        self._reserved_points[endpoint] = self._reserved_points.get(endpoint, 0) + points
        self.in_flight += 1
        return Ticket(endpoint, points, now)

    def finish(self, ticket: Ticket, now: float) -> None:
        """Settle an admitted request: its points and response time enter the window, dated
        ``now`` (when the answer arrived, or the attempt failed)."""
        self._reserved_points[ticket.endpoint] -= ticket.points
        self.in_flight -= 1
        self._points.setdefault(ticket.endpoint, deque()).append((now, ticket.points))
        self._points_sum[ticket.endpoint] = self._points_sum.get(ticket.endpoint, 0) + ticket.points
        elapsed = max(0.0, now - ticket.started)
        self._times.append((now, elapsed))
        self._times_sum += elapsed
        self._recent.append(elapsed)

    # ----------------------------------------------------------------- internals

    def _expire(self, now: float) -> None:
        horizon = now - self.budgets.window_s
        for endpoint, entries in self._points.items():
            while entries and entries[0][0] <= horizon:
                self._points_sum[endpoint] -= entries.popleft()[1]
        while self._times and self._times[0][0] <= horizon:
            self._times_sum -= self._times.popleft()[1]
        if not self._times:
            self._times_sum = 0.0  # no drift from float subtraction

    def _points_delay(self, endpoint: str, points: int, now: float) -> float:
        budget = self.budgets.points_per_minute
        if budget is None:
            return 0.0
        reserved = self._reserved_points.get(endpoint, 0)
        entries = self._points.get(endpoint) or deque()
        used = self._points_sum.get(endpoint, 0) + reserved
        if used + points <= budget or (used == 0):
            return 0.0  # a request dearer than the whole budget still goes, alone
        excess = used + points - budget
        for when, cost in entries:
            excess -= cost
            if excess <= 0:
                return when + self.budgets.window_s - now
        return math.inf  # the window is held by requests in flight

    def _time_delay(self, now: float) -> float:
        budget = self.budgets.response_time_per_minute_s
        if budget is None:
            return 0.0
        estimate = self.estimate_s()
        used = self._times_sum + self.in_flight * estimate
        if used + estimate <= budget or (used == 0.0 and self.in_flight == 0):
            return 0.0
        excess = used + estimate - budget
        for when, elapsed in self._times:
            excess -= elapsed
            if excess <= 0:
                return when + self.budgets.window_s - now
        return math.inf
