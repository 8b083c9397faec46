"""The commands for people rather than for apply: report, explain, reclaim.

``report`` reads seats and usage and renders them; ``explain`` says why one user has a seat
(or none); ``reclaim`` finds declared users idle for N days and, with ``--write``, removes
them from the YAML files so that a reviewed pull request takes their seats back.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from reconciler.cli.app import EXIT_OK, cli
from reconciler.cli.connection import ApiOptions
from reconciler.cli.options import (
    Terminal,
    api_options,
    connection_for,
    load_config,
    paths_argument,
    price_option,
    seat_prices_from,
)
from reconciler.errors import ReconcilerError

if TYPE_CHECKING:
    from reconciler.report.explain import Explanation
    from reconciler.report.model import Report
    from reconciler.report.reclaim import ReclaimPlan

REPORT_FORMATS = click.Choice(["text", "json", "markdown", "csv", "html"])


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD") from None


@cli.command("report")
@paths_argument
@click.option("--org", "orgs", multiple=True, metavar="ORG", help="An organization (repeatable).")
@click.option(
    "--enterprise", "enterprises", multiple=True, metavar="ENT", help="An enterprise (usage only)."
)
@click.option("--day", callback=_day, metavar="YYYY-MM-DD", help="Add the 1-day report of DAY.")
@click.option(
    "--format",
    "fmt",
    type=REPORT_FORMATS,
    default="text",
    show_default=True,
    help="text, json, markdown, csv (the per-seat table) or html (one file with charts).",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not stdout."
)
@click.option(
    "--idle-days",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3650),
    help="A seat without activity for this many days counts as idle (for the cost).",
)
@price_option
@api_options
def report_command(
    paths: tuple[str, ...],
    orgs: tuple[str, ...],
    enterprises: tuple[str, ...],
    day: date | None,
    fmt: str,
    out: Path | None,
    idle_days: int,
    seat_prices: tuple[str, ...],
    api: ApiOptions,
    terminal: Terminal,
) -> int:
    """Report seats, their idle cost and Copilot usage.

    Reports seats (activity, idle cost) and Copilot usage for orgs or an enterprise.

    Give --org (repeatable), --enterprise, or PATHS of a configuration to report its orgs.
    Formats: text, json, markdown, csv (the per-seat table) and html (one self-contained
    file with charts).
    """
    from reconciler.report.collect import collect_report

    prices = seat_prices_from(seat_prices)
    names = list(orgs)
    if paths or not (orgs or enterprises):
        desired = load_config(paths, terminal)
        names += [config.org for _, config in sorted(desired.orgs.items())]
    names = list({name.lower(): name for name in names}.values())
    with connection_for(terminal, api) as connection:
        result = collect_report(
            connection.client,
            orgs=names,
            enterprises=enterprises,
            now=connection.clock(),
            day=day,
            prices=prices,
            idle_days=idle_days,
        )
    if out is None:
        _render(result, fmt, sys.stdout)
        return EXIT_OK
    with out.open("w", encoding="utf-8", newline="") as stream:
        _render(result, fmt, stream)
    terminal.say(f"wrote {out}")
    return EXIT_OK


def _render(result: Report, fmt: str, stream: TextIO) -> None:
    if fmt == "json":
        import json

        from reconciler.report.document import report_document

        json.dump(report_document(result), stream, indent=2)
        stream.write("\n")
    elif fmt == "csv":
        from reconciler.render.report_csv import render_report_csv

        render_report_csv(result, stream)
    elif fmt == "html":
        from reconciler.render.report_html import render_report_html

        render_report_html(result, stream)
    elif fmt == "markdown":
        from reconciler.render.report_markdown import render_report_markdown

        render_report_markdown(result, stream)
    else:
        from reconciler.render.report_text import render_report_text

        render_report_text(result, stream)


@cli.command()
@click.argument("org")
@click.argument("user")
@paths_argument
@api_options
def explain(
    org: str, user: str, paths: tuple[str, ...], api: ApiOptions, terminal: Terminal
) -> int:
    """Say why a user has a seat, and what the next apply does with it.

    Says why USER has a Copilot seat in ORG (or none), and what the next apply does. Reads
    the seat (one request) and, with PATHS, names the rule that grants it: the file
    and line of a declared user, a declared team, or keep.
    """
    from reconciler.github.reader import parse_seat
    from reconciler.github.usage import get_user_seat
    from reconciler.report.explain import explain_seat

    config = None
    if paths:
        desired = load_config(paths, terminal)
        config = desired.org(org)
        if config is None:
            named = ", ".join(c.org for c in desired.orgs.values()) or "none"
            raise ReconcilerError(
                f"the configuration names no organization {org} (it names: {named}); "
                "pass the files of that organization"
            )
    with connection_for(terminal, api) as connection:
        client = connection.client
        raw = get_user_seat(client, org, user)
        seat = parse_seat(raw, org) if raw is not None else None
        result = explain_seat(
            org,
            user,
            seat,
            config,
            today=connection.clock().date(),
            team_members=lambda slug: client.list_team_members(org, slug),
            is_member=lambda: client.is_org_member(org, user),
        )
    for line in explanation_lines(result):
        click.echo(line)
    return EXIT_OK


def explanation_lines(result: Explanation) -> list[str]:
    """The explanation as lines for people."""
    seat = result.seat
    lines = [f"{result.login} in {result.org}:"]
    if seat is None:
        lines.append("  seat: none")
    else:
        team = seat.assigning_team or "none (a direct grant)"
        last = (
            f"{seat.last_activity_at:%Y-%m-%d %H:%M} UTC with {seat.last_activity_editor or '?'}"
            if seat.last_activity_at
            else "none on record (never used, or idle over 90 days)"
        )
        lines += [
            f"  seat: created {seat.created_at:%Y-%m-%d}, assigning team {team}",
            f"  pending cancellation: {seat.pending_cancellation_date or 'no'}",
            f"  last activity: {last}",
        ]
    lines += [f"  granted: {grant}" for grant in result.grants]
    if result.seat is not None and not result.grants:
        lines.append("  granted: by no rule of the configuration")
    lines += [f"  note: {note}" for note in result.notes]
    lines.append(f"  outcome: {result.verdict}")
    return lines


@cli.command()
@paths_argument
@click.option(
    "--idle-days",
    required=True,
    type=click.IntRange(1, 3650),
    help="Propose seats idle for this many days or more.",
)
@click.option(
    "--write", is_flag=True, help="Remove the proposed users from the YAML files (for a PR)."
)
@price_option
@api_options
def reclaim(
    paths: tuple[str, ...],
    idle_days: int,
    write: bool,
    seat_prices: tuple[str, ...],
    api: ApiOptions,
    terminal: Terminal,
) -> int:
    """List idle declared users; --write removes them from the YAML.

    Lists declared users idle for --idle-days or more; with --write, removes them from the
    YAML files, keeping comments and layout, so that a reviewed pull request takes the seats
    back.

    Never used counts as idle once the seat is that old (GitHub shows no activity both for
    never used and for idle over 90 days). exempt, keep, time-boxed users and users seated
    through a declared team are reported, not edited.
    """
    from reconciler.github.reader import read_org
    from reconciler.model import key
    from reconciler.report.reclaim import select_reclaim

    prices = seat_prices_from(seat_prices)
    desired = load_config(paths, terminal)
    managed = [c for c in desired.orgs.values() if c.seats is not None]
    with connection_for(terminal, api) as connection:
        now = connection.clock()
        # The planner's read: seats, billing and the members of every declared team.
        live = {key(c.org): read_org(connection.client, c, now=now) for c in managed}
    result = select_reclaim(desired, live, today=now.date(), idle_days=idle_days, prices=prices)
    written = _write_removals(result) if write else {}
    for line in reclaim_lines(result):
        click.echo(line)
    for file, logins in written.items():
        terminal.say(f"wrote {file}: removed {', '.join(logins)}")
    return EXIT_OK


def _write_removals(result: ReclaimPlan) -> dict[str, list[str]]:
    """Edit every file that declares a user to remove; nothing is written unless every file
    can be edited (an error in one leaves all as they were)."""
    from reconciler.files import write_atomic
    from reconciler.report.yaml_edit import remove_users

    by_file: dict[str, list[str]] = {}
    for candidate in result.removals:
        assert candidate.source is not None
        by_file.setdefault(candidate.source.file, []).append(candidate.login)
    edited: dict[str, tuple[str, list[str]]] = {}
    for file, logins in sorted(by_file.items()):
        path = Path(file)
        with path.open(encoding="utf-8", newline="") as stream:
            text = stream.read()
        edited[file] = remove_users(text, logins, file=file)
    for file, (text, _) in edited.items():
        try:
            write_atomic(Path(file), text)  # a kill or a full disk never leaves half a file
        except OSError as error:
            raise ReconcilerError(f"{file}: cannot be written: {error.strerror}") from None
    return {file: removed for file, (_, removed) in edited.items() if removed}


def reclaim_lines(result: ReclaimPlan) -> list[str]:
    """The reclaim plan as lines for people."""
    if not result.candidates:
        return [f"No declared seat is idle for {result.idle_days} days or more."]
    lines = [f"Seats idle for {result.idle_days}+ days:"]
    verbs = {"remove": "remove", "report": "report only", "skip": "leave"}
    for c in result.candidates:
        idle = f"{c.days_idle} days idle" if c.days_idle is not None else "no activity on record"
        lines.append(f"  {verbs[c.action]:<11} {c.org}/{c.login} ({idle}): {c.reason}")
    count = len(result.removals)
    lines.append(
        f"{count} seat(s) to remove from the configuration, saving "
        f"${result.monthly_saving:,.2f} a month once the next apply cancels them."
    )
    return lines
