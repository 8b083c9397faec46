"""PyGithub's documented Copilot flow, as a user would write it; run by test_pygithub.py
against `simulator serve` and printing what it saw as JSON.

A script run in its own process: the test tree's `tests/github` package would shadow
PyGithub's `github` module inside pytest.

    python pygithub_client.py BASE_URL TOKEN ORG
"""

from __future__ import annotations

import json
import sys
from typing import Any

from github import Auth, Github, GithubException


def seats(client: Github, org: str) -> list[dict[str, Any]]:
    copilot = client.get_organization(org).get_copilot()
    return [
        {
            "login": seat.assignee.login,
            "team": seat.assigning_team.slug if seat.assigning_team else None,
            "pending": seat.pending_cancellation_date is not None,
            "editor": seat.last_activity_editor,
            "org": seat.organization.login,
        }
        for seat in copilot.get_seats()
    ]


def status_of(client: Github, org: str) -> int:
    try:
        client.get_organization(org).login  # noqa: B018  (the read is lazy)
    except GithubException as error:
        return error.status
    return 200


def main(base_url: str, token: str, org_name: str) -> dict[str, Any]:
    # retry=None: a failure must show, not be retried away.
    client = Github(base_url=base_url, auth=Auth.Token(token), per_page=2, retry=None)
    try:
        org = client.get_organization(org_name)
        out: dict[str, Any] = {
            "org": {"login": org.login, "id": org.id, "type": org.type, "html_url": org.html_url},
            "before": seats(client, org_name),
        }
        copilot = org.get_copilot()
        out["added"] = copilot.add_seats(["octo-admin"])
        out["removed"] = copilot.remove_seats(["carol"])
        out["after"] = seats(client, org_name)
        out["unknown_org"] = status_of(client, "no-such-org")
    finally:
        client.close()
    anonymous = Github(base_url=base_url, retry=None)
    out["anonymous"] = status_of(anonymous, org_name)
    anonymous.close()
    return out


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
