"""How the client connects: base URL, timeouts, retries, spacing, cache and concurrency."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path

import httpx

from reconciler.errors import ReconcilerError
from reconciler.github.budget import (
    GITHUB_POINTS_PER_MINUTE,
    GITHUB_RESPONSE_TIME_PER_MINUTE_S,
    Budgets,
)

DEFAULT_API_URL = "https://api.github.com"

#: GitHub asks for at least one second between mutating requests.
REMOTE_MUTATION_INTERVAL_S = 1.0


@dataclass(frozen=True)
class ClientSettings:
    """Connection settings of a :class:`~reconciler.github.GitHubClient`.

    ``mutation_interval_s`` ``None`` means: 1 s against a remote host (GitHub's guidance), 0
    against a loopback host or an injected transport (the simulator has no such limit).
    ``cache_dir`` ``None`` means no ETag cache. ``points_per_minute`` (per endpoint) and
    ``response_time_per_minute_s`` pace requests under GitHub's secondary rate limits:
    ``None`` means GitHub's budgets (900 points, 90 s) against a remote host and none against
    a loopback host or an injected transport; 0 means no budget.
    """

    api_url: str = DEFAULT_API_URL
    concurrency: int = 1
    mutation_interval_s: float | None = None
    cache_dir: Path | None = None
    max_rate_limit_wait_s: float = 900.0
    timeout_s: float = 30.0
    retries: int = 5
    points_per_minute: int | None = None
    response_time_per_minute_s: float | None = None

    def budgets(self, *, injected_transport: bool) -> Budgets:
        """The secondary-rate-limit budgets that apply to this connection."""
        remote = not (injected_transport or is_loopback_host(httpx.URL(self.api_url).host))
        points = _budget(self.points_per_minute, GITHUB_POINTS_PER_MINUTE, remote)
        seconds = _budget(
            self.response_time_per_minute_s, GITHUB_RESPONSE_TIME_PER_MINUTE_S, remote
        )
        return Budgets(
            points_per_minute=None if points is None else int(points),
            response_time_per_minute_s=seconds,
        )

    def mutation_interval(self, *, injected_transport: bool) -> float:
        """The spacing between mutations that applies to this connection."""
        if self.mutation_interval_s is not None:
            return max(0.0, self.mutation_interval_s)
        if injected_transport or is_loopback_host(httpx.URL(self.api_url).host):
            return 0.0
        return REMOTE_MUTATION_INTERVAL_S


def _budget(value: float | None, github: float, remote: bool) -> float | None:
    if value is None:
        return github if remote else None
    return value if value > 0 else None


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# scheme://userinfo@ : whatever stands between "//" and the last "@" before the path.
_USERINFO = re.compile(r"(?<=//)[^/?#\s]*@")


def redact_url(text: str) -> str:
    """``text`` with the credentials of every URL in it (``user:password@``) replaced by
    ``[redacted]@``: a URL is shown in messages, its credentials never are."""
    return _USERINFO.sub("[redacted]@", text)


def validate_api_url(url: str) -> str:
    """Check an API base URL and return it without a trailing slash.

    HTTPS is required because every request carries the token; plain HTTP is accepted only
    for loopback hosts (a local simulator). GHE.com (``https://api.SUBDOMAIN.ghe.com``) is an
    ordinary HTTPS URL.
    """
    text = url.strip()
    shown = redact_url(text)
    try:
        parsed = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise ReconcilerError(f"invalid API URL {shown!r}: {redact_url(str(exc))}") from None
    if parsed.scheme not in ("https", "http") or not parsed.host:
        raise ReconcilerError(
            f"invalid API URL {shown!r}: expected https://HOST, for example "
            f"{DEFAULT_API_URL} or https://api.SUBDOMAIN.ghe.com"
        )
    if parsed.scheme == "http" and not is_loopback_host(parsed.host):
        raise ReconcilerError(
            f"refusing plain-HTTP API URL {shown!r}: the token would travel unencrypted; "
            "use https:// (http:// is accepted only for localhost / 127.0.0.1)"
        )
    if parsed.query or parsed.fragment or parsed.userinfo:
        raise ReconcilerError(
            f"invalid API URL {shown!r}: no query, fragment or credentials allowed"
        )
    return text.rstrip("/")
