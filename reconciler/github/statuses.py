"""HTTP answers mapped to the error tree, in one place.

:func:`error_for_response` is the only function that turns a failed answer into a
:class:`~reconciler.errors.RemoteError`; :func:`rate_limit_kind` tells the retry loop whether a
403/429 is a rate limit. Every message is passed through a scrubber so that no secret the
client holds can reach a user, a log or a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import httpx

from reconciler.errors import (
    AuthenticationError,
    ForbiddenError,
    NotFoundError,
    PayloadTooLargeError,
    PreconditionError,
    RateLimitError,
    RemoteError,
)

RateLimitKind = Literal["primary", "secondary"]
Scrub = Callable[[str], str]

# The scopes a classic token needs for everything this tool does (docs/client.md).
NEEDED_SCOPES = "manage_billing:copilot and read:org (plus copilot to write content exclusion)"


def body_of(response: httpx.Response) -> dict[str, Any]:
    """The JSON object of an error answer, or an empty dict when there is none."""
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def api_message(response: httpx.Response) -> str:
    """GitHub's ``message`` field, or the reason phrase when the body has none."""
    message = body_of(response).get("message")
    # Messages end in a full stop; ours continue after a colon.
    return str(message).strip().rstrip(".") if message else response.reason_phrase


def rate_limit_kind(response: httpx.Response) -> RateLimitKind | None:
    """Whether a 403/429 answer is a primary or a secondary rate limit (``None``: neither)."""
    if response.status_code not in (403, 429):
        return None
    if "secondary rate limit" in api_message(response).lower():
        return "secondary"
    if response.headers.get("x-ratelimit-remaining") == "0":
        return "primary"
    if response.status_code == 429 or "retry-after" in response.headers:
        return "secondary"
    return None


def _errors_text(response: httpx.Response) -> str:
    """The ``errors[]`` of a 422, one short phrase each."""
    parts: list[str] = []
    for item in body_of(response).get("errors") or []:
        if isinstance(item, dict):
            text = item.get("message") or ", ".join(f"{k}={v}" for k, v in sorted(item.items()))
            parts.append(str(text))
        else:
            parts.append(str(item))
    return "; ".join(parts)


def _precondition_hint(text: str) -> str:
    """What to change in the org when a 422 names a known precondition."""
    low = text.lower()
    if "seat management" in low or "seat_management" in low or "assign_all" in low:
        return (
            "set the organization's Copilot access to selected members "
            "(seat_management_setting assign_selected: Organization settings → Copilot → "
            "Access); seats cannot be assigned while it is assign_all, unconfigured or disabled"
        )
    if "public code" in low or "public_code" in low:
        return (
            "choose a policy for suggestions matching public code (Organization settings → "
            "Copilot → Policies); it must not be unconfigured before seats can be assigned"
        )
    if "team" in low and ("only" in low or "assign" in low):
        return (
            "the seat comes from a team: remove the user from that team, or unselect the team, "
            "instead of removing the user directly"
        )
    if "member" in low:
        return "invite the user to the organization first, or remove them from the configuration"
    return "change the request or the organization's settings as the API's errors say"


def error_for_response(
    response: httpx.Response,
    *,
    what: str,
    org: str | None,
    auth_description: str,
    scrub: Scrub,
    not_found: str | None = None,
) -> RemoteError:
    """The one mapping of a failed answer to an actionable error.

    ``what`` names the call ("GET /orgs/x/copilot/billing"); ``not_found`` replaces the default
    404 explanation (for a team, an app installation, ...). Rate limits are expected to have
    been handled by the retry loop; one that reaches here is reported as exhausted.
    """
    # Long: one branch per status GitHub documents, kept together as the mapping it is.
    status = response.status_code
    message = api_message(response)
    head = f"{what}: {status} {message}"
    text: str
    kind: type[RemoteError]
    if status == 401:
        kind = AuthenticationError
        if "GitHub App" in auth_description:
            advice = (
                "check the app id, its private key, that the app is still installed and that "
                "this machine's clock is right"
            )
        else:
            advice = f"create a new token with the scopes {NEEDED_SCOPES} and set it again"
        text = f"{head}: {auth_description} is invalid or expired; {advice}"
    elif status in (403, 429) and rate_limit_kind(response) is not None:
        kind = RateLimitError
        text = f"{head}: the API rate limit did not clear; retry later"
    elif status == 403:
        kind = ForbiddenError
        accepted = _scopes(response.headers.get("x-accepted-oauth-scopes"))
        held = _scopes(response.headers.get("x-oauth-scopes"))
        missing = [scope for scope in accepted if scope not in held]
        if missing:
            text = (
                f"{head}: {auth_description} lacks the scope {' or '.join(missing)} "
                f"(this call accepts: {', '.join(accepted)}; the token has: "
                f"{', '.join(held) or 'none'}); add it to the token"
            )
        else:
            text = (
                f"{head}: {auth_description} may not do this; the token's user must be an "
                f"owner of {org or 'the organization'} (a fine-grained token or an App needs "
                "the 'GitHub Copilot Business' organization permission)"
            )
    elif status == 404:
        kind = NotFoundError
        text = f"{what}: 404: " + (
            not_found or f"organization {org} not found, or the token's user is not an owner of it"
        )
    elif status == 422:
        kind = PreconditionError
        details = _errors_text(response)
        found = f"{message} ({details})" if details else message
        text = f"{what}: 422 {found}: {_precondition_hint(message + ' ' + details)}"
    elif status == 413:
        kind = PayloadTooLargeError
        text = (
            f"{head}: the content-exclusion map of {org} is larger than the API accepts; "
            "use fewer or broader patterns (for example one `**` pattern instead of many files)"
        )
    elif status >= 500:
        kind = RemoteError
        text = f"{head}: the API kept failing; retry later (see https://www.githubstatus.com)"
    else:
        kind = RemoteError
        text = f"{head}: unexpected answer"
    return kind(scrub(text), status=status)


def _scopes(header: str | None) -> list[str]:
    return [part.strip() for part in (header or "").split(",") if part.strip()]
