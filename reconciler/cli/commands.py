"""The reconciliation commands: validate, plan, drift, apply, export, orgs.

Each command loads the configuration before it connects (a configuration that fails to load
never reaches the API), turns every :class:`ReconcilerError` into its exit code, and prints
only here.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reconciler.cli.app import EXIT_CHANGES, EXIT_OK, cli, report
from reconciler.cli.options import (
    FORMATS,
    Terminal,
    api_options,
    emit,
    engine,
    load_config,
    max_chars_option,
    output_options,
    paths_argument,
    price_option,
)
from reconciler.errors import NotConfirmedError, ReconcilerError
from reconciler.session import ApiOptions

if TYPE_CHECKING:
    from reconciler.apply import StepResult
    from reconciler.plan import Plan


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
    """Check configuration files against the schema and the merge rules.

    Reports every problem at once as FILE:LINE:COL: message (with --format github, as
    ::error file=FILE,line=LINE,col=COL::message annotations). PATHS default to the current
    directory; a directory means every *.yaml / *.yml below it.
    """
    try:
        desired = load_config(paths)
    except ReconcilerError as error:
        if fmt != "github":
            return report(error)
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
    try:
        desired = load_config(paths)
        with engine(terminal, api, seat_prices=seat_prices) as reconciler:
            result = reconciler.plan(desired)
        if out is not None:
            from reconciler.plan import save_plan

            save_plan(result, out)
    except ReconcilerError as error:
        return report(error)
    emit(result, fmt, max_chars=max_chars)
    return EXIT_CHANGES if detailed_exitcode and result.has_drift else EXIT_OK


@cli.command()
@paths_argument
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Save the plan as JSON."
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there is drift, 0 when none.")
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
    """Show what apply would change, what it costs, and settings that drifted."""
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
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
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
    """Plan with a detailed exit code, for a scheduled job: 0 in sync, 2 drift, 1 error.

    Settings drift counts as drift: the API cannot fix it, an owner must.
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


def _confirm(yes: bool) -> Callable[[Plan], bool]:
    def confirm(pending: Plan) -> bool:
        emit(pending, "text")
        if yes:
            return True
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise NotConfirmedError(
                "refusing to apply without confirmation: no terminal to ask on; pass --yes"
            )
        return click.confirm("Apply these changes?", default=False)

    return confirm


@cli.command()
@paths_argument
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Apply this saved plan; refused if the live state changed since it was made.",
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
    """Re-read, re-plan and apply the changes; verify that the live state converged."""

    def on_step(step: StepResult) -> None:
        if not terminal.quiet:
            click.echo(f"applied: {step.describe()}")

    try:
        desired = load_config(paths)
        saved = None
        if plan_file is not None:
            from reconciler.plan import load_plan

            saved = load_plan(plan_file)
        with engine(terminal, api, seat_prices=seat_prices, persist=True) as reconciler:
            outcome = reconciler.apply(
                desired, saved=saved, force=force, confirm=_confirm(yes), on_step=on_step
            )
    except ReconcilerError as error:
        return report(error)
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
@api_options
def export(org: str, out_dir: Path | None, api: ApiOptions, terminal: Terminal) -> int:
    """Write the live state of ORG as a configuration that plans empty."""
    import os

    from reconciler.export import export_yaml, read_org_for_export
    from reconciler.session import open_session

    try:
        with open_session(
            api, env=os.environ, log=terminal.log, progress=terminal.progress
        ) as session:
            now = session.clock()
            text = export_yaml(read_org_for_export(session.client, org, now=now), now=now)
    except ReconcilerError as error:
        return report(error)
    finally:
        terminal.finish()
    if out_dir is None:
        click.echo(text, nl=False)
        return EXIT_OK
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{org.lower()}.yaml"
    target.write_text(text, encoding="utf-8")
    terminal.say(f"wrote {target}")
    return EXIT_OK


@cli.command()
@paths_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@output_options
def orgs(paths: tuple[str, ...], as_json: bool, terminal: Terminal) -> int:
    """List the organizations a configuration manages, and which sections of each."""
    from reconciler.summary import org_summaries

    try:
        rows = org_summaries(load_config(paths))
    except ReconcilerError as error:
        return report(error)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return EXIT_OK
    for row in rows:
        click.echo(f"{row['org']}: {row['description']}")
    return EXIT_OK
