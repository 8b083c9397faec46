"""GitHub's object shapes: users, teams, organizations and seats, as GitHub really sends them.

Ids come from :mod:`reconciler.simulator.ids`, stable across requests and restarts.
``api`` is the base URL the request came in on, so links point back at the simulator.
"""

from __future__ import annotations

from typing import Any

from reconciler.simulator.ids import node_id, org_id, team_id, user_id
from reconciler.simulator.world import Org, Seat, Team, key
from reconciler.timestamps import format_time


def user(login: str, api: str) -> dict[str, Any]:
    """GitHub's simple user object."""
    number = user_id(login)
    base = f"{api}/users/{login}"
    return {
        "login": login,
        "id": number,
        "node_id": node_id("User", number),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{number}?v=4",
        "gravatar_id": "",
        "url": base,
        "html_url": f"https://github.com/{login}",
        "followers_url": f"{base}/followers",
        "following_url": f"{base}/following{{/other_user}}",
        "gists_url": f"{base}/gists{{/gist_id}}",
        "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{base}/subscriptions",
        "organizations_url": f"{base}/orgs",
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events{{/privacy}}",
        "received_events_url": f"{base}/received_events",
        "type": "User",
        "site_admin": False,
    }


def organization(org: Org, api: str) -> dict[str, Any]:
    """GitHub's simple organization object."""
    number = org_id(org.name)
    base = f"{api}/orgs/{org.name}"
    return {
        "login": org.name,
        "id": number,
        "node_id": node_id("Organization", number),
        "url": base,
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events",
        "hooks_url": f"{base}/hooks",
        "issues_url": f"{base}/issues",
        "members_url": f"{base}/members{{/member}}",
        "public_members_url": f"{base}/public_members{{/member}}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{number}?v=4",
        "description": org.description,
    }


def team(org: Org, team_: Team, api: str) -> dict[str, Any]:
    """GitHub's team object as it appears in lists and in ``assigning_team``."""
    number = team_id(org.name, team_.slug)
    base = f"{api}/organizations/{org_id(org.name)}/team/{number}"
    return {
        "id": number,
        "node_id": node_id("Team", number),
        "url": base,
        "html_url": f"https://github.com/orgs/{org.name}/teams/{team_.slug}",
        "name": team_.name,
        "slug": team_.slug,
        "description": team_.description,
        "privacy": team_.privacy,
        "notification_setting": "notifications_enabled",
        "permission": "pull",
        "members_url": f"{base}/members{{/member}}",
        "repositories_url": f"{base}/repos",
        "parent": None,
        "type": "organization",
    }


def team_full(org: Org, team_: Team, api: str) -> dict[str, Any]:
    """GitHub's full team object (``GET /orgs/{org}/teams/{team_slug}``)."""
    body = team(org, team_, api)
    body["members_count"] = len(team_.members)
    body["repos_count"] = 0
    # Teams carry no history in the world file: a fixed, plausible creation time.
    body["created_at"] = "2024-01-01T00:00:00Z"
    body["updated_at"] = "2024-01-01T00:00:00Z"
    body["organization"] = organization(org, api)
    return body


def seat(
    org: Org, record: Seat, api: str, org_body: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A seat object: only the keys GitHub's schema allows; ``assigning_team`` only when a
    selected team grants the seat."""
    body: dict[str, Any] = {
        "created_at": format_time(record.created_at),
        "updated_at": format_time(record.updated_at),
        "pending_cancellation_date": (
            record.pending_cancellation_date.isoformat()
            if record.pending_cancellation_date
            else None
        ),
        "last_activity_at": (
            format_time(record.last_activity_at) if record.last_activity_at else None
        ),
        "last_activity_editor": record.last_activity_editor,
        "last_authenticated_at": (
            format_time(record.last_authenticated_at) if record.last_authenticated_at else None
        ),
        "plan_type": record.plan_type or org.settings.get("plan_type", "business"),
        "assignee": user(record.login, api),
        "organization": org_body if org_body is not None else organization(org, api),
    }
    granting = org.assigning_team(key(record.login))
    if granting is not None:
        body["assigning_team"] = team(org, granting, api)
    return body
