"""Fault injection: latency, 5xx answers, dropped connections, secondary rate limits and an
unstable seat order, all drawn from one seeded random generator so that runs reproduce; and
the settings of GitHub's secondary-limit budgets (see reconciler.simulator.budgets)."""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

from reconciler.simulator.budgets import BudgetSettings


class ConnectionDropped(Exception):
    """The connection must close without an answer (both transports turn this into a drop)."""


@dataclass(frozen=True)
class FaultSettings:
    """The settings of ``PUT /_simulator/faults``, plus the configurable limits."""

    latency_ms: int = 0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    secondary_rate_limit_every: int = 0
    retry_after_s: int = 1
    unstable_order: bool = False
    seed: int = 0
    #: The primary rate limit: requests per token and hour.
    rate_limit_per_hour: int = 5000
    #: The largest content-exclusion PUT body accepted before 413.
    content_exclusion_max_bytes: int = 256 * 1024
    #: Users per user-level usage-report file (a report has one download link per file).
    report_users_per_file: int = 1000
    #: How long a report download link stays valid, in seconds of simulator time.
    report_link_lifetime_s: int = 3600
    #: GitHub's secondary limits, each 0 (off) unless set: requests in flight at once,
    #: points per endpoint (GET 1, write 5) and seconds of server time, per budget window.
    concurrent_limit: int = 0
    points_per_minute: int = 0
    server_time_per_minute_s: int = 0
    budget_window_s: int = 60

    @classmethod
    def from_mapping(cls, settings: dict[str, Any]) -> FaultSettings:
        """Validated settings; absent keys take their defaults. Raises ValueError."""
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(settings) - set(known))
        if unknown:
            raise ValueError(f"unknown fault setting(s): {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for name, value in settings.items():
            default = getattr(cls, name)
            if isinstance(default, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"{name} must be true or false")
            elif isinstance(default, int):
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError(f"{name} must be a non-negative integer")
            elif (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0.0 <= float(value) <= 1.0
            ):
                raise ValueError(f"{name} must be a number between 0 and 1")
            values[name] = float(value) if isinstance(default, float) else value
        if values.get("budget_window_s") == 0:
            raise ValueError("budget_window_s must be at least 1")
        return cls(**values)

    def budgets(self) -> BudgetSettings:
        """The secondary-limit budgets these settings turn on."""
        return BudgetSettings(
            concurrent_limit=self.concurrent_limit,
            points_per_minute=self.points_per_minute,
            server_time_per_minute_s=self.server_time_per_minute_s,
            window_s=float(self.budget_window_s),
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Decision:
    """What the faults do to one API request."""

    latency_s: float = 0.0
    drop: bool = False
    apply_then_drop: bool = False
    error_status: int | None = None
    secondary: bool = False
    order_seed: int | None = None


class Faults:
    """The current settings and the seeded generator; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.settings = FaultSettings()
        self._rng = random.Random(0)
        self._count = 0

    def configure(self, settings: dict[str, Any]) -> None:
        """Replace every setting (absent keys take defaults) and reseed."""
        new = FaultSettings.from_mapping(settings)
        with self._lock:
            self.settings = new
            self._rng = random.Random(new.seed)
            self._count = 0

    def decide(self, mutation: bool) -> Decision:
        """Draw the faults of the next API request."""
        with self._lock:
            s = self.settings
            self._count += 1
            latency = s.latency_ms / 1000.0
            if s.drop_rate and self._rng.random() < s.drop_rate:
                # The nasty real case: half of the dropped mutations were applied and only
                # the answer was lost.
                applied = mutation and self._rng.random() < 0.5
                return Decision(latency, drop=True, apply_then_drop=applied)
            if s.error_rate and self._rng.random() < s.error_rate:
                return Decision(latency, error_status=self._rng.choice((500, 502, 503, 504)))
            if s.secondary_rate_limit_every and self._count % s.secondary_rate_limit_every == 0:
                return Decision(latency, secondary=True)
            order_seed = self._rng.getrandbits(32) if s.unstable_order else None
            return Decision(latency, order_seed=order_seed)
