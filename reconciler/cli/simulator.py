"""`simulator serve`: the Copilot API emulator over HTTP."""

from __future__ import annotations

import contextlib
from typing import Any

import click

from reconciler.cli.app import EXIT_OK, cli

#: Where `simulator serve` reads a control token when --control-token is not given.
CONTROL_TOKEN_ENV = "COPILOT_RECONCILER_CONTROL_TOKEN"


class _ServeCommand(click.Command):
    """A bad option value is one line (``Error: Invalid value for '--port': ...``), exit 1,
    like every other error of `simulator serve`; click's usage block would bury it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.BadParameter as error:
            raise click.ClickException(error.format_message()) from None


def _control_token(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # The token travels in an Authorization header: printable ASCII without spaces. The
    # message never quotes it.
    usable = value is None or (value.isascii() and value.isprintable() and " " not in value)
    if not usable or value == "":
        raise click.BadParameter("expected printable ASCII characters without spaces", ctx, param)
    return value


@cli.group()
def simulator() -> None:
    """Emulate the GitHub Copilot API, for rehearsals and tests.

    The emulator keeps a world (orgs, teams, seats, content exclusion) and answers the Copilot
    REST API with GitHub's semantics, in process (--simulate) or over HTTP (serve).
    """


@simulator.command("serve", cls=_ServeCommand)
@click.option("--state", "state", type=click.Path(path_type=str), help="World file (YAML or JSON).")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for every interface.",
)
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--public-url",
    metavar="URL",
    help="Base URL that clients reach the server by (a proxy in front of it); links in "
    "answers use it. Default: http://HOST:PORT.",
)
@click.option(
    "--control-token",
    envvar=CONTROL_TOKEN_ENV,
    show_envvar=True,
    callback=_control_token,
    help="Require 'Authorization: Bearer TOKEN' on the control API (/_simulator/) and accept "
    "it from any address. Without it, the control API answers only on loopback.",
)
@click.option("--persist", is_flag=True, help="Write mutations back to the world file on exit.")
@click.option(
    "--latency-ms",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Milliseconds to wait before every API answer.",
)
@click.option(
    "--error-rate",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0.0, 1.0),
    help="Share of API requests answered 500/502/503/504 (0 to 1).",
)
@click.option(
    "--drop-rate",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0.0, 1.0),
    help="Share of API requests whose connection closes unanswered (0 to 1).",
)
@click.option(
    "--secondary-rate-limit-every",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Answer every Nth API request with a secondary rate limit (0: never).",
)
@click.option(
    "--retry-after-s",
    default=1,
    show_default=True,
    type=click.IntRange(min=0),
    help="The retry-after header, in seconds, of secondary rate-limit answers.",
)
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
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Seed for faults and data.",
)
@click.option("-v", "--verbose", count=True, help="Log every request.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def simulator_serve(
    state: str | None,
    host: str,
    port: int,
    public_url: str | None,
    control_token: str | None,
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

    faults: dict[str, Any] = {
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
        run(
            state,
            host=host,
            port=port,
            faults=faults,
            persist=persist,
            log=log,
            announce=announce,
            public_url=public_url,
            control_token=control_token,
        )
    return EXIT_OK
