"""Synthetic simulator worlds and matching configurations for the benchmarks.

A world of N seats has teams (a third of the seats come from teams), direct seats, a few
seats pending cancellation, members without a seat, and a content-exclusion map. The
configuration declares almost exactly what the world holds, with ten users to add and 1 % of
the direct seats to cancel, so `plan` does the full read and produces a realistic plan.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

ORG = "bench-org"
NEW_USERS = 10
TOKEN = "bench-token"
NOW = "2026-11-24T12:00:00Z"
EXCLUSION = {
    "*": ["**/.env", "**/secrets/**"],
    "payments": ["/src/keys/**"],
    "vault": ["/**"],
}


@dataclass(frozen=True)
class Bench:
    """A world, the configuration to plan against it, and the request minimum of a plan."""

    seats: int
    teams: dict[str, list[str]]
    world: dict[str, Any]
    config: dict[str, Any]

    @property
    def minimum_plan_requests(self) -> int:
        """billing + every seat page + every page of every team read + content exclusion +
        one membership check per declared user who has no seat yet."""
        seat_pages = max(1, math.ceil(self.seats / 100))
        team_pages = sum(max(1, math.ceil(len(m) / 100)) for m in self.teams.values())
        return 1 + seat_pages + team_pages + 1 + NEW_USERS

    @property
    def new_users(self) -> list[str]:
        """The declared members without a seat: one membership check each."""
        return [f"new-{i:06d}" for i in range(NEW_USERS)]

    @property
    def seat_logins(self) -> list[str]:
        org = self.world["orgs"][ORG]
        granted = set(org["selected_users"]) | {
            m for t in org["selected_teams"] for m in org["teams"][t]["members"]
        }
        return sorted(granted | set(org["seats"]))


def _world(
    *,
    members: list[str],
    teams: dict[str, list[str]],
    selected_users: list[str],
    seats: dict[str, Any],
    content_exclusion: dict[str, list[str]],
) -> dict[str, Any]:
    """The world-file form of one org owned by the benchmark token's user, every team selected."""
    org = {
        "owners": ["bench-admin"],
        "members": ["bench-admin", *members],
        "teams": {slug: {"name": slug, "members": m} for slug, m in teams.items()},
        "selected_teams": sorted(teams),
        "selected_users": selected_users,
        "seats": seats,
        "content_exclusion": content_exclusion,
    }
    scopes = ["manage_billing:copilot", "read:org", "copilot"]
    token = {"login": "bench-admin", "scopes": scopes}
    return {"now": NOW, "tokens": {TOKEN: token}, "orgs": {ORG: org}}


def build(seats: int, *, team_count: int = 20, seed: int = 7) -> Bench:
    """A world of ``seats`` billed seats and a configuration that differs by about 2 %."""
    rng = random.Random(seed)
    logins = [f"dev-{i:06d}" for i in range(seats)]
    # Ten members without a seat are declared: each needs an org-membership check (one GET).
    spare = [f"new-{i:06d}" for i in range(NEW_USERS)]  # see Bench.new_users
    team_share = seats // 3
    per_team = max(1, team_share // team_count)
    teams = {f"team-{t:02d}": logins[t * per_team : (t + 1) * per_team] for t in range(team_count)}
    in_teams = {m for members in teams.values() for m in members}
    direct = [login for login in logins if login not in in_teams]
    pending = direct[: max(1, seats // 50)]
    selected_users = direct[len(pending) :]
    world = _world(
        members=[*logins, *spare],
        teams=teams,
        selected_users=selected_users,
        seats={login: {"pending_cancellation_date": "2026-12-01"} for login in pending},
        content_exclusion={k: list(v) for k, v in EXCLUSION.items()},
    )
    dropped = set(rng.sample(selected_users, k=max(1, len(selected_users) // 100)))
    config = {
        "version": 1,
        "org": ORG,
        "seats": {
            "mode": "exact",
            "teams": sorted(teams),
            "users": sorted(u for u in selected_users if u not in dropped) + spare,
            "keep": ["bench-admin"],
        },
        "content_exclusion": {k: list(v) for k, v in EXCLUSION.items()},
        "safety": {"max_cancellations": "5%"},
    }
    return Bench(seats=seats, teams=teams, world=world, config=config)


def build_apply_at_scale(adds: int = 5000, cancels: int = 5000) -> Bench:
    """A world where the configuration adds ``adds`` users and cancels ``cancels`` seats."""
    holders = [f"old-{i:06d}" for i in range(cancels)]
    kept = [f"stay-{i:06d}" for i in range(1000)]
    newcomers = [f"new-{i:06d}" for i in range(adds)]
    world = _world(
        members=[*holders, *kept, *newcomers],
        teams={},
        selected_users=holders + kept,
        seats={},
        content_exclusion={},
    )
    config = {
        "version": 1,
        "org": ORG,
        "seats": {"mode": "exact", "users": kept + newcomers},
    }
    return Bench(seats=cancels + len(kept), teams={}, world=world, config=config)
