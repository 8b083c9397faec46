"""GitHub's secondary rate limits, enforced when asked: concurrency, points and server time.

GitHub ("Rate limits for the REST API") refuses, with a 403 and ``retry-after``, a client that
has more than 100 requests in flight, sends more than 900 points per minute to one endpoint
(GET 1 point, a write 5) or costs more than 90 s of server time per 60 s. Each limit is off
(0) unless a fault setting turns it on (``concurrent_limit``, ``points_per_minute``,
``server_time_per_minute_s``, over ``budget_window_s``). Server time is the time from a
request's arrival to its answer, injected latency included. The budgets are the
simulator's, shared by every token (a test or benchmark uses one).

Every API request is counted in flight, limits on or off, so that tests and benchmarks can
check a client's concurrency (``max_in_flight``).
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

_MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class BudgetSettings:
    """The limits in force; 0 means off."""

    concurrent_limit: int = 0
    points_per_minute: int = 0
    server_time_per_minute_s: int = 0
    window_s: float = 60.0


@dataclass(frozen=True)
class Arrival:
    """A request being served: when it arrived and whether a budget refused it."""

    started: float
    refused: str | None


class Budgets:
    """The sliding windows and the in-flight count; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._points: dict[str, deque[tuple[float, int]]] = {}
        self._times: deque[tuple[float, float]] = deque()
        self.reset()

    def reset(self) -> None:
        """Forget the counters (not the windows: a reset must not hand out a new budget)."""
        with self._lock:
            self.in_flight = 0
            self.max_in_flight = 0
            self.refused = 0

    def arrive(self, operation: str, method: str, limits: BudgetSettings, now: float) -> Arrival:
        """Count a request in flight; say which limit refuses it, if one does."""
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            refused = self._refusal(operation, method, limits, now)
            if refused is not None:
                self.refused += 1
            return Arrival(now, refused)

    def leave(self, arrival: Arrival, now: float) -> None:
        """The request was answered (or dropped): its server time enters the window."""
        with self._lock:
            self.in_flight -= 1
            if arrival.refused is None:
                self._times.append((now, now - arrival.started))

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "in_flight": self.in_flight,
                "max_in_flight": self.max_in_flight,
                "secondary_limited": self.refused,
            }

    def _refusal(
        self, operation: str, method: str, limits: BudgetSettings, now: float
    ) -> str | None:
        horizon = now - limits.window_s
        if limits.concurrent_limit and self.in_flight > limits.concurrent_limit:
            return "concurrent requests"
        if limits.server_time_per_minute_s:
            while self._times and self._times[0][0] <= horizon:
                self._times.popleft()
            if sum(t for _, t in self._times) > limits.server_time_per_minute_s:
                return "server time"
        if limits.points_per_minute:
            cost = 5 if method in _MUTATING else 1
            window = self._points.setdefault(operation, deque())
            while window and window[0][0] <= horizon:
                window.popleft()
            if sum(p for _, p in window) + cost > limits.points_per_minute:
                return "points per minute"
            window.append((now, cost))
        return None
