"""One command for every figure in docs/benchmarks.md.

    .venv/bin/python -m benchmarks.run [--sizes 1000,10000,100000] [--latency-ms 20]

For each world size it starts `copilot-reconciler simulator serve` on loopback with an
injected latency, then measures, against the same server in the same run:

- our `plan` (serial, and with --concurrency 4): requests (simulator stats), wall time, CPU
  time and peak RSS of the process;
- the alternatives: a Node script paginating the seat list with @octokit/rest's
  `paginate.iterator` (what most tools do), the same script reading the same data our plan
  reads, and a per-user `GET /orgs/{org}/members/{username}/copilot` loop (what a
  resource-per-seat provider does; sampled on large worlds and extrapolated);
- the API minimum computed from the world;
- a second `drift` with the ETag cache on the unchanged org (share of 304s);
- planning CPU in process for the largest world, `validate` start-up time, and apply at
  scale (5,000 users added, 5,000 cancelled);
- at ``--slow-latency-ms`` (100 ms, closer to GitHub's seat pages) on ``--slow-sizes``: our
  plan against a bare reader of the same URLs and the octokit script (benchmarks/pacing.py);
- with the simulator enforcing GitHub's budgets (900 points/min per endpoint, 90 s of
  server time/min) on ``--budget-sizes`` at each of ``--budget-latencies``: our plan at
  ``--budget-concurrency``, its secondary-limit answers and its wall time to the floor.

Figures are printed as a table and saved to benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from benchmarks.measure import Measured, ServerProcess, free_port, run_measured
from benchmarks.pacing import bench_budget, bench_latency
from benchmarks.worlds import ORG, TOKEN, Bench, build, build_apply_at_scale

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
CLI = [sys.executable, "-m", "reconciler"]
PER_USER_SAMPLE = 1000


def _write_bench(bench: Bench, folder: Path) -> tuple[Path, Path]:
    world = folder / "world.json"
    world.write_text(json.dumps(bench.world))
    config = folder / "config"
    config.mkdir(exist_ok=True)
    (config / "org.yaml").write_text(yaml.safe_dump(bench.config, sort_keys=False))
    return world, config


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": url, "NO_COLOR": "1"})
    return env


def _ours(server: ServerProcess, config: Path, *extra: str, cache: Path | None = None) -> Measured:
    cache_args = ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    command = [*CLI, "plan", str(config), "-q", "--format", "json", *cache_args, *extra]
    return run_measured(command, env=_env(server.url), server=server, ok_codes=(0,))


def _octokit(server: ServerProcess, mode: str) -> Measured:
    script = ROOT / "benchmarks" / "octokit_read.mjs"
    command = ["node", str(script), server.url, TOKEN, ORG, mode]
    return run_measured(command, env=_env(server.url), server=server, ok_codes=(0,))


def _per_user(server: ServerProcess, logins: Sequence[str]) -> tuple[Measured, int]:
    sample = list(logins[:PER_USER_SAMPLE])
    command = [sys.executable, "-m", "benchmarks.per_user", server.url, TOKEN, ORG, *sample]
    return run_measured(command, env=_env(server.url), server=server, ok_codes=(0,)), len(sample)


def bench_size(seats: int, latency_ms: int, work: Path) -> dict[str, Any]:
    bench = build(seats)
    folder = work / f"w{seats}"
    folder.mkdir()
    world, config = _write_bench(bench, folder)
    row: dict[str, Any] = {"seats": seats, "minimum_requests": bench.minimum_plan_requests}
    with ServerProcess(world, port=free_port(), latency_ms=latency_ms) as server:
        row["load_s"] = server.startup_s
        row["ours_serial"] = _ours(server, config).as_dict()
        row["ours_concurrency_4"] = _ours(server, config, "--concurrency", "4").as_dict()
        if shutil.which("node") and (ROOT / "benchmarks" / "node_modules").exists():
            row["octokit_seats"] = _octokit(server, "seats").as_dict()
            row["octokit_same_reads"] = _octokit(server, "same").as_dict()
        measured, sampled = _per_user(server, bench.seat_logins)
        per_user = measured.as_dict()
        per_user["sampled"] = sampled
        per_user["requests_full"] = len(bench.seat_logins)
        per_user["wall_s_extrapolated"] = measured.wall_s * len(bench.seat_logins) / sampled
        row["per_user_loop"] = per_user
        # The nightly drift job runs on a converged org: export its live state (a config that
        # plans empty), then run drift twice with one cache; the second run is the figure.
        in_sync = folder / "in-sync"
        export = [*CLI, "export", "--org", ORG, "--out", str(in_sync), "-q", "--no-cache"]
        row["export"] = run_measured(
            export, env=_env(server.url), server=server, ok_codes=(0,)
        ).as_dict()
        cache = folder / "cache"
        drift = [*CLI, "drift", str(in_sync), "-q", "--cache-dir", str(cache)]
        run_measured(drift, env=_env(server.url), server=server, ok_codes=(0,))
        second = run_measured(drift, env=_env(server.url), server=server, ok_codes=(0,))
        row["etag_second_run"] = second.as_dict()
    return row


def bench_validate() -> dict[str, float]:
    target = ROOT / "examples" / "small-org"
    times = []
    for _ in range(7):
        start = time.perf_counter()
        subprocess.run([*CLI, "validate", "-q", str(target)], check=True)
        times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "min_s": min(times)}


def bench_planning_cpu(seats: int) -> dict[str, float]:
    """The planner alone, in process, on a live state read from an in-process simulator."""
    from reconciler.config import load_desired_state
    from reconciler.github import ClientSettings, GitHubClient, TokenAuth
    from reconciler.plan.planner import plan
    from reconciler.reconcile.engine import Engine
    from reconciler.simulator import Simulator

    bench = build(seats)
    with tempfile.TemporaryDirectory() as tmp:
        _, config = _write_bench(bench, Path(tmp))
        desired = load_desired_state([str(config)])
    sim = Simulator(bench.world)
    client = GitHubClient(
        ClientSettings(mutation_interval_s=0), TokenAuth(TOKEN), transport=sim.transport()
    )
    engine = Engine(client, clock=sim.now)
    live = engine.read(desired)
    now = sim.now()
    start = time.process_time()
    result = plan(desired, live, today=now.date(), now=now)
    cpu = time.process_time() - start
    client.close()
    return {"seats": seats, "plan_cpu_s": cpu, "changes": len(result.changes)}


def bench_apply_at_scale(work: Path) -> dict[str, Any]:
    bench = build_apply_at_scale()
    folder = work / "apply"
    folder.mkdir()
    world, config = _write_bench(bench, folder)
    with ServerProcess(world, port=free_port(), latency_ms=0) as server:
        command = [*CLI, "apply", str(config), "--yes", "--force", "-q", "--no-cache"]
        measured = run_measured(command, env=_env(server.url), server=server, ok_codes=(0,))
    by_op = measured.by_operation
    return {
        "added": 5000,
        "cancelled": 5000,
        "post_selected_users": by_op.get("POST /orgs/{org}/copilot/billing/selected_users", 0),
        "delete_selected_users": by_op.get("DELETE /orgs/{org}/copilot/billing/selected_users", 0),
        "wall_s": measured.wall_s,
        "requests": measured.requests,
    }


def _link_node_modules() -> None:
    # The octokit script resolves @octokit/rest from benchmarks/node_modules; reuse the copy
    # that .ci/run installs for the interoperability tests instead of a second install.
    link = ROOT / "benchmarks" / "node_modules"
    source = ROOT / "tests" / "node" / "node_modules"
    if source.exists() and not link.exists():
        link.symlink_to(source, target_is_directory=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--skip-apply", action="store_true")
    parser.add_argument("--slow-latency-ms", type=int, default=100)
    parser.add_argument("--slow-sizes", default="20000", help="'' to skip")
    parser.add_argument("--budget-sizes", default="100000", help="'' to skip")
    parser.add_argument("--budget-latencies", default="20,300")
    parser.add_argument("--budget-concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    _link_node_modules()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    results: dict[str, Any] = {"latency_ms": args.latency_ms, "sizes": []}
    octokit = (
        _octokit
        if shutil.which("node") and (ROOT / "benchmarks" / "node_modules").exists()
        else None
    )
    runners = {"write": _write_bench, "env": _env, "ours": _ours, "octokit": octokit}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for seats in sizes:
            row = bench_size(seats, args.latency_ms, work)
            results["sizes"].append(row)
            print(json.dumps(row, indent=2), flush=True)
        results["latency"] = []
        for seats in [int(s) for s in args.slow_sizes.split(",") if s]:
            row = bench_latency(seats, args.slow_latency_ms, work, runners)
            results["latency"].append(row)
            print(json.dumps(row, indent=2), flush=True)
        results["budget"] = []
        for seats in [int(s) for s in args.budget_sizes.split(",") if s]:
            for latency in [int(s) for s in args.budget_latencies.split(",") if s]:
                row = bench_budget(seats, latency, args.budget_concurrency, work, runners)
                results["budget"].append(row)
                print(json.dumps(row, indent=2), flush=True)
        if sizes:
            results["validate"] = bench_validate()
            results["planning_cpu"] = bench_planning_cpu(max(sizes))
        if not args.skip_apply:
            results["apply_at_scale"] = bench_apply_at_scale(work)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))
    from benchmarks.report import print_report

    print_report(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
