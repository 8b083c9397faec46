"""Checking a saved plan against a plan made now: ``apply --plan`` applies exactly what was
reviewed, or nothing.

A saved plan carries the fingerprints of the live state and of the configuration it was made
from. When either differs from now, apply refuses (exit 3) and says which one changed and
what a plan made now would do differently. When both match but the plans still differ (a
time-boxed seat expired since the plan was made), it refuses too: what runs must be what a
reviewer saw.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from reconciler.errors import StalePlanError
from reconciler.model import key
from reconciler.plan import Change, Plan

#: Differences named in the message before "and N more".
SHOWN = 5


def check_saved_plan(saved: Plan, fresh: Plan) -> None:
    """Raise :class:`StalePlanError` unless ``saved`` is what planning gives now (``fresh``,
    just made from the same configuration and a fresh read)."""
    moved = []
    if saved.desired_fingerprint != fresh.desired_fingerprint:
        moved.append("the configuration")
    if saved.live_fingerprint != fresh.live_fingerprint:
        moved.append("the live state")
    differences = plan_differences(saved.changes, fresh.changes)
    if not moved and not differences:
        return
    if moved:
        what = f"{' and '.join(moved)} changed since the saved plan was made"
    else:
        what = "a plan made now differs from the saved one (a time-boxed seat expired since?)"
    detail = f" ({'; '.join(differences)})" if differences else " (the planned changes are alike)"
    raise StalePlanError(
        f"refused: {what}{detail}: run `plan` again and review the new plan; nothing was changed"
    )


def plan_differences(saved: Iterable[Change], fresh: Iterable[Change]) -> list[str]:
    """What a plan made now would do that the saved one does not, and the reverse, one
    phrase per name (at most :data:`SHOWN`, then how many more)."""
    then, now = _effects(saved), _effects(fresh)
    phrases = [f"now also: {item}" for item in sorted(now.keys() - then.keys())]
    phrases += [f"no longer: {item}" for item in sorted(then.keys() - now.keys())]
    if len(phrases) > SHOWN:
        return [*phrases[:SHOWN], f"and {len(phrases) - SHOWN} more"]
    return phrases


def _effects(changes: Iterable[Change]) -> dict[str, None]:
    """Each change as phrases keyed caselessly (an ordered set)."""
    out: dict[str, None] = {}
    for change in changes:
        org = change.org
        if change.action == "set_content_exclusion":
            rules = json.dumps(
                {
                    repo.lower(): sorted(p.lower() for p in pats)
                    for repo, pats in (change.after or {}).items()
                },
                sort_keys=True,
            )
            out[f"{key(org)}: set the content-exclusion rules to {rules}"] = None
            continue
        verb = {
            "add_users": "grant a seat to",
            "remove_users": "cancel the direct seat of",
            "add_teams": "select team",
            "remove_teams": "unselect team",
        }[change.action]
        for name in change.users if change.action.endswith("_users") else change.teams:
            out[f"{key(org)}: {verb} {key(name)}"] = None
    return out
