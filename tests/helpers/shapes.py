"""GitHub's stricter shapes (api-semantics.md, "Shapes GitHub really sends") as JSON Schemas.

The copied OpenAPI document is looser than GitHub's own published schemas; answers must
satisfy both, so that clients written against GitHub work unchanged.
"""

from __future__ import annotations

from typing import Any

_URL = {"type": "string", "minLength": 1}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}

SIMPLE_USER: dict[str, Any] = {
    "type": "object",
    "required": [
        "login",
        "id",
        "node_id",
        "avatar_url",
        "gravatar_id",
        "url",
        "html_url",
        "followers_url",
        "following_url",
        "gists_url",
        "starred_url",
        "subscriptions_url",
        "organizations_url",
        "repos_url",
        "events_url",
        "received_events_url",
        "type",
        "site_admin",
    ],
    "properties": {
        "login": {"type": "string"},
        "id": {"type": "integer"},
        "node_id": {"type": "string"},
        "gravatar_id": {"type": ["string", "null"]},
        "type": {"type": "string"},
        "site_admin": {"type": "boolean"},
        **dict.fromkeys(
            (
                "avatar_url",
                "url",
                "html_url",
                "followers_url",
                "following_url",
                "gists_url",
                "starred_url",
                "subscriptions_url",
                "organizations_url",
                "repos_url",
                "events_url",
                "received_events_url",
            ),
            _URL,
        ),
    },
}

TEAM: dict[str, Any] = {
    "type": "object",
    "required": [
        "id",
        "node_id",
        "url",
        "html_url",
        "name",
        "slug",
        "description",
        "permission",
        "members_url",
        "repositories_url",
        "parent",
        "type",
    ],
    "properties": {
        "id": {"type": "integer"},
        "node_id": {"type": "string"},
        "url": _URL,
        "html_url": _URL,
        "name": {"type": "string"},
        "slug": {"type": "string"},
        "description": {"type": ["string", "null"]},
        "privacy": {"enum": ["closed", "secret"]},
        "notification_setting": {"enum": ["notifications_enabled", "notifications_disabled"]},
        "permission": {"type": "string"},
        "members_url": _URL,
        "repositories_url": _URL,
        "parent": {"type": ["object", "null"]},
        "type": {"enum": ["organization", "enterprise"]},
    },
}

ORGANIZATION: dict[str, Any] = {
    "type": "object",
    "required": [
        "login",
        "id",
        "node_id",
        "url",
        "repos_url",
        "events_url",
        "hooks_url",
        "issues_url",
        "members_url",
        "public_members_url",
        "avatar_url",
        "description",
    ],
    "properties": {
        "login": {"type": "string"},
        "id": {"type": "integer"},
        "node_id": {"type": "string"},
        "description": {"type": ["string", "null"]},
    },
}

#: ``GET /orgs/{org}`` (GitHub's organization-full, as a non-owner sees it).
ORGANIZATION_FULL: dict[str, Any] = {
    "type": "object",
    "required": [
        *ORGANIZATION["required"],
        "html_url",
        "has_organization_projects",
        "has_repository_projects",
        "public_repos",
        "public_gists",
        "followers",
        "following",
        "type",
        "created_at",
        "updated_at",
        "archived_at",
    ],
    "properties": {
        **ORGANIZATION["properties"],
        "name": {"type": ["string", "null"]},
        "html_url": {"type": "string", "format": "uri"},
        "has_organization_projects": {"type": "boolean"},
        "has_repository_projects": {"type": "boolean"},
        "public_repos": {"type": "integer"},
        "public_gists": {"type": "integer"},
        "followers": {"type": "integer"},
        "following": {"type": "integer"},
        "type": {"const": "Organization"},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "archived_at": _NULLABLE_TIME,
    },
}

#: A seat: only these keys, and no null assigning_team (the key is left out instead).
SEAT: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["created_at"],
    "properties": {
        "assignee": SIMPLE_USER,
        "organization": {"anyOf": [ORGANIZATION, {"type": "null"}]},
        "assigning_team": TEAM,
        "pending_cancellation_date": {"type": ["string", "null"], "format": "date"},
        "last_activity_at": _NULLABLE_TIME,
        "last_activity_editor": {"type": ["string", "null"]},
        "last_authenticated_at": _NULLABLE_TIME,
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "plan_type": {"enum": ["business", "enterprise", "unknown"]},
    },
}

SEAT_LIST: dict[str, Any] = {
    "type": "object",
    "required": ["total_seats", "seats"],
    "properties": {"total_seats": {"type": "integer"}, "seats": {"type": "array", "items": SEAT}},
}

BILLING: dict[str, Any] = {
    "type": "object",
    "required": [
        "seat_breakdown",
        "seat_management_setting",
        "public_code_suggestions",
        "plan_type",
        "ide_chat",
        "platform_chat",
        "cli",
    ],
    "properties": {
        "seat_breakdown": {
            "type": "object",
            "required": [
                "total",
                "added_this_cycle",
                "pending_invitation",
                "pending_cancellation",
                "active_this_cycle",
                "inactive_this_cycle",
            ],
            "additionalProperties": {"type": "integer"},
        }
    },
}

ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["message", "documentation_url"],
    "properties": {
        "message": {"type": "string"},
        "documentation_url": {"type": "string"},
        "errors": {"type": "array"},
    },
}
