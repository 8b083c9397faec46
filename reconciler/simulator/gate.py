"""Who may call the control API of ``simulator serve``.

The control API rewrites the world, its tokens included, so by default it answers only
clients on this machine (loopback). Started with a control token, it answers any client
that presents that token, and no client without it: a reverse proxy on the same machine makes
every remote client look local, so a token is what protects a server reachable from outside.
Report downloads under ``/_simulator/reports/`` are signed links for any client and pass.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping

from reconciler.simulator.http import ApiError, Response

_CONTROL = "/_simulator/"
_REPORTS = "/_simulator/reports/"


def is_control(target: str) -> bool:
    """Whether a request target is a control call (report downloads are not)."""
    path = target.partition("?")[0]
    return path.startswith(_CONTROL) and not path.startswith(_REPORTS)


def is_loopback(host: str) -> bool:
    """Whether a peer address is this machine's loopback (IPv4-mapped IPv6 included)."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


class ControlGate:
    """Admits control calls: from loopback without ``token``; with ``token`` only when the
    request carries ``Authorization: Bearer <token>`` (from anywhere)."""

    def __init__(self, token: str | None = None) -> None:
        self._token = token.encode() if token else None

    @property
    def protected(self) -> bool:
        """Whether a control token is required."""
        return self._token is not None

    def refuse(self, peer: str, headers: Mapping[str, str]) -> Response | None:
        """The answer refusing a control call from ``peer``, or None to admit it."""
        if self._token is None:
            if is_loopback(peer):
                return None
            return ApiError(
                403,
                "The control API answers only on loopback; start `simulator serve` with "
                "--control-token to reach it from other machines.",
            ).response()
        lowered = {k.lower(): v for k, v in headers.items()}
        scheme, _, given = lowered.get("authorization", "").strip().partition(" ")
        if scheme.lower() in ("bearer", "token") and hmac.compare_digest(
            given.strip().encode("utf-8", "replace"), self._token
        ):
            return None
        return ApiError(
            401,
            "The control API needs `Authorization: Bearer <control token>` (the token "
            "`simulator serve` was started with).",
        ).response()
