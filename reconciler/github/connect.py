"""The factory the CLI calls: options and environment in, a ready :class:`GitHubClient` out."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

import httpx
import platformdirs

from reconciler.errors import AuthenticationError, ReconcilerError
from reconciler.github.auth import Auth, TokenAuth, auth_from_env
from reconciler.github.client import GitHubClient
from reconciler.github.settings import DEFAULT_API_URL, ClientSettings, validate_api_url
from reconciler.typing import Log, Progress

_CREDENTIAL_VARS = ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_APP_ID")


class SimulatorLike(Protocol):
    """What :func:`connect` needs of :class:`reconciler.simulator.Simulator`."""

    def transport(self) -> httpx.BaseTransport: ...

    def default_token(self) -> str | None: ...


def default_cache_dir() -> Path:
    """The ETag cache's default home: the user's cache directory for this tool."""
    return platformdirs.user_cache_path("copilot-reconciler", appauthor=False)


def connect(
    *,
    api_url: str | None,
    simulate: SimulatorLike | None,
    env: Mapping[str, str],
    cache_dir: Path | None,
    concurrency: int,
    points_per_minute: int | None = None,
    response_time_per_minute_s: float | None = None,
    log: Log | None = None,
    on_wait: Log | None = None,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> GitHubClient:
    """A client for ``--api-url`` / ``$GITHUB_API_URL`` / api.github.com, or for a simulator.

    With ``simulate``, requests go to ``simulate.transport()`` in process (``api_url`` is
    ignored) and the credential is the environment's if it sets one, else the simulator's
    default token. Without it, the URL must be https (http only for a loopback host) and the
    environment must provide a credential (see :func:`auth_from_env`).
    """
    if concurrency < 1:
        raise ReconcilerError(f"--concurrency must be at least 1, not {concurrency}")
    transport: httpx.BaseTransport | None = None
    auth: Auth
    if simulate is not None:
        url = DEFAULT_API_URL
        transport = simulate.transport()
        if any(env.get(name, "").strip() for name in _CREDENTIAL_VARS):
            auth = auth_from_env(env)
        else:
            token = simulate.default_token()
            if not token:
                raise AuthenticationError(
                    "the simulator's world has no token of an org owner: add one under "
                    "`tokens:` or set $GITHUB_TOKEN"
                )
            auth = TokenAuth(token, source="the simulator's default token")
    else:
        url = validate_api_url(api_url or env.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL)
        auth = auth_from_env(env)
    settings = ClientSettings(
        api_url=url,
        concurrency=concurrency,
        cache_dir=cache_dir,
        points_per_minute=points_per_minute,
        response_time_per_minute_s=response_time_per_minute_s,
    )
    return GitHubClient(
        settings,
        auth,
        transport=transport,
        log=log,
        on_wait=on_wait,
        progress=progress,
        sleep=sleep,
    )
