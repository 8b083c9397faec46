"""Request accounting: the ``GET /_simulator/stats`` counters and the primary rate limit."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any


class Stats:
    """Counters of API requests (control calls and report downloads are not counted)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.total = 0
        self.mutations = 0
        self.not_modified = 0
        self.by_operation: Counter[str] = Counter()

    def answered(self, operation: str, status: int, mutation: bool) -> None:
        self.total += 1
        self.by_operation[operation] += 1
        if mutation:
            self.mutations += 1
        if status == 304:
            self.not_modified += 1

    def dropped(self, mutation: bool) -> None:
        # A dropped request has no answer, so only `mutations` ("whatever their answer") sees it.
        if mutation:
            self.mutations += 1

    def snapshot(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "mutations": self.mutations,
            "not_modified": self.not_modified,
            "by_operation": dict(sorted(self.by_operation.items())),
        }


@dataclass
class _Window:
    started: float
    used: int = 0


class RateLimits:
    """GitHub's primary limit: a budget of requests per identity and hour, on the wall clock
    (clients sleep until ``x-ratelimit-reset``, so it must be real time)."""

    WINDOW_S = 3600

    def __init__(self) -> None:
        self._windows: dict[str, _Window] = {}

    def _window(self, identity: str) -> _Window:
        now = time.time()
        window = self._windows.get(identity)
        if window is None or now >= window.started + self.WINDOW_S:
            window = self._windows[identity] = _Window(now)
        return window

    def exhausted(self, identity: str, limit: int) -> bool:
        return self._window(identity).used >= limit

    def consume(self, identity: str) -> None:
        self._window(identity).used += 1

    def headers(self, identity: str, limit: int) -> list[tuple[str, str]]:
        window = self._window(identity)
        return [
            ("x-ratelimit-limit", str(limit)),
            ("x-ratelimit-remaining", str(max(0, limit - window.used))),
            ("x-ratelimit-used", str(window.used)),
            ("x-ratelimit-reset", str(int(window.started + self.WINDOW_S))),
            ("x-ratelimit-resource", "core"),
        ]

    def reset(self) -> None:
        self._windows.clear()
