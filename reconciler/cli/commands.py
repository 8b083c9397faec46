"""The reconciliation commands: validate, plan, drift, apply, export.

Each command loads the configuration before it connects (a configuration that fails to load
never reaches the API) and returns its exit code; a :class:`~reconciler.errors.ReconcilerError`
it raises is turned into one line per problem and its exit code by :mod:`reconciler.cli.app`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reconciler.cli.app import EXIT_CHANGES, EXIT_OK, EXIT_REFUSED, cli
from reconciler.cli.connection import ApiOptions
from reconciler.cli.interrupts import Interrupts
from reconciler.cli.options import (
    Terminal,
    api_options,
    connection_for,
    emit,
    engine,
    format_option,
    load_config,
    max_chars_option,
    output_options,
    paths_argument,
    price_option,
)
from reconciler.errors import ApplyInterrupted, NotConfirmedError, ReconcilerError

if TYPE_CHECKING:
    from reconciler.plan import Plan
    from reconciler.reconcile.steps import StepResult


@cli.command()
@paths_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="github: print each problem as a GitHub Actions annotation on stdout.",
)
@output_options
def validate(paths: tuple[str, ...], fmt: str, terminal: Terminal) -> int:
    """Check configuration files, without contacting GitHub.

    Checks them against the schema and the merge rules and reports every problem at once as
    FILE:LINE:COL: message (with --format github, as ::error file=FILE,line=LINE,col=COL::
    annotations on stdout). PATHS default to the current directory; a directory means every
    *.yaml / *.yml below it, skipping what is plainly not configuration (-v says what).
    """
    try:
        desired = load_config(paths, terminal)
    except ReconcilerError as error:
        if fmt != "github":
            raise
        from reconciler.cli.workflow import error_annotations

        for line in error_annotations(error):
            click.echo(line)
        return error.exit_code
    if not terminal.quiet:
        count = len(desired.orgs)
        click.echo(f"valid: {count} organization{'s' if count != 1 else ''}")
    return EXIT_OK


def _plan(
    paths: tuple[str, ...],
    *,
    out: Path | None,
    fmt: str,
    detailed_exitcode: bool,
    max_chars: int,
    seat_prices: tuple[str, ...],
    api: ApiOptions,
    terminal: Terminal,
) -> int:
    desired = load_config(paths, terminal)
    with engine(terminal, api, seat_prices=seat_prices) as reconciler:
        result = reconciler.plan(desired)
    if out is not None:
        from reconciler.plan import save_plan

        save_plan(result, out)
    emit(result, fmt, max_chars=max_chars)
    if not detailed_exitcode:
        return EXIT_OK
    # A plan that apply will refuse is not mergeable as it stands: say so to CI (exit 3).
    if result.refused:
        return EXIT_REFUSED
    return EXIT_CHANGES if result.has_drift else EXIT_OK


@cli.command()
@paths_argument
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Save the plan as JSON."
)
@format_option
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 2 when there is drift, 0 when none, 3 when apply would refuse the plan.",
)
@max_chars_option
@price_option
@api_options
def plan(
    paths: tuple[str, ...],
    out: Path | None,
    fmt: str,
    detailed_exitcode: bool,
    max_chars: int,
    seat_prices: tuple[str, ...],
    api: ApiOptions,
    terminal: Terminal,
) -> int:
    """Show what apply would change and what it costs.

    Settings that drifted from the configuration are shown too, with where an org owner
    changes them (the API cannot).
    """
    return _plan(
        paths,
        out=out,
        fmt=fmt,
        detailed_exitcode=detailed_exitcode,
        max_chars=max_chars,
        seat_prices=seat_prices,
        api=api,
        terminal=terminal,
    )


@cli.command()
@paths_argument
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Save the plan as JSON."
)
@format_option
@max_chars_option
@price_option
@api_options
def drift(
    paths: tuple[str, ...],
    out: Path | None,
    fmt: str,
    max_chars: int,
    seat_prices: tuple[str, ...],
    api: ApiOptions,
    terminal: Terminal,
) -> int:
    """Plan for a scheduled job: exit 0 in sync, 2 on drift.

    The exit code is 0 when the live state matches, 2 when there is drift, 3 when there is
    drift that apply would refuse (a safety limit), 1 on an error. Settings drift counts as
    drift: the API cannot fix it, an owner must.
    """
    return _plan(
        paths,
        out=out,
        fmt=fmt,
        detailed_exitcode=True,
        max_chars=max_chars,
        seat_prices=seat_prices,
        api=api,
        terminal=terminal,
    )


def _confirm(yes: bool, terminal: Terminal, interrupts: Interrupts) -> Callable[[Plan], bool]:
    def confirm(pending: Plan) -> bool:
        terminal.finish()
        can_ask = sys.stdin.isatty() and sys.stdout.isatty()
        # With -q the plan is shown only when the user is asked to approve it.
        if not terminal.quiet or (can_ask and not yes):
            emit(pending, "text")
        if not yes:
            if not can_ask:
                raise NotConfirmedError(
                    "refusing to apply without confirmation: no terminal to ask on; pass --yes"
                )
            if not click.confirm("Apply these changes?", default=False):
                return False
        interrupts.arm()  # writes begin: a signal now stops after the request in flight
        return True

    return confirm


@cli.command()
@paths_argument
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Apply this saved plan; refused if the configuration or the live state changed "
    "since it was made.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--force", is_flag=True, help="Apply even above the safety thresholds.")
@price_option
@api_options
def apply(
    paths: tuple[str, ...],
    plan_file: Path | None,
    yes: bool,
    force: bool,
    seat_prices: tuple[str, ...],
    api: ApiOptions,
    terminal: Terminal,
) -> int:
    """Apply the changes, then verify the live state.

    Re-reads the live state and plans again (or takes the saved --plan, refused if the
    configuration or the live state moved), shows the plan and asks, applies it, and reads
    again to verify that the live state converged. SIGINT (Ctrl-C) or SIGTERM while it
    writes stops it after the request in flight; it then says what was done and what was
    not, and exits 130 (SIGINT) or 1 (SIGTERM).
    """

    def on_step(step: StepResult) -> None:
        if not terminal.quiet:
            terminal.result(f"applied: {step.describe()}")

    desired = load_config(paths, terminal)
    saved = None
    if plan_file is not None:
        from reconciler.plan import load_plan

        saved = load_plan(plan_file)
    with (
        Interrupts() as interrupts,
        engine(terminal, api, seat_prices=seat_prices, persist=True) as reconciler,
    ):
        try:
            outcome = reconciler.apply(
                desired,
                saved=saved,
                force=force,
                confirm=_confirm(yes, terminal, interrupts),
                on_step=on_step,
                stop=interrupts.stop,
            )
        except ApplyInterrupted as error:
            error.exit_code = interrupts.exit_code
            raise
    if not outcome.steps:
        if not terminal.quiet:
            emit(outcome.plan, "text")
        return EXIT_OK
    added = sum(step.seats_created for step in outcome.steps)
    cancelled = sum(step.seats_cancelled for step in outcome.steps)
    # The API's own counts: a call retried after a lost answer counts 0 the second time, so
    # they can fall short of the plan's; the verifying read is what proves convergence.
    click.echo(
        f"Apply complete in {outcome.rounds} round(s); the API reported {added} seat(s) "
        f"activated and {cancelled} set to pending cancellation. The live state matches the "
        "configuration."
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
@click.option("--force", is_flag=True, help="Overwrite ORG.yaml if it exists.")
@api_options
def export(org: str, out_dir: Path | None, force: bool, api: ApiOptions, terminal: Terminal) -> int:
    """Write an organization's live state as configuration.

    The configuration written for ORG plans empty against the live state it was read from.
    """
    from reconciler.reconcile.export import (
        export_target,
        export_yaml,
        read_org_for_export,
        write_export,
    )

    if out_dir is not None:
        export_target(out_dir, org, force=force)  # refuse before reading, not after
    with connection_for(terminal, api) as connection:
        now = connection.clock()
        text = export_yaml(read_org_for_export(connection.client, org, now=now), now=now)
    if out_dir is None:
        click.echo(text, nl=False)
        return EXIT_OK
    target = write_export(text, out_dir, org, force=force)
    terminal.say(f"wrote {target}")
    return EXIT_OK
