"""`simulator serve`: the Copilot API emulator over HTTP."""

from __future__ import annotations

import contextlib

import click

from reconciler.cli.app import EXIT_OK, cli


@cli.group()
def simulator() -> None:
    """The built-in emulator of the GitHub Copilot API, for rehearsals and tests."""


@simulator.command("serve")
@click.option("--state", "state", type=click.Path(path_type=str), help="World file (YAML or JSON).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--persist", is_flag=True, help="Write mutations back to the world file on exit.")
@click.option("--latency-ms", default=0, show_default=True, type=int, help="Added to every answer.")
@click.option("--error-rate", default=0.0, show_default=True, type=float, help="Share of 5xx.")
@click.option("--drop-rate", default=0.0, show_default=True, type=float, help="Share of drops.")
@click.option(
    "--secondary-rate-limit-every",
    default=0,
    show_default=True,
    type=int,
    help="Answer every Nth API request with a secondary rate limit (0: never).",
)
@click.option("--retry-after-s", default=1, show_default=True, type=int)
@click.option(
    "--points-per-minute",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="Enforce GitHub's points budget per endpoint (GET 1, write 5; GitHub: 900; 0: off).",
)
@click.option(
    "--server-time-per-minute-s",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="Enforce GitHub's budget of server time per minute (GitHub: 90; 0: off).",
)
@click.option(
    "--concurrent-limit",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="Refuse requests beyond this many in flight (GitHub: 100; 0: off).",
)
@click.option("--unstable-order", is_flag=True, help="Perturb the seat order between requests.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed for faults and data.")
@click.option("-v", "--verbose", count=True, help="Log every request.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def simulator_serve(
    state: str | None,
    host: str,
    port: int,
    persist: bool,
    latency_ms: int,
    error_rate: float,
    drop_rate: float,
    secondary_rate_limit_every: int,
    retry_after_s: int,
    points_per_minute: int,
    server_time_per_minute_s: int,
    concurrent_limit: int,
    unstable_order: bool,
    seed: int,
    verbose: int,
    quiet: bool,
) -> int:
    """Serve the Copilot API emulator over HTTP until interrupted."""
    from reconciler.simulator.server import run

    faults = {
        "latency_ms": latency_ms,
        "error_rate": error_rate,
        "drop_rate": drop_rate,
        "secondary_rate_limit_every": secondary_rate_limit_every,
        "retry_after_s": retry_after_s,
        "points_per_minute": points_per_minute,
        "server_time_per_minute_s": server_time_per_minute_s,
        "concurrent_limit": concurrent_limit,
        "unstable_order": unstable_order,
        "seed": seed,
    }
    log = (lambda line: click.echo(line, err=True)) if verbose else None
    announce = None if quiet else (lambda line: click.echo(line, err=True))
    # Interrupting the server is how it is stopped: not an error.
    with contextlib.suppress(KeyboardInterrupt):
        run(state, host=host, port=port, faults=faults, persist=persist, log=log, announce=announce)
    return EXIT_OK
