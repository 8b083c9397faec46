"""CPU per request of the HTTP layer: httpx's own transport (httpcore and h11), ours
(:class:`reconciler.github.transport.HTTP11Transport`, http.client behind the httpx seam) and
bare http.client, side by side on the same server and the same URLs (every request a plan of a
20,000-seat world makes: seat pages of about 236 KB, team pages, checks), serially on one
keep-alive connection, bodies read whole and dropped.

    python -m benchmarks.transport [--latency-ms 20] [--rounds 3]

CPU is this process's (user + system, from getrusage) while it only sends requests: the
simulator runs in a child process. Each client runs once per round, in turn, so that a
slower minute of a shared machine falls on all three alike.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx

from benchmarks.bare_read import read_paths
from benchmarks.measure import ServerProcess, free_port
from benchmarks.pacing import plan_paths
from benchmarks.worlds import TOKEN, build
from reconciler.github.transport import HTTP11Transport

_HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "Accept": "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _through(transport: httpx.BaseTransport, url: str, paths: Sequence[str]) -> None:
    # Requests are built as the requester builds them: by an httpx.Client, sent past it.
    builder = httpx.Client(base_url=url, headers=_HEADERS)
    with transport:
        for path in paths:
            response = transport.handle_request(builder.build_request("GET", path))
            response.read()
            _check(path, response.status_code)


def _check(path: str, status: int) -> None:
    # A membership check of a user outside the org answers 404; anything else is a failure.
    if not (200 <= status < 300 or status == 404):
        raise RuntimeError(f"{path}: {status}")


def _bare(url: str, paths: Sequence[str]) -> None:
    host, port = url.removeprefix("http://").split(":")
    errors: list[str] = []
    read_paths(host, int(port), TOKEN, iter(paths), threading.Lock(), errors)
    if errors:
        raise RuntimeError(errors[0])


def bench_transports(seats: int, latency_ms: int, rounds: int) -> dict[str, object]:
    bench = build(seats)
    paths = plan_paths(bench)
    clients: dict[str, Callable[[str], None]] = {
        "httpx.HTTPTransport": lambda url: _through(httpx.HTTPTransport(), url, paths),
        "HTTP11Transport (ours)": lambda url: _through(HTTP11Transport(max_idle=2), url, paths),
        "bare http.client (the bare reader)": lambda url: _bare(url, paths),
    }
    cpu: dict[str, list[float]] = {name: [] for name in clients}
    wall: dict[str, list[float]] = {name: [] for name in clients}
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp) / "world.json"
        world.write_text(json.dumps(bench.world))
        with ServerProcess(world, port=free_port(), latency_ms=latency_ms) as server:
            for _ in range(rounds):
                for name, client in clients.items():
                    cpu_start, wall_start = _cpu(), time.perf_counter()
                    client(server.url)
                    cpu[name].append((_cpu() - cpu_start) * 1000 / len(paths))
                    wall[name].append(time.perf_counter() - wall_start)
    return {
        "seats": seats,
        "latency_ms": latency_ms,
        "requests": len(paths),
        "cpu_ms_per_request": {name: sorted(values) for name, values in cpu.items()},
        "wall_s": {name: sorted(values) for name, values in wall.items()},
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seats", type=int, default=20_000)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    result = bench_transports(args.seats, args.latency_ms, args.rounds)
    print(json.dumps(result, indent=2))
    requests = result["requests"]
    print(f"\nCPU per request over {requests} requests at {args.latency_ms} ms (median of rounds):")
    medians = {
        name: values[len(values) // 2]
        for name, values in result["cpu_ms_per_request"].items()  # type: ignore[attr-defined]
    }
    for name, median in medians.items():
        print(f"  {name:36s} {median:.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
