"""Credentials: a token from the environment, or a GitHub App that mints installation tokens.

An :class:`Auth` hands the client a current token for an org and is told when the API
refused it. Neither class ever shows a secret: their reprs name only where the credential
came from, and no error message quotes a token, a JWT or a private key.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from reconciler.errors import AuthenticationError, RemoteError

if TYPE_CHECKING:  # PyJWT and cryptography cost 50 ms to import: only GitHub Apps need them
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

#: ``(method, path, jwt) -> JSON object``: the client's way of calling the ``/app`` endpoints.
AppCall = Callable[[str, str, str], dict[str, Any]]

# Installation tokens live an hour; renew them this long before they expire.
_RENEW_BEFORE_S = 300.0
# App JWTs may live at most 10 minutes; GitHub advises back-dating iat for clock drift.
_JWT_LIFETIME_S = 540
_JWT_BACKDATE_S = 60


class Auth(Protocol):
    """What the client needs from a credential."""

    @property
    def description(self) -> str:
        """Where the credential came from, for messages: "the token from $GITHUB_TOKEN"."""
        ...

    def token(self, org: str | None, app: AppCall) -> str:
        """A token valid now for requests about ``org`` (``app`` mints one if needed)."""
        ...

    def refresh(self, org: str | None) -> bool:
        """The API refused the token (401): forget it; True when a new one may succeed."""
        ...

    def cache_identity(self, org: str | None, app: AppCall) -> bytes:
        """Who is asking, for the ETag cache partition (hashed before it touches disk)."""
        ...


def check_token_form(token: str, source: str) -> None:
    """Refuse a token that cannot travel in an HTTP header before any request is made.

    GitHub's tokens are printable ASCII without spaces. Anything else is a copy-and-paste
    accident (a line break, a quote, a non-breaking space); sending it would fail on this
    machine and the transport's error would quote the header, token included. The message
    says where the bad character is, never what the token holds.
    """
    for position, char in enumerate(token, start=1):
        if not ("!" <= char <= "~"):
            kind = (
                "a line break"
                if char in "\r\n"
                else ("a space or control character" if char.isascii() else "a non-ASCII character")
            )
            raise AuthenticationError(
                f"{source} contains {kind} at character {position} of {len(token)}: GitHub "
                "tokens are printable ASCII without spaces; check how the secret was set"
            )


class TokenAuth:
    """A personal access token, OAuth token or Actions token, used as is."""

    def __init__(self, token: str, *, source: str = "the token") -> None:
        token = token.strip()
        if not token:
            raise AuthenticationError(f"{source} is empty")
        check_token_form(token, source)
        self._token = token
        self._source = source

    def __repr__(self) -> str:
        return f"TokenAuth(source={self._source!r})"

    @property
    def description(self) -> str:
        return self._source

    def token(self, org: str | None, app: AppCall) -> str:
        return self._token

    def refresh(self, org: str | None) -> bool:
        return False  # a static token does not get better by asking again

    def cache_identity(self, org: str | None, app: AppCall) -> bytes:
        return b"token:" + self._token.encode("utf-8")


class AppAuth:
    """A GitHub App: signs a JWT with its private key and exchanges it for installation tokens.

    The installation is ``installation_id`` when given, else the app's installation on the
    org of each request (``GET /orgs/{org}/installation``), else on ``org``. Tokens are kept
    per installation and renewed five minutes before they expire, or after a 401.
    """

    def __init__(
        self,
        app_id: str,
        private_key_pem: str,
        *,
        installation_id: int | None = None,
        org: str | None = None,
        source: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._app_id = str(app_id).strip()
        if not self._app_id:
            raise AuthenticationError(f"{source or 'the GitHub App'}: the app id is empty")
        self._source = source
        self._key = _load_key(private_key_pem, source or f"GitHub App {self._app_id}")
        self._installation_id = installation_id
        self._org = org
        self._clock = clock
        self._installations: dict[str, int] = {}  # key(org) -> installation id
        self._tokens: dict[int, tuple[str, float]] = {}  # installation -> (token, expires)
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"AppAuth(app_id={self._app_id!r}, installation_id={self._installation_id!r})"

    @property
    def description(self) -> str:
        where = f" (key from {self._source})" if self._source else ""
        return f"the installation token of GitHub App {self._app_id}{where}"

    def token(self, org: str | None, app: AppCall) -> str:
        with self._lock:
            installation = self._installation(org, app)
            held = self._tokens.get(installation)
            if held is not None and held[1] - self._clock() > _RENEW_BEFORE_S:
                return held[0]
            answer = app("POST", f"/app/installations/{installation}/access_tokens", self._jwt())
            token = answer.get("token")
            if not isinstance(token, str) or not token:
                raise RemoteError(f"GitHub App {self._app_id}: no token in the token answer")
            self._tokens[installation] = (token, self._expiry(answer.get("expires_at")))
            return token

    def refresh(self, org: str | None) -> bool:
        with self._lock:
            target = self._installation_id or self._installations.get((org or "").lower())
            if target is None or target not in self._tokens:
                return False
            del self._tokens[target]
            return True

    def cache_identity(self, org: str | None, app: AppCall) -> bytes:
        with self._lock:
            installation = self._installation(org, app)
        return f"app:{self._app_id}:installation:{installation}".encode()

    def _installation(self, org: str | None, app: AppCall) -> int:
        if self._installation_id is not None:
            return self._installation_id
        target = org or self._org
        if not target:
            raise AuthenticationError(
                f"GitHub App {self._app_id}: no organization to find the installation of; "
                "set GITHUB_APP_INSTALLATION_ID"
            )
        found = self._installations.get(target.lower())
        if found is None:
            answer = app("GET", f"/orgs/{target}/installation", self._jwt())
            try:
                found = int(answer["id"])
            except (KeyError, TypeError, ValueError):
                raise RemoteError(
                    f"GitHub App {self._app_id}: the installation answer for {target} has no id"
                ) from None
            self._installations[target.lower()] = found
        return found

    def _jwt(self) -> str:
        now = int(self._clock())
        claims = {
            "iat": now - _JWT_BACKDATE_S,
            "exp": now + _JWT_LIFETIME_S,
            "iss": self._app_id,
        }
        import jwt  # lazily: see the TYPE_CHECKING import

        return jwt.encode(claims, self._key, algorithm="RS256")

    def _expiry(self, value: object) -> float:
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
            except ValueError:
                pass
        return self._clock() + 3600.0  # GitHub's documented lifetime


def _load_key(pem: str, source: str) -> RSAPrivateKey:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    text = pem.strip()
    # CI secrets often carry the PEM on one line with literal "\n" sequences.
    if "\n" not in text and "\\n" in text:
        text = text.replace("\\n", "\n")
    try:
        key = load_pem_private_key(text.encode("utf-8"), password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, RSAPrivateKey):
        # Never quote the key: say where it came from and what was expected.
        raise AuthenticationError(
            f"{source}: the private key is not an unencrypted PEM RSA private key "
            "(download a new one from the app's settings page)"
        )
    return key


def auth_from_env(env: Mapping[str, str]) -> Auth:
    """The credential the environment provides.

    In order: ``$GITHUB_TOKEN``, ``$GH_TOKEN``; else a GitHub App from ``$GITHUB_APP_ID`` with
    ``$GITHUB_APP_PRIVATE_KEY`` (PEM text) or ``$GITHUB_APP_PRIVATE_KEY_FILE`` (a path), and
    the optional ``$GITHUB_APP_INSTALLATION_ID``. Nothing usable: :class:`AuthenticationError`
    saying what to set.
    """
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        value = env.get(name, "").strip()
        if value:
            return TokenAuth(value, source=f"the token from ${name}")
    app_id = env.get("GITHUB_APP_ID", "").strip()
    if not app_id:
        raise AuthenticationError(
            "no credentials: set $GITHUB_TOKEN (or $GH_TOKEN) to a token with the scopes "
            "manage_billing:copilot and read:org, or set $GITHUB_APP_ID with "
            "$GITHUB_APP_PRIVATE_KEY or $GITHUB_APP_PRIVATE_KEY_FILE for a GitHub App; or "
            "rehearse without any credential against the embedded simulator with "
            "--simulate WORLDFILE"
        )
    pem = env.get("GITHUB_APP_PRIVATE_KEY", "").strip()
    source = "$GITHUB_APP_PRIVATE_KEY"
    if not pem:
        key_file = env.get("GITHUB_APP_PRIVATE_KEY_FILE", "").strip()
        if not key_file:
            raise AuthenticationError(
                "$GITHUB_APP_ID is set but no private key: set $GITHUB_APP_PRIVATE_KEY (PEM "
                "text) or $GITHUB_APP_PRIVATE_KEY_FILE (path to the .pem file)"
            )
        source = f"$GITHUB_APP_PRIVATE_KEY_FILE ({key_file})"
        try:
            pem = Path(key_file).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not text"
            raise AuthenticationError(f"cannot read {source}: {reason}") from None
    installation: int | None = None
    raw = env.get("GITHUB_APP_INSTALLATION_ID", "").strip()
    if raw:
        try:
            installation = int(raw)
        except ValueError:
            raise AuthenticationError(
                f"$GITHUB_APP_INSTALLATION_ID must be a number, not {raw!r}"
            ) from None
    return AppAuth(app_id, pem, installation_id=installation, source=source)
