"""Everything that talks to the GitHub API, behind a narrow typed interface.

The planner and apply use :class:`GitHubClient` and :func:`read_live_state`; the CLI builds
a client with :func:`reconciler.github.connect.connect`. Real GitHub and the simulator are
interchangeable: only the base URL or the transport differs. See docs/client.md.
"""

from __future__ import annotations

from reconciler.github.auth import AppAuth, Auth, TokenAuth, auth_from_env
from reconciler.github.client import GitHubClient
from reconciler.github.reader import read_live_state
from reconciler.github.settings import DEFAULT_API_URL, ClientSettings

__all__ = [
    "DEFAULT_API_URL",
    "AppAuth",
    "Auth",
    "ClientSettings",
    "GitHubClient",
    "TokenAuth",
    "auth_from_env",
    "read_live_state",
]
