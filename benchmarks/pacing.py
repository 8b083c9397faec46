"""The wall-time figures of issue 14: at 100 ms per request against a bare reader of the same
URLs, and under the simulator's enforcement of GitHub's secondary-limit budgets.

- ``bench_latency``: our plan (serial and ``--concurrency 4``), a bare reader of exactly the
  URLs our plan reads (``benchmarks/bare_read.py``, on 1 and 4 threads) and the octokit
  script, against one server; each wall time also as a ratio to its latency floor
  (requests / threads x latency).
- ``bench_budget``: our plan at ``--concurrency 8`` against a server that enforces 900
  points per minute per endpoint and 90 s of server time per minute, answering 403 with
  ``retry-after: 60`` as GitHub does; the secondary-limit answers it got (the target is
  none) and its wall time against the floor of the tighter budget.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.measure import Measured, ServerProcess, free_port, run_measured
from benchmarks.worlds import ORG, TOKEN, Bench, build
from reconciler.github.budget import endpoint_of

GITHUB_POINTS_PER_MINUTE = 900
GITHUB_SERVER_TIME_PER_MINUTE_S = 90


def plan_paths(bench: Bench) -> list[str]:
    """Every URL a plan of ``bench`` reads, in the order a serial plan reads them."""
    seats = f"/orgs/{ORG}/copilot/billing/seats?per_page=100&page="
    paths = [f"/orgs/{ORG}/copilot/billing"]
    paths += [f"{seats}{page}" for page in range(1, max(1, math.ceil(bench.seats / 100)) + 1)]
    for slug, members in sorted(bench.teams.items()):
        pages = max(1, math.ceil(len(members) / 100))
        paths += [
            f"/orgs/{ORG}/teams/{slug}/members?per_page=100&page={page}"
            for page in range(1, pages + 1)
        ]
    paths.append(f"/orgs/{ORG}/copilot/content_exclusion")
    paths += [f"/orgs/{ORG}/members/{login}" for login in bench.new_users]
    assert len(paths) == bench.minimum_plan_requests
    return paths


def _bare(server: ServerProcess, env: dict[str, str], paths: list[str], threads: int) -> Measured:
    command = [sys.executable, "-m", "benchmarks.bare_read", server.url, TOKEN, str(threads)]
    return run_measured(command, env=env, server=server, ok_codes=(0,), stdin="\n".join(paths))


def _with_floor(measured: Measured, floor_s: float) -> dict[str, Any]:
    row = measured.as_dict()
    row["floor_s"] = round(floor_s, 3)
    row["to_floor"] = round(measured.wall_s / floor_s, 3) if floor_s else None
    return row


def bench_latency(
    seats: int, latency_ms: int, work: Path, runners: dict[str, Any]
) -> dict[str, Any]:
    """Ours, the bare reader and octokit at ``latency_ms``; ``runners`` gives the callables of
    benchmarks.run (``write``, ``env``, ``ours``, ``octokit``) so both share one setup."""
    bench = build(seats)
    folder = work / f"latency{latency_ms}-{seats}"
    folder.mkdir()
    world, config = runners["write"](bench, folder)
    paths = plan_paths(bench)
    latency = latency_ms / 1000
    row: dict[str, Any] = {"seats": seats, "latency_ms": latency_ms, "requests": len(paths)}
    with ServerProcess(world, port=free_port(), latency_ms=latency_ms) as server:
        env = runners["env"](server.url)
        for threads in (1, 4):
            floor = math.ceil(len(paths) / threads) * latency
            ours = runners["ours"](server, config, "--concurrency", str(threads))
            bare = _bare(server, env, paths, threads)
            row[f"ours_c{threads}"] = _with_floor(ours, floor)
            row[f"bare_c{threads}"] = _with_floor(bare, floor)
            row[f"ours_to_bare_c{threads}"] = round(ours.wall_s / bare.wall_s, 3)
        if runners.get("octokit") is not None:
            seat_pages = max(1, math.ceil(seats / 100))
            octokit = runners["octokit"](server, "seats")
            row["octokit_seats"] = _with_floor(octokit, seat_pages * latency)
            row["ours_c4_to_octokit_seats"] = round(row["ours_c4"]["wall_s"] / octokit.wall_s, 3)
            row["perfect_packing_c4_to_octokit_seats"] = round(
                math.ceil(len(paths) / 4) / seat_pages, 3
            )
    return row


def budget_floor_s(paths: list[str], latency_ms: int) -> dict[str, float]:
    """The floors GitHub's budgets set, for the busiest endpoint's points (900 a minute) and
    for the server time (at least the latency of every request; 90 s a minute), each two ways:
    at the budget's steady rate (1,000 seat pages: 66.7 s), and by the sliding window, which
    lets a full budget go at once and the next one a window later (1,000 pages: 60 s)."""
    busiest = max(Counter(endpoint_of("GET", path) for path in paths).values())
    server_s = len(paths) * latency_ms / 1000
    floors = {}
    for name, used, budget in (
        ("points", busiest, GITHUB_POINTS_PER_MINUTE),
        ("server_time", server_s, GITHUB_SERVER_TIME_PER_MINUTE_S),
    ):
        floors[f"{name}_rate_floor_s"] = round(used / budget * 60, 3)
        floors[f"{name}_window_floor_s"] = (math.ceil(used / budget) - 1) * 60.0
    return floors


def bench_budget(
    seats: int, latency_ms: int, concurrency: int, work: Path, runners: dict[str, Any]
) -> dict[str, Any]:
    """Ours at ``--concurrency`` against a simulator enforcing GitHub's budgets."""
    bench = build(seats)
    folder = work / f"budget{latency_ms}-{seats}"
    folder.mkdir()
    world, config = runners["write"](bench, folder)
    paths = plan_paths(bench)
    faults = {
        "points_per_minute": GITHUB_POINTS_PER_MINUTE,
        "server_time_per_minute_s": GITHUB_SERVER_TIME_PER_MINUTE_S,
        "concurrent_limit": 100,
        "retry_after_s": 60,
    }
    row: dict[str, Any] = {"seats": seats, "latency_ms": latency_ms, "concurrency": concurrency}
    row.update(budget_floor_s(paths, latency_ms))
    rate_floor = max(row["points_rate_floor_s"], row["server_time_rate_floor_s"])
    window_floor = max(row["points_window_floor_s"], row["server_time_window_floor_s"])
    with ServerProcess(world, port=free_port(), latency_ms=latency_ms, faults=faults) as server:
        ours = runners["ours"](
            server,
            config,
            "--concurrency",
            str(concurrency),
            "--points-per-minute",
            str(GITHUB_POINTS_PER_MINUTE),
            "--response-time-per-minute",
            str(GITHUB_SERVER_TIME_PER_MINUTE_S),
        )
    row["ours"] = _with_floor(ours, rate_floor)
    row["ours"]["to_window_floor"] = round(ours.wall_s / window_floor, 3) if window_floor else None
    return row
