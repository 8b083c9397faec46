"""What one request is and what came back: the retry loop's state, the reply it returns, and
how a response's body, links and failures are read."""

from __future__ import annotations

import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import msgspec

from reconciler.errors import RemoteError
from reconciler.github.pages import Typed


@dataclass
class Call:
    """One logical request and what its attempts have met so far."""

    method: str
    target: httpx.URL
    org: str | None
    app_jwt: str | None
    not_found: str | None
    failures: int = 0  # transport errors, 5xx and unparseable bodies
    limited: int = 0  # secondary rate limits
    primary_waits: int = 0
    refreshed: bool = False  # an App token is renewed once per request

    @property
    def what(self) -> str:
        return f"{self.method} {self.target.raw_path.decode('ascii', 'replace')}"


@dataclass(frozen=True)
class Reply:
    """A successful (or explicitly accepted) answer; ``body`` is parsed JSON or ``None``."""

    status: int
    body: Any
    links: Mapping[str, str]
    from_cache: bool = False


#: What :func:`parse_body` returns for a body that is not JSON.
INVALID = object()


def unresolvable(exc: httpx.TransportError) -> bool:
    """True when the host name does not resolve at all (not a temporary DNS failure)."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return cause.errno != socket.EAI_AGAIN
        cause = cause.__cause__ or cause.__context__
    return False


def parse_body(response: httpx.Response, typed: Typed[Any] | None = None) -> Any:
    """The JSON body (decoded into ``typed``'s shape when given), ``None`` for no content, or
    :data:`INVALID`."""
    if response.status_code == 204 or not response.content:
        return None
    try:
        return typed.decode(response.content) if typed else _JSON.decode(response.content)
    except (ValueError, msgspec.DecodeError):
        return INVALID


def parse_links(header: str | None) -> dict[str, str]:
    """``{rel: url}`` of a ``Link`` header (RFC 8288), without building a Response for it."""
    if not header:
        return {}
    links: dict[str, str] = {}
    for url, params in _LINK.findall(header):
        rel = _REL.search(params)
        if rel:
            links[rel.group(1).strip()] = url.strip()  # the last of a rel wins, as in httpx
    return links


# `<URL>; param; rel="next"`, values separated by commas (a URL's own commas are inside <>).
_LINK = re.compile(r"<([^>]*)>([^<]*)")
_REL = re.compile(r'(?:^|;)\s*rel\s*=\s*"?([^";,]+)"?', re.IGNORECASE)
# msgspec's untyped decoder gives what json.loads gives, about twice as fast.
_JSON = msgspec.json.Decoder()


def last_page(links: Mapping[str, str]) -> int | None:
    """The page number of ``rel="last"``, or None when the API did not say."""
    last = links.get("last")
    if not last:
        return None
    try:
        return int(httpx.URL(last).params.get("page", ""))
    except ValueError:
        return None


def json_object(body: Any, what: str) -> dict[str, Any]:
    """``body`` if it is a JSON object; else a RemoteError naming ``what``."""
    if not isinstance(body, dict):
        raise RemoteError(f"{what} is not a JSON object")
    return body


def json_logins(body: Any, what: str) -> list[str]:
    """The logins of a JSON list of users; a RemoteError naming ``what`` if it is no list."""
    if not isinstance(body, list):
        raise RemoteError(f"{what} is not a JSON list")
    return [str(user["login"]) for user in body if isinstance(user, dict) and user.get("login")]
