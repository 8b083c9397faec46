"""Printing the benchmark figures as a table, with ratios against the alternatives."""

from __future__ import annotations

from typing import Any


def _ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "n/a"


def print_report(results: dict[str, Any]) -> None:
    print(f"\nlatency injected: {results['latency_ms']} ms per request")
    header = (
        f"{'seats':>7} | {'min req':>7} | {'our req':>7} | {'wall s':>7} | {'cpu s':>6} | "
        f"{'rss MB':>6} | {'c=4 wall':>8} | {'octokit':>8} | {'same rd':>8} | "
        f"{'ours/oct':>8} | {'c4/oct':>6} | {'per-user req':>12} | {'per-user s':>10} | {'304s':>5}"
    )
    print(header)
    print("-" * len(header))
    for row in results["sizes"]:
        ours = row["ours_serial"]
        c4 = row["ours_concurrency_4"]
        octo = row.get("octokit_seats", {}).get("wall_s", 0.0)
        same = row.get("octokit_same_reads", {}).get("wall_s", 0.0)
        per_user = row["per_user_loop"]
        etag = row["etag_second_run"]
        share = etag["not_modified"] / etag["requests"] if etag["requests"] else 0.0
        print(
            f"{row['seats']:>7} | {row['minimum_requests']:>7} | {ours['requests']:>7} | "
            f"{ours['wall_s']:>7.2f} | {ours['cpu_s']:>6.2f} | {ours['max_rss_mb']:>6.1f} | "
            f"{c4['wall_s']:>8.2f} | {octo:>8.2f} | {same:>8.2f} | "
            f"{_ratio(ours['wall_s'], octo):>8} | {_ratio(c4['wall_s'], octo):>6} | "
            f"{per_user['requests_full']:>12} | {per_user['wall_s_extrapolated']:>10.1f} | "
            f"{share:>5.0%}"
        )
    _print_latency(results.get("latency", []))
    _print_budget(results.get("budget", []))
    if "validate" in results:
        validate = results["validate"]
        print(f"\nvalidate (small config), from process start: median {validate['median_s']:.3f} s")
        cpu = results["planning_cpu"]
        print(f"planner alone, {cpu['seats']} seats: {cpu['plan_cpu_s']:.3f} s CPU")
    if "apply_at_scale" in results:
        scale = results["apply_at_scale"]
        print(
            f"apply at scale: {scale['added']} added with {scale['post_selected_users']} POST, "
            f"{scale['cancelled']} cancelled with {scale['delete_selected_users']} DELETE "
            f"({scale['requests']} requests in all, {scale['wall_s']:.1f} s)"
        )


def _print_latency(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        print(
            f"\n{row['seats']} seats at {row['latency_ms']} ms, {row['requests']} requests "
            "(wall s, ratio to the latency floor, peak in flight):"
        )
        for name in ("ours_c1", "bare_c1", "ours_c4", "bare_c4", "octokit_seats"):
            if name in row:
                run = row[name]
                print(
                    f"  {name:<14} {run['wall_s']:>7.2f} s  {run['to_floor']:>5.2f}x floor  "
                    f"cpu {run['cpu_s']:>5.2f} s  in flight <= {run['max_in_flight']}"
                )
        print(
            f"  ours / bare: serial {row['ours_to_bare_c1']:.3f}x, "
            f"--concurrency 4 {row['ours_to_bare_c4']:.3f}x"
        )
        if "ours_c4_to_octokit_seats" in row:
            print(
                f"  --concurrency 4 / octokit (seats): {row['ours_c4_to_octokit_seats']:.3f}x "
                f"(perfect packing: {row['perfect_packing_c4_to_octokit_seats']:.3f}x)"
            )


def _print_budget(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        ours = row["ours"]
        print(
            f"\nbudgets enforced, {row['seats']} seats at {row['latency_ms']} ms, "
            f"--concurrency {row['concurrency']}: {ours['wall_s']:.1f} s, "
            f"{ours['secondary_limited']} secondary-limit answers, {ours['requests']} requests; "
            f"rate floors: points {row['points_rate_floor_s']:.1f} s, server time "
            f"{row['server_time_rate_floor_s']:.1f} s -> {ours['to_floor']:.2f}x the tighter; "
            f"to the sliding-window floor: {ours['to_window_floor'] or 0:.2f}x"
        )
