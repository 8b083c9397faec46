"""`orgs`: a one-line account of what a configuration manages in each organization.

``orgs --json`` is what a CI matrix is built from (one job per org), so its rows are a
contract: ``org``, ``files``, ``seats`` (the mode, or null), ``content_exclusion``,
``settings`` and ``description``.
"""

from __future__ import annotations

import json
from typing import Any

import click

from reconciler.cli.app import EXIT_OK, cli
from reconciler.cli.options import Terminal, load_config, output_options, paths_argument
from reconciler.model import DesiredState, OrgConfig


def _describe(org: OrgConfig) -> str:
    parts = []
    if org.seats is not None:
        seats = org.seats
        parts.append(
            f"seats {seats.mode} ({len(seats.users)} user(s), {len(seats.teams)} team(s), "
            f"{len(seats.keep)} kept)"
        )
    if org.content_exclusion is not None:
        parts.append(f"content exclusion ({len(org.content_exclusion)} repository key(s))")
    if org.settings is not None:
        parts.append(f"settings ({len(org.settings)} asserted)")
    return "; ".join(parts) or "nothing managed"


def org_summaries(desired: DesiredState) -> list[dict[str, Any]]:
    """One row per org, sorted by name: what is managed and from which files."""
    rows = []
    for name in sorted(desired.orgs):
        org = desired.orgs[name]
        rows.append(
            {
                "org": org.org,
                "files": sorted({source.file for source in org.sources}),
                "seats": org.seats.mode if org.seats is not None else None,
                "content_exclusion": org.content_exclusion is not None,
                "settings": org.settings is not None,
                "description": _describe(org),
            }
        )
    return rows


@cli.command()
@paths_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per org).")
@output_options
def orgs(paths: tuple[str, ...], as_json: bool, terminal: Terminal) -> int:
    """List the organizations a configuration manages.

    One line per organization with the sections it manages (seats, content exclusion,
    settings); --json gives the rows a CI matrix is built from.
    """
    rows = org_summaries(load_config(paths, terminal))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return EXIT_OK
    for row in rows:
        click.echo(f"{row['org']}: {row['description']}")
    return EXIT_OK
