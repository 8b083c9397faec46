"""`orgs`: a one-line account of what a configuration manages in each organization."""

from __future__ import annotations

from typing import Any

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
