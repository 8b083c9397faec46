"""Measuring a command against a `simulator serve` process: requests, wall, CPU, peak RSS."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerProcess:
    """`copilot-reconciler simulator serve` in a child process, on loopback."""

    def __init__(
        self, world: Path, *, port: int, latency_ms: int, faults: Mapping[str, Any] | None = None
    ) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self._latency_ms = latency_ms
        self._faults = dict(faults or {})
        self._command = [
            sys.executable, "-m", "reconciler", "simulator", "serve", "--state", str(world),
            "--port", str(port), "--latency-ms", str(latency_ms), "-q",
        ]  # fmt: skip
        self._process: subprocess.Popen[bytes] | None = None
        self.startup_s = 0.0

    def __enter__(self) -> ServerProcess:
        start = time.perf_counter()
        self._process = subprocess.Popen(self._command)
        deadline = start + 120
        while time.perf_counter() < deadline:
            try:
                httpx.get(f"{self.url}/_simulator/stats", timeout=1).raise_for_status()
                self.startup_s = time.perf_counter() - start
                # Every measurement shares one token: lift GitHub's 5,000-an-hour budget so
                # that a 100,000-seat run measures reads, not the limit. (PUT replaces all
                # fault settings, so the latency goes in again.)
                faults = {
                    "latency_ms": self._latency_ms,
                    "rate_limit_per_hour": 10**9,
                    **self._faults,
                }
                httpx.put(f"{self.url}/_simulator/faults", json=faults).raise_for_status()
                return self
            except httpx.HTTPError:
                if self._process.poll() is not None:
                    raise RuntimeError("simulator serve exited during start-up") from None
                time.sleep(0.1)
        raise RuntimeError("simulator serve did not answer within 120 s")

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=30)

    def stats(self) -> dict[str, Any]:
        answer: dict[str, Any] = httpx.get(f"{self.url}/_simulator/stats", timeout=10).json()
        return answer

    def limits(self) -> dict[str, Any]:
        """Requests in flight at most, and secondary-limit answers, since the last reset."""
        answer: dict[str, Any] = httpx.get(f"{self.url}/_simulator/limits", timeout=10).json()
        return answer

    def reset_stats(self) -> None:
        httpx.delete(f"{self.url}/_simulator/stats", timeout=10).raise_for_status()


@dataclass(frozen=True)
class Measured:
    """One command's figures; requests are what the simulator counted while it ran."""

    wall_s: float
    cpu_s: float
    max_rss_mb: float
    requests: int
    not_modified: int
    mutations: int
    by_operation: Mapping[str, int] = field(default_factory=dict)
    #: The most requests in flight at once and the secondary-limit answers during the run.
    max_in_flight: int = 0
    secondary_limited: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "wall_s": round(self.wall_s, 3),
            "cpu_s": round(self.cpu_s, 3),
            "max_rss_mb": round(self.max_rss_mb, 1),
            "requests": self.requests,
            "not_modified": self.not_modified,
            "mutations": self.mutations,
            "max_in_flight": self.max_in_flight,
            "secondary_limited": self.secondary_limited,
        }


def run_measured(
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    server: ServerProcess,
    ok_codes: Sequence[int],
    stdin: str | None = None,
) -> Measured:
    """Run ``command`` to completion; CPU and peak RSS come from wait4 on that child alone.
    The simulator's stats are reset first (the in-flight peak is per run)."""
    server.reset_stats()
    before = server.stats()
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        env=dict(env),
        stdout=subprocess.DEVNULL,
        stdin=subprocess.PIPE if stdin is not None else None,
    )
    if stdin is not None and process.stdin is not None:
        process.stdin.write(stdin.encode())
        process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok_codes:
        raise RuntimeError(f"{command[:4]} exited {process.returncode}")
    after = server.stats()
    limits = server.limits()
    by_op = {
        op: after["by_operation"].get(op, 0) - before["by_operation"].get(op, 0)
        for op in after["by_operation"]
    }
    return Measured(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024,  # Linux reports kilobytes
        requests=after["total"] - before["total"],
        not_modified=after["not_modified"] - before["not_modified"],
        mutations=after["mutations"] - before["mutations"],
        by_operation={op: n for op, n in by_op.items() if n},
        max_in_flight=limits["max_in_flight"],
        secondary_limited=limits["secondary_limited"],
    )
