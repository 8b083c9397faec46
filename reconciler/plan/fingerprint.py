"""The fingerprint of a live state: what a saved plan was made from.

Apply re-reads the live state and refuses a saved plan whose fingerprint differs (the world
moved since the plan was reviewed). So the fingerprint covers exactly what planning depends
on, and nothing that changes on its own: seat activity (``last_activity_at``, editors),
``created_at``, the pending date and the billing counters are left out, so that people using
Copilot between ``plan`` and ``apply`` do not make a reviewed plan stale.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from reconciler.model import LiveOrg, LiveState, key


def fingerprint(live: LiveState) -> str:
    """``"sha256:<hex>"`` of the canonical JSON of what the planner reads from ``live``.

    Per org: each seat's login with whether it is active and which team it shows, the members
    of every team read, the declared logins that are not org members, the content-exclusion
    map (``None`` when unmanaged) and the settings. Names are compared caselessly, as GitHub
    does, so a change of canonical spelling alone does not count as a change.
    """
    canonical = {key(name): _org_facts(org) for name, org in live.orgs.items()}
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _org_facts(org: LiveOrg) -> dict[str, Any]:
    exclusion = None
    if org.content_exclusion is not None:
        # As read, order included: a saved plan shows its diff against exactly this map.
        exclusion = {repo: list(patterns) for repo, patterns in org.content_exclusion.items()}
    return {
        "seats": {
            key(login): {
                "active": seat.active,
                "assigning_team": key(seat.assigning_team) if seat.assigning_team else None,
            }
            for login, seat in org.seats.items()
        },
        "team_members": {
            key(slug): sorted(key(member) for member in members)
            for slug, members in org.team_members.items()
        },
        "non_members": sorted(key(login) for login in org.non_members),
        "content_exclusion": exclusion,
        "settings": dict(org.settings),
    }
