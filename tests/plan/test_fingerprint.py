"""The streamed fingerprint hashes exactly the canonical JSON the plan format defines."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from reconciler.model import LiveOrg, LiveSeat, LiveState, key
from reconciler.plan.fingerprint import fingerprint

CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def _reference(live: LiveState) -> str:
    """The definition: sha256 of json.dumps of the facts, sorted keys, compact, ASCII."""

    def facts(org: LiveOrg) -> dict[str, Any]:
        exclusion = None
        if org.content_exclusion is not None:
            exclusion = {repo: list(p) for repo, p in org.content_exclusion.items()}
        return {
            "seats": {
                key(login): {
                    "active": seat.active,
                    "assigning_team": key(seat.assigning_team) if seat.assigning_team else None,
                }
                for login, seat in org.seats.items()
            },
            "team_members": {
                key(slug): sorted(key(m) for m in members)
                for slug, members in org.team_members.items()
            },
            "non_members": sorted(key(login) for login in org.non_members),
            "content_exclusion": exclusion,
            "settings": dict(org.settings),
        }

    canonical = {key(name): facts(org) for name, org in live.orgs.items()}
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _seat(login: str, team: str | None = None, pending: bool = False) -> LiveSeat:
    return LiveSeat(
        login, CREATED, team, pending_cancellation_date=date(2026, 12, 1) if pending else None
    )


def _state() -> LiveState:
    seats = {f"user{i:05d}": _seat(f"user{i:05d}", "Team-A" if i % 3 else None, i % 7 == 0)
             for i in range(4500)}  # fmt: skip
    seats["Mixed-Case"] = _seat("Mixed-Case", "team-b")
    big = LiveOrg(
        org="Octo-Org",
        settings={"seat_management_setting": "assign_selected", "ide_chat": "enabled"},
        seat_breakdown={"total": 4501},
        seats=seats,
        team_members={"Team-A": frozenset({"User00001", "user00002"}), "team-b": frozenset()},
        team_names={"team-a": "Team-A", "team-b": "team-b"},
        non_members=frozenset({"Ghost", "éclair"}),
        content_exclusion={"*": ("**/.env", "/ünïcode/**"), "repo\\x": ('/"quoted"/**',)},
    )
    empty = LiveOrg(org="b-org", settings={}, seat_breakdown={}, seats={})
    return LiveState(orgs={"octo-org": big, "b-org": empty}, read_at=CREATED)


def test_the_streamed_fingerprint_equals_the_canonical_json_hash() -> None:
    live = _state()
    assert fingerprint(live) == _reference(live)


def test_an_empty_state_has_the_fingerprint_of_an_empty_object() -> None:
    empty = LiveState(orgs={}, read_at=CREATED)
    assert fingerprint(empty) == "sha256:" + hashlib.sha256(b"{}").hexdigest()


def test_a_changed_team_changes_the_fingerprint() -> None:
    live = _state()
    org = live.orgs["octo-org"]
    moved = dict(org.seats, user00001=_seat("user00001", "team-b"))
    changed = LiveState(orgs={**live.orgs, "octo-org": replace(org, seats=moved)}, read_at=CREATED)
    assert fingerprint(changed) != fingerprint(live)
    assert fingerprint(changed) == _reference(changed)
