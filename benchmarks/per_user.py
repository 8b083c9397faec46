"""The resource-per-seat alternative: one `GET /orgs/{org}/members/{username}/copilot` per user,
serially, as a Terraform-style provider refreshes one resource per seat.

    python -m benchmarks.per_user URL TOKEN ORG LOGIN...
"""

from __future__ import annotations

import sys

import httpx


def main(argv: list[str]) -> int:
    url, token, org, *logins = argv
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
    }
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        for login in logins:
            client.get(f"/orgs/{org}/members/{login}/copilot").raise_for_status()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
