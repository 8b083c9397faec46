"""The command line: the only module that knows click, prints, reads the environment and
chooses exit codes. Everything below it takes typed values and returns values.

Heavy modules (httpx, jsonschema, the simulator) are imported inside the commands so that
`copilot-reconciler validate` starts fast.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import click

from reconciler import __version__
from reconciler.errors import NotConfirmedError, ReconcilerError
from reconciler.session import ApiOptions

if TYPE_CHECKING:
    from reconciler.apply import StepResult
    from reconciler.engine import Engine
    from reconciler.model import DesiredState
    from reconciler.plan import Plan

# Exit codes of the product contract (docs/product.md).
EXIT_OK, EXIT_ERROR, EXIT_CHANGES, EXIT_REFUSED = 0, 1, 2, 3


class _Group(click.Group):
    """A group whose usage errors exit 1, not click's 2: in CI, 2 means drift."""

    def main(
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


Format = Literal["text", "json", "markdown"]
_FORMATS = click.Choice(["text", "json", "markdown"])


def _output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option("-q", "--quiet", is_flag=True, help="Print only results and errors.")(
        command
    )
    return click.option("-v", "--verbose", count=True, help="Say more (waits, requests).")(command)


def _api_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--api-url",
            metavar="URL",
            help="API base URL [default: $GITHUB_API_URL, else https://api.github.com].",
        ),
        click.option(
            "--simulate",
            metavar="WORLDFILE",
            type=click.Path(dir_okay=False, path_type=str),
            help="Run against the embedded simulator loaded from WORLDFILE (no network).",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False, path_type=Path),
            help="Where to keep the ETag cache [default: the user's cache directory].",
        ),
        click.option("--no-cache", is_flag=True, help="Do not use the ETag cache."),
        click.option(
            "--concurrency",
            default=1,
            show_default=True,
            type=click.IntRange(1, 16),
            help="Parallel reads (GitHub recommends serial; raise it for large orgs).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return _output_options(command)


def _price_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--seat-price",
        "seat_prices",
        multiple=True,
        metavar="PLAN=USD",
        help="Monthly seat price per plan type [default: business=19, enterprise=39].",
    )(command)


def _paths_argument(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument("paths", nargs=-1, type=click.Path(path_type=str))(command)


class _Terminal:
    """Progress and log lines on stderr; progress only when stderr is a terminal."""

    def __init__(self, *, verbose: int, quiet: bool) -> None:
        self.verbose = verbose
        self.quiet = quiet
        self._live_line = False

    def log(self, line: str) -> None:
        if self.verbose:
            self._end_progress()
            click.echo(line, err=True)

    def progress(self, org: str, pages: int, total: int | None) -> None:
        if self.quiet or not sys.stderr.isatty():
            return
        of_total = f"/{total}" if total else ""
        click.echo(f"\rreading {org}: {pages}{of_total} pages", err=True, nl=False)
        self._live_line = True

    def say(self, line: str) -> None:
        if not self.quiet:
            self._end_progress()
            click.echo(line, err=True)

    def finish(self) -> None:
        """End a progress line, if one is showing."""
        self._end_progress()

    def _end_progress(self) -> None:
        if self._live_line:
            click.echo("", err=True)
            self._live_line = False


def _load(paths: tuple[str, ...]) -> DesiredState:
    from reconciler.config import load_desired_state

    return load_desired_state(list(paths) or ["."])


def _prices(specs: tuple[str, ...]) -> dict[str, float] | None:
    if not specs:
        return None
    from reconciler.pricing import parse_prices

    try:
        return parse_prices(specs)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--seat-price") from exc


@contextmanager
def _engine(
    terminal: _Terminal,
    api: ApiOptions,
    *,
    seat_prices: tuple[str, ...],
    persist: bool = False,
) -> Iterator[Engine]:
    from reconciler.engine import Engine
    from reconciler.session import open_session

    prices = _prices(seat_prices)
    with open_session(
        api, env=os.environ, persist=persist, log=terminal.log, progress=terminal.progress
    ) as session:
        settle = 0.0 if session.simulated else 2.0
        try:
            yield Engine(session.client, clock=session.clock, prices=prices, settle_s=settle)
        finally:
            terminal.finish()


def _use_color(stream: Any) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


def _emit(plan: Plan, fmt: str) -> None:
    from reconciler.render import render

    stream = sys.stdout
    render(plan, cast(Format, fmt), stream, color=fmt == "text" and _use_color(stream))


@cli.command()
@_paths_argument
@_output_options
def validate(paths: tuple[str, ...], verbose: int, quiet: bool) -> int:
    """Check configuration files against the schema and the merge rules.

    Reports every problem at once as FILE:LINE:COL: message. PATHS default to the current
    directory; a directory means every *.yaml / *.yml below it.
    """
    try:
        desired = _load(paths)
    except ReconcilerError as error:
        return _report(error)
    if not quiet:
        count = len(desired.orgs)
        click.echo(f"valid: {count} organization{'s' if count != 1 else ''}")
    return EXIT_OK


@cli.command()
@_paths_argument
@click.option(
    "--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Save the plan as JSON."
)
@click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there is drift, 0 when none.")
@_price_option
@_api_options
def plan(
    paths: tuple[str, ...],
    out: Path | None,
    fmt: str,
    detailed_exitcode: bool,
    seat_prices: tuple[str, ...],
    api_url: str | None,
    simulate: str | None,
    cache_dir: Path | None,
    no_cache: bool,
    concurrency: int,
    verbose: int,
    quiet: bool,
) -> int:
    """Show what apply would change, what it costs, and settings that drifted."""
    terminal = _Terminal(verbose=verbose, quiet=quiet)
    api = ApiOptions(api_url, simulate, cache_dir, no_cache, concurrency)
    try:
        desired = _load(paths)
        with _engine(terminal, api, seat_prices=seat_prices) as engine:
            result = engine.plan(desired)
        if out is not None:
            from reconciler.plan import save_plan

            save_plan(result, out)
    except ReconcilerError as error:
        return _report(error)
    _emit(result, fmt)
    return EXIT_CHANGES if detailed_exitcode and result.has_drift else EXIT_OK


@cli.command()
@_paths_argument
@click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True)
@_price_option
@_api_options
def drift(
    paths: tuple[str, ...],
    fmt: str,
    seat_prices: tuple[str, ...],
    api_url: str | None,
    simulate: str | None,
    cache_dir: Path | None,
    no_cache: bool,
    concurrency: int,
    verbose: int,
    quiet: bool,
) -> int:
    """Plan with a detailed exit code, for a scheduled job: 0 in sync, 2 drift, 1 error."""
    return plan.callback(  # type: ignore[no-any-return, misc]
        paths,
        None,
        fmt,
        True,
        seat_prices,
        api_url,
        simulate,
        cache_dir,
        no_cache,
        concurrency,
        verbose,
        quiet,
    )


@cli.command()
@_paths_argument
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Apply this saved plan; refused if the live state changed since it was made.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--force", is_flag=True, help="Apply even above the safety thresholds.")
@_price_option
@_api_options
def apply(
    paths: tuple[str, ...],
    plan_file: Path | None,
    yes: bool,
    force: bool,
    seat_prices: tuple[str, ...],
    api_url: str | None,
    simulate: str | None,
    cache_dir: Path | None,
    no_cache: bool,
    concurrency: int,
    verbose: int,
    quiet: bool,
) -> int:
    """Re-read, re-plan and apply the changes; verify that the live state converged."""
    terminal = _Terminal(verbose=verbose, quiet=quiet)
    api = ApiOptions(api_url, simulate, cache_dir, no_cache, concurrency)

    def confirm(pending: Plan) -> bool:
        _emit(pending, "text")
        if yes:
            return True
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise NotConfirmedError(
                "refusing to apply without confirmation: no terminal to ask on; pass --yes"
            )
        return click.confirm("Apply these changes?", default=False)

    def on_step(step: StepResult) -> None:
        if not quiet:
            click.echo(f"applied: {step.describe()}")

    try:
        desired = _load(paths)
        saved = None
        if plan_file is not None:
            from reconciler.plan import load_plan

            saved = load_plan(plan_file)
        with _engine(terminal, api, seat_prices=seat_prices, persist=True) as engine:
            outcome = engine.apply(
                desired, saved=saved, force=force, confirm=confirm, on_step=on_step
            )
    except ReconcilerError as error:
        return _report(error)
    if not outcome.steps:
        if not quiet:
            _emit(outcome.plan, "text")
        return EXIT_OK
    added = sum(step.seats_created for step in outcome.steps)
    cancelled = sum(step.seats_cancelled for step in outcome.steps)
    click.echo(
        f"Apply complete: {added} seat(s) activated, {cancelled} set to pending cancellation, "
        f"in {outcome.rounds} round(s). The live state matches the configuration."
    )
    return EXIT_OK


@cli.command()
@click.option("--org", required=True, help="The organization to export.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write ORG.yaml into this directory instead of printing it.",
)
@_api_options
def export(
    org: str,
    out_dir: Path | None,
    api_url: str | None,
    simulate: str | None,
    cache_dir: Path | None,
    no_cache: bool,
    concurrency: int,
    verbose: int,
    quiet: bool,
) -> int:
    """Write the live state of ORG as a configuration that plans empty."""
    from reconciler.export import export_yaml, read_org_for_export
    from reconciler.session import open_session

    terminal = _Terminal(verbose=verbose, quiet=quiet)
    api = ApiOptions(api_url, simulate, cache_dir, no_cache, concurrency)
    try:
        with open_session(
            api, env=os.environ, log=terminal.log, progress=terminal.progress
        ) as session:
            now = session.clock()
            text = export_yaml(read_org_for_export(session.client, org, now=now), now=now)
    except ReconcilerError as error:
        return _report(error)
    if out_dir is None:
        click.echo(text, nl=False)
        return EXIT_OK
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{org.lower()}.yaml"
    target.write_text(text, encoding="utf-8")
    terminal.say(f"wrote {target}")
    return EXIT_OK


@cli.command()
@_paths_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_output_options
def orgs(paths: tuple[str, ...], as_json: bool, verbose: int, quiet: bool) -> int:
    """List the organizations a configuration manages, and which sections of each."""
    from reconciler.summary import org_summaries

    try:
        rows = org_summaries(_load(paths))
    except ReconcilerError as error:
        return _report(error)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return EXIT_OK
    for row in rows:
        click.echo(f"{row['org']}: {row['description']}")
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
