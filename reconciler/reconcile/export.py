"""`export`: turn an organization's live state into a configuration that plans empty.

What the API shows decides what is written: teams seen in `assigning_team` are selected, so
they are declared; seats shown without a team are direct grants, so their holders are
declared users; seats pending cancellation are on their way out and are left out. The
content-exclusion map and the six settings are copied as they are.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from reconciler.errors import ReconcilerError
from reconciler.files import write_atomic
from reconciler.github import GitHubClient
from reconciler.github.reader import read_live_state
from reconciler.model import (
    SETTING_NAMES,
    DesiredState,
    LiveOrg,
    OrgConfig,
    SeatPolicy,
    SettingAssertion,
    Source,
    key,
)

_NOWHERE = Source("<export>", 1, 1)


def read_org_for_export(client: GitHubClient, org: str, *, now: datetime) -> LiveOrg:
    """Read everything an export needs: settings, seats, the teams they show, the rules."""
    probe = OrgConfig(
        org=org,
        sources=(_NOWHERE,),
        # Asserting every setting makes the reader fetch billing; values are irrelevant here.
        settings=tuple(SettingAssertion(name, "", _NOWHERE) for name in SETTING_NAMES),
        seats=SeatPolicy(mode="exact", users=(), teams=(), keep=(), source=_NOWHERE),
        content_exclusion=(),
    )
    live = read_live_state(client, DesiredState(orgs={key(org): probe}), now=now)
    found = live.org(org)
    if found is None:  # the reader returns every org it was asked for; this is a bug guard
        raise AssertionError(f"the reader returned no state for {org}")
    return found


def export_document(live: LiveOrg) -> dict[str, Any]:
    """The configuration document (as plain data) that describes ``live`` exactly."""
    teams = sorted({seat.assigning_team for seat in live.seats.values() if seat.assigning_team})
    users = sorted(
        seat.login for seat in live.seats.values() if seat.active and seat.assigning_team is None
    )
    document: dict[str, Any] = {"version": 1, "org": live.org}
    settings = {name: live.settings[name] for name in SETTING_NAMES if name in live.settings}
    if settings:
        document["settings"] = settings
    document["seats"] = {"mode": "exact", "teams": teams, "users": users}
    if live.content_exclusion is not None:
        document["content_exclusion"] = {
            repo: list(patterns) for repo, patterns in sorted(live.content_exclusion.items())
        }
    return document


def export_yaml(live: LiveOrg, *, now: datetime) -> str:
    """The YAML text of :func:`export_document`, with a header saying where it came from."""
    header = (
        f"# Exported from the live state of {live.org} at {now:%Y-%m-%dT%H:%M:%SZ}"
        " by copilot-reconciler export.\n"
        "# Seats pending cancellation are left out: they are already on their way out.\n"
    )
    body = yaml.safe_dump(export_document(live), sort_keys=False, default_flow_style=False)
    return header + body


def export_target(folder: Path, org: str, *, force: bool = False) -> Path:
    """``FOLDER/ORG.yaml`` (``org`` lower-cased), checked before anything is read: an
    existing file (it may hold hand-made edits) raises :class:`ReconcilerError` unless
    ``force``."""
    target = folder / f"{org.lower()}.yaml"
    if not force and target.exists():
        raise ReconcilerError(f"{target}: already exists; pass --force to overwrite it")
    return target


def write_export(text: str, folder: Path, org: str, *, force: bool = False) -> Path:
    """Write ``text`` to :func:`export_target` atomically (the folder is created if needed)
    and return the path; any failure raises :class:`ReconcilerError` with one line naming
    the path, and leaves an existing file as it was."""
    target = export_target(folder, org, force=force)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text)
    except OSError as error:
        where = error.filename or target
        raise ReconcilerError(f"{where}: cannot write the export: {error.strerror}") from None
    return target
