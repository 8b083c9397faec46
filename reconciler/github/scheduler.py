"""The one gate every request of a client passes: at most N in flight, within GitHub's budgets.

``--concurrency N`` promises at most N requests in flight, whatever is being read and however
many threads read it; :class:`Scheduler` keeps that promise for the whole client and, through
a :class:`~reconciler.github.budget.Ledger`, paces requests so that no endpoint exceeds its
points per minute and the sum of response times stays within its budget. Retries, token
exchanges and writes pass the same gate (each attempt is a request to GitHub).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from reconciler.github.budget import Budgets, Ledger, Ticket, endpoint_of, points_of
from reconciler.typing import Log

#: Pauses shorter than this are routine pacing and not logged.
_ANNOUNCE_S = 1.0


class Scheduler:
    """Admits requests one at a time under a lock; thread-safe.

    Waiting for a place in flight uses a condition variable (an answer wakes the waiters at
    once); waiting for a budget window to slide calls ``sleep`` outside the lock. ``clock``
    and ``sleep`` are the client's, so a test with a fake pair never really waits.
    """

    def __init__(
        self,
        concurrency: int,
        budgets: Budgets,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        log: Log | None = None,
    ) -> None:
        self.concurrency = max(1, concurrency)
        self.budgets = budgets
        self._ledger = Ledger(budgets)
        self._clock = clock
        self._sleep = sleep
        self._log = log or (lambda _line: None)
        self._cond = threading.Condition()

    @contextmanager
    def slot(self, method: str, path: str) -> Iterator[None]:
        """Hold one of the N places for the duration of one request (send and read)."""
        ticket = self._acquire(endpoint_of(method, path), points_of(method))
        try:
            yield
        finally:
            with self._cond:
                self._ledger.finish(ticket, self._clock())
                self._cond.notify_all()

    def _acquire(self, endpoint: str, points: int) -> Ticket:
        with self._cond:
            announced = False
            while True:
                now = self._clock()
                if self._ledger.in_flight >= self.concurrency:
                    delay = math.inf
                else:
                    delay = self._ledger.delay(endpoint, points, now)
                    if delay <= 0:
                        return self._ledger.start(endpoint, points, now)
                    if delay >= _ANNOUNCE_S and not announced:
                        announced = True
                        self._log(
                            f"pacing {endpoint}: waiting {delay:.1f} s to stay within GitHub's "
                            f"secondary rate limits ({self._describe()})"
                        )
                if delay == math.inf:
                    self._cond.wait()
                    continue
                self._cond.release()
                try:
                    self._sleep(delay)
                finally:
                    self._cond.acquire()

    def _describe(self) -> str:
        parts = []
        if self.budgets.points_per_minute is not None:
            parts.append(f"{self.budgets.points_per_minute} points/min per endpoint")
        if self.budgets.response_time_per_minute_s is not None:
            parts.append(f"{self.budgets.response_time_per_minute_s:g} s of response time/min")
        return ", ".join(parts)
