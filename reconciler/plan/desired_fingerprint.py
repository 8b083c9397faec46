"""The fingerprint of a desired state: the configuration a saved plan was reviewed against.

``apply --plan`` refuses a saved plan when the configuration changed since (as it does when
the live state changed: :mod:`reconciler.plan.fingerprint`), so that what runs is what a
reviewer saw. The fingerprint covers everything the planner and the safety guard read from
the configuration, compared the way they compare it: org names, logins, team slugs and
content-exclusion rules caselessly; lists as sets where their order changes nothing.

It leaves out *where* things are declared (file names, lines, columns) and the free-text
``reason`` of a time-boxed user: moving a user to another file, or reformatting a file,
changes no action. The reasons shown in a saved plan (``declared in teams/eng.yaml:12:7``)
may then point to the old place; the changes themselves are the same.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from reconciler.model import DeclaredUser, DesiredState, OrgConfig, key
from reconciler.plan.exclusion import normalize

__all__ = ["desired_fingerprint"]


def desired_fingerprint(desired: DesiredState) -> str:
    """``"sha256:<hex>"`` of the canonical JSON of what planning reads from ``desired``."""
    canonical = {org_key: _org_facts(config) for org_key, config in desired.orgs.items()}
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _org_facts(config: OrgConfig) -> dict[str, Any]:
    facts: dict[str, Any] = {"settings": None, "seats": None, "content_exclusion": None}
    if config.settings is not None:
        facts["settings"] = {item.name: item.value for item in config.settings}
    if config.seats is not None:
        seats = config.seats
        facts["seats"] = {
            "mode": seats.mode,
            "users": _users(seats.users),
            "keep": _users(seats.keep),
            "teams": sorted(key(team.slug) for team in seats.teams),
        }
    if config.content_exclusion is not None:
        rules = {rule.repository: rule.patterns for rule in config.content_exclusion}
        facts["content_exclusion"] = {
            repo: sorted(patterns) for repo, patterns in normalize(rules).items()
        }
    safety = config.safety
    facts["safety"] = (
        None if safety is None else [safety.max_cancellations, safety.max_cancellations_percent]
    )
    return facts


def _users(users: tuple[DeclaredUser, ...]) -> dict[str, str | None]:
    return {key(user.login): user.expires.isoformat() if user.expires else None for user in users}
