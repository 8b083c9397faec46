"""The command line: the only module that knows click, prints, reads the environment and
chooses exit codes. Everything below it takes typed values and returns values.

Heavy modules (httpx, jsonschema, the simulator) are imported inside the commands so that
`copilot-reconciler validate` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from reconciler import __version__
from reconciler.errors import ReconcilerError

# Exit codes of the product contract (docs/product.md).
EXIT_OK, EXIT_ERROR, EXIT_CHANGES, EXIT_REFUSED = 0, 1, 2, 3


class _Group(click.Group):
    """A group whose usage errors exit 1, not click's 2: in CI, 2 means drift."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as stop:
            rv = stop.exit_code
        except click.ClickException as exc:
            exc.show()
            rv = EXIT_ERROR
        except click.Abort:
            click.echo("Aborted.", err=True)
            rv = EXIT_ERROR
        if standalone_mode:
            sys.exit(rv or 0)
        return rv


def _report(error: ReconcilerError) -> int:
    for line in error.lines():
        click.echo(line, err=True)
    return error.exit_code


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="copilot-reconciler")
def cli() -> None:
    """Manage GitHub Copilot seats, content exclusion and settings as code."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("-v", "--verbose", count=True, help="Say more.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def validate(paths: tuple[str, ...], verbose: int, quiet: bool) -> int:
    """Check configuration files against the schema and the merge rules.

    Reports every problem at once as FILE:LINE:COL: message. PATHS default to the current
    directory; a directory means every *.yaml / *.yml below it.
    """
    from reconciler.config import load_desired_state

    try:
        desired = load_desired_state(list(paths) or ["."])
    except ReconcilerError as error:
        return _report(error)
    if not quiet:
        count = len(desired.orgs)
        click.echo(f"valid: {count} organization{'s' if count != 1 else ''}")
    return EXIT_OK


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
        "unstable_order": unstable_order,
        "seed": seed,
    }
    log = (lambda line: click.echo(line, err=True)) if verbose else None
    announce = None if quiet else (lambda line: click.echo(line, err=True))
    try:
        run(state, host=host, port=port, faults=faults, persist=persist, log=log, announce=announce)
    except ReconcilerError as error:
        return _report(error)
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="copilot-reconciler")
