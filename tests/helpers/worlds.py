"""Simulator worlds and desired states for the client tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from reconciler.model import (
    DeclaredTeam,
    DeclaredUser,
    DesiredState,
    ExclusionRule,
    OrgConfig,
    SeatPolicy,
    SettingAssertion,
    Source,
    key,
)
from reconciler.simulator.world import DEFAULT_SETTINGS

NOW = "2026-11-24T12:00:00Z"
TOKEN = "test-token-owner"
ORG = "octo-org"
SCOPES = ["manage_billing:copilot", "read:org", "copilot"]
# What the simulator reports for an org whose world sets no settings (GitHub's defaults).
SETTINGS = dict(DEFAULT_SETTINGS)
CONFIG = Source("org.yaml", 1, 1)


def login(i: int) -> str:
    return f"user{i:05d}"


def org_world(
    n_seats: int,
    n_teams: int,
    *,
    team_size: int = 100,
    extra_members: Iterable[str] = (),
    org: str = ORG,
    tokens: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An org with ``n_seats`` seats: ``n_teams`` selected teams of ``team_size`` members
    (``team-00``, ...), the rest of the seats granted directly; plus unseated members."""
    members = [login(i) for i in range(n_seats)]
    teams = {
        f"team-{t:02d}": {
            "name": f"Team {t:02d}",
            "members": members[t * team_size : (t + 1) * team_size],
        }
        for t in range(n_teams)
    }
    return {
        "now": NOW,
        "tokens": tokens or {TOKEN: {"login": "octo-admin", "scopes": SCOPES}},
        "orgs": {
            org: {
                "owners": ["octo-admin"],
                "members": ["octo-admin", *members, *extra_members],
                "teams": teams,
                "selected_teams": list(teams),
                "selected_users": members[n_teams * team_size :],
                "content_exclusion": {"octo-repo": ["/secrets/**"], "*": ["**/.env"]},
            }
        },
    }


def org_config(
    org: str = ORG,
    *,
    teams: Sequence[str] = (),
    users: Sequence[str | DeclaredUser] = (),
    keep: Sequence[str] = (),
    seats: bool = True,
    settings: bool = True,
    content_exclusion: bool = True,
) -> OrgConfig:
    """An org's merged configuration managing the chosen sections."""
    declared_users = tuple(
        u if isinstance(u, DeclaredUser) else DeclaredUser(u, Source("org.yaml", 10 + i, 7))
        for i, u in enumerate(users)
    )
    policy = SeatPolicy(
        mode="exact",
        users=declared_users,
        teams=tuple(DeclaredTeam(t, Source("org.yaml", 5 + i, 9)) for i, t in enumerate(teams)),
        keep=tuple(DeclaredUser(k, CONFIG) for k in keep),
        source=CONFIG,
    )
    return OrgConfig(
        org=org,
        sources=(CONFIG,),
        settings=tuple(SettingAssertion(n, v, CONFIG) for n, v in SETTINGS.items())
        if settings
        else None,
        seats=policy if seats else None,
        content_exclusion=(ExclusionRule("octo-repo", ("/secrets/**",), CONFIG),)
        if content_exclusion
        else None,
    )


def desired(*configs: OrgConfig) -> DesiredState:
    return DesiredState(orgs={key(c.org): c for c in configs})


def team_names(n_teams: int) -> list[str]:
    return [f"team-{t:02d}" for t in range(n_teams)]
