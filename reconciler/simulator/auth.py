"""Who is calling: bearer tokens and their scopes, org ownership, and GitHub App JWTs.

Tokens come from the world file (``tokens:``) or are minted by an app installation. Token
expiry, JWT ``iat``/``exp`` and installation-token lifetimes use the wall clock, because
clients mint JWTs and read ``expires_at`` with their real clock, not the simulator's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

from reconciler.simulator.http import ApiError, Request, not_found
from reconciler.simulator.ids import org_id, stable_int
from reconciler.simulator.shapes import user
from reconciler.simulator.world import App, Enterprise, Org, Token, World, key
from reconciler.timestamps import format_time

# A scope implies the scopes below it (GitHub's hierarchy for the ones this API uses).
_IMPLIED = {
    "admin:org": {"write:org", "read:org"},
    "write:org": {"read:org"},
    "admin:enterprise": {"manage_billing:enterprise", "read:enterprise"},
    "manage_billing:enterprise": {"read:enterprise"},
}

#: What an installation token of a simulated app may do.
INSTALLATION_PERMISSIONS = {
    "organization_copilot_seat_management": "write",
    "members": "read",
    "organization_administration": "read",
}

_JWT_DOCS = "https://docs.github.com/rest"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request."""

    token: str
    login: str
    scopes: frozenset[str]
    installation_org: str | None = None

    def has_any(self, accepted: tuple[str, ...]) -> bool:
        if self.installation_org is not None or not accepted:
            return True
        effective = set(self.scopes)
        for scope in self.scopes:
            effective |= _IMPLIED.get(scope, set())
        return any(scope in effective for scope in accepted)


def bearer(request: Request) -> str | None:
    """The credential of ``Authorization: Bearer X`` (or GitHub's older ``token X``)."""
    header = request.headers.get("authorization", "").strip()
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("bearer", "token") and value.strip():
        return value.strip()
    return None


def authenticate(world: World, request: Request, *, now: datetime) -> Principal:
    """The caller, or 401: no credential, an unknown one, or one expired at ``now``."""
    token = bearer(request)
    if token is None:
        raise ApiError(401, "Requires authentication")
    spec = world.tokens.get(token)
    if spec is None or (spec.expires_at is not None and spec.expires_at <= now):
        raise ApiError(401, "Bad credentials")
    return Principal(token, spec.login, spec.scopes, spec.installation_org)


def require_scopes(principal: Principal, accepted: tuple[str, ...]) -> None:
    """403 naming the accepted scopes when the token has none of them."""
    if not principal.has_any(accepted):
        raise ApiError(
            403,
            "Resource not accessible by personal access token"
            if not principal.scopes
            else f"Your token has not been granted the required scopes to execute this "
            f"query. It needs one of: {', '.join(accepted)}.",
            headers=[("X-Accepted-OAuth-Scopes", ", ".join(accepted))],
        )


def owned_org(world: World, principal: Principal, name: str) -> Org:
    """The org, if the caller owns it (or holds an installation token for it); else 404,
    because GitHub hides what a caller may not see."""
    return _visible_org(world, principal, name, owners=True)


def member_org(world: World, principal: Principal, name: str) -> Org:
    """The org, if the caller is a member of it (members may list teams and members)."""
    return _visible_org(world, principal, name, owners=False)


def _visible_org(world: World, principal: Principal, name: str, *, owners: bool) -> Org:
    org = world.orgs.get(key(name))
    if org is None:
        raise not_found()
    if principal.installation_org is not None:
        if principal.installation_org != key(name):
            raise not_found()
    elif key(principal.login) not in (org.owners if owners else org.members):
        raise not_found()
    return org


def owned_enterprise(world: World, principal: Principal, slug: str) -> Enterprise:
    ent = world.enterprises.get(key(slug))
    if ent is None or key(principal.login) not in world.enterprise_owners(ent):
        raise not_found()
    return ent


# --------------------------------------------------------------------------- GitHub Apps


def verify_app_jwt(world: World, request: Request) -> App:
    """The app whose RS256 JWT authenticates this request, or 401 as GitHub answers."""
    token = bearer(request)
    if token is None:
        raise ApiError(401, "A JSON web token could not be decoded", documentation_url=_JWT_DOCS)
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        app = world.apps.get(str(claims.get("iss")))
        if app is None:
            raise ApiError(401, "Integration not found", documentation_url=_JWT_DOCS)
        verified = jwt.decode(
            token,
            app.public_key,
            algorithms=["RS256"],
            leeway=60,
            options={"require": ["iat", "exp", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise ApiError(
            401,
            "'Expiration time' claim ('exp') must be a numeric value representing the future "
            "time at which the assertion expires",
            documentation_url=_JWT_DOCS,
        ) from None
    except jwt.PyJWTError:
        raise ApiError(
            401, "A JSON web token could not be decoded", documentation_url=_JWT_DOCS
        ) from None
    if int(verified["exp"]) - int(verified["iat"]) > 600:
        raise ApiError(
            401,
            "'Expiration time' claim ('exp') is too far in the future",
            documentation_url=_JWT_DOCS,
        )
    return app


def installation_id(raw: str) -> int:
    return int(raw) if raw.isdigit() else 1 + stable_int(f"installation:{raw}")


def installation(world: World, app: App, raw_id: str, api: str) -> dict[str, Any]:
    """GitHub's installation object for one installation of ``app``."""
    org = world.orgs[app.installations[raw_id]]
    number = installation_id(raw_id)
    account = user(org.name, api)
    account.update(id=org_id(org.name), type="Organization", url=f"{api}/orgs/{org.name}")
    return {
        "id": number,
        "account": account,
        "repository_selection": "all",
        "access_tokens_url": f"{api}/app/installations/{number}/access_tokens",
        "repositories_url": f"{api}/installation/repositories",
        "html_url": f"https://github.com/organizations/{org.name}/settings/installations/{number}",
        "app_id": installation_id(app.app_id),
        "app_slug": app.slug or f"app-{app.app_id}",
        "target_id": org_id(org.name),
        "target_type": "Organization",
        "permissions": dict(INSTALLATION_PERMISSIONS),
        "events": [],
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-01-01T00:00:00Z",
        "single_file_name": None,
        "has_multiple_single_files": False,
        "single_file_paths": [],
        "suspended_by": None,
        "suspended_at": None,
    }


def find_installation(app: App, number: str) -> str | None:
    """The world key of the installation whose numeric id is ``number``."""
    for raw in app.installations:
        if str(installation_id(raw)) == number:
            return raw
    return None


def mint_installation_token(
    world: World, app: App, raw_id: str, *, now: datetime
) -> dict[str, Any]:
    """A fresh ``ghs_`` token acting as an owner of the installation's org for an hour
    from ``now``."""
    now = now.replace(microsecond=0)
    for token in [t for t, s in world.tokens.items() if s.expires_at and s.expires_at <= now]:
        if world.tokens[token].installation_org is not None:
            del world.tokens[token]
    token = "ghs_" + secrets.token_urlsafe(27)[:36]
    expires = now + timedelta(hours=1)
    login = f"{app.slug or 'app-' + app.app_id}[bot]"
    world.tokens[token] = Token(login, frozenset(), expires, app.installations[raw_id])
    return {
        "token": token,
        "expires_at": format_time(expires),
        "permissions": dict(INSTALLATION_PERMISSIONS),
        "repository_selection": "all",
    }
