"""Scale of the simulator: load a world of 100,000 seats and serve pages of 100 seats.

Targets (issue #3): the world loads in under 10 s; a page of 100 seats takes under 10 ms of
server time. "Server time" is Simulator.handle, the core both transports call, measured in
process (no socket, no client). Run: .venv/bin/python benchmarks/simulator_scale.py [SEATS]
This is a measurement, not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from reconciler.simulator import Simulator

TOKEN = "bench-token"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "X-GitHub-Api-Version": "2022-11-28"}


def build_world(seats: int) -> dict[str, Any]:
    """An org where half the seats come from 100 selected teams and half are direct."""
    logins = [f"user-{i:06d}" for i in range(seats)]
    teams = {
        f"team-{t:03d}": {"name": f"Team {t}", "members": logins[t : seats // 2 : 100]}
        for t in range(100)
    }
    details = {
        login: {
            "created_at": "2026-01-05T10:00:00Z",
            "last_activity_at": "2026-11-20T09:00:00Z",
            "last_activity_editor": "vscode/1.95.0",
        }
        for login in logins[::10]
    }
    return {
        "now": "2026-11-24T12:00:00Z",
        "tokens": {TOKEN: {"login": "admin", "scopes": ["manage_billing:copilot", "read:org"]}},
        "orgs": {
            "big-org": {
                "owners": ["admin"],
                "members": logins,
                "teams": teams,
                "selected_teams": list(teams),
                "selected_users": logins[seats // 2 :],
                "seats": details,
            }
        },
    }


def timed(action: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def serve_pages(sim: Simulator, seats: int, count: int) -> list[float]:
    """Milliseconds of Simulator.handle for `count` random pages of 100 seats."""
    rng = random.Random(0)
    last_page = -(-seats // 100)
    times = []
    for _ in range(count):
        page = rng.randint(1, last_page)
        target = f"/orgs/big-org/copilot/billing/seats?per_page=100&page={page}"
        started = time.perf_counter()
        status, _, body = sim.handle("GET", target, HEADERS, b"", base_url="https://api.github.com")
        times.append((time.perf_counter() - started) * 1000)
        if status != 200 or body.count(b'"assignee"') != 100:
            raise RuntimeError(f"unexpected answer {status}")
    return times


def main(seats: int) -> None:
    world = build_world(seats)
    with tempfile.TemporaryDirectory() as folder:
        paths = {"json": Path(folder, "world.json"), "yaml": Path(folder, "world.yaml")}
        paths["json"].write_text(json.dumps(world))
        paths["yaml"].write_text(yaml.dump(world, Dumper=yaml.CSafeDumper))
        print(f"world: {seats:,} seats, {len(world['orgs']['big-org']['teams'])} teams")
        for kind, path in paths.items():
            size = path.stat().st_size / 1e6
            elapsed, sim = timed(lambda p=path: Simulator.from_file(p))
            print(f"load {kind:4} ({size:5.1f} MB): {elapsed:6.2f} s   (target < 10 s)")
        # The seat order is sorted at load and cached until the seats change.
        first = serve_pages(sim, seats, 1)[0]
        times = serve_pages(sim, seats, 300)
        times.sort()
        print(f"first page of 100 seats: {first:6.2f} ms")
        print(
            f"page of 100 seats, 300 random pages: median {statistics.median(times):.2f} ms, "
            f"p95 {times[int(len(times) * 0.95)]:.2f} ms, max {times[-1]:.2f} ms   (target < 10 ms)"
        )
        sim.set_faults(unstable_order=True, seed=1)
        unstable = sorted(serve_pages(sim, seats, 100))
        print(f"same with unstable_order: median {statistics.median(unstable):.2f} ms")
        elapsed, _ = timed(
            lambda: sim.handle(
                "GET", "/orgs/big-org/copilot/billing", HEADERS, b"", base_url="https://x"
            )
        )
        print(f"billing (seat breakdown over every seat): {elapsed * 1000:6.2f} ms")
        elapsed, _ = timed(sim.world)
        print(f"dump the world: {elapsed:6.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
