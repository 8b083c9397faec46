"""The world `simulator serve` uses when no ``--state`` file is given: one small org."""

from __future__ import annotations

from typing import Any

DEMO_WORLD: dict[str, Any] = {
    "tokens": {
        "demo-token": {
            "login": "octo-admin",
            "scopes": ["manage_billing:copilot", "read:org", "copilot"],
        }
    },
    "orgs": {
        "octo-org": {
            "owners": ["octo-admin"],
            "members": ["octo-admin", "alice", "bob", "carol", "dave"],
            "teams": {"engineering": {"name": "Engineering", "members": ["alice", "bob"]}},
            "selected_teams": ["engineering"],
            "selected_users": ["carol"],
            "content_exclusion": {"octo-repo": ["/secrets/**"]},
        }
    },
}
