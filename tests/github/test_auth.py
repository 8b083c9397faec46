"""Credentials: from the environment, and a GitHub App end to end against the simulator."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
import pytest

from reconciler.errors import AuthenticationError, NotFoundError
from reconciler.github import AppAuth, TokenAuth, auth_from_env, read_live_state
from reconciler.simulator import Simulator
from tests.helpers.keys import rsa_key_pair
from tests.helpers.worlds import desired, org_config, org_world, team_names

from .conftest import MakeClient

APP_ID = "424242"
INSTALLATION = 777
TOKENS = "POST /app/installations/{installation_id}/access_tokens"
LOOKUP = "GET /orgs/{org}/installation"


@pytest.fixture(scope="module")
def key_pair() -> tuple[str, str]:
    return rsa_key_pair()


def app_world(public_pem: str) -> dict[str, Any]:
    world = org_world(250, 2)
    world["orgs"]["other-org"] = {"owners": ["someone"], "members": ["someone"]}
    world["apps"] = {
        APP_ID: {
            "public_key": public_pem,
            "installations": {str(INSTALLATION): {"org": "octo-org"}},
        }
    }
    return world


# ------------------------------------------------------------------------- the environment


def test_github_token_comes_first_then_gh_token() -> None:
    both = auth_from_env({"GITHUB_TOKEN": "a", "GH_TOKEN": "b", "GITHUB_APP_ID": "1"})
    gh_only = auth_from_env({"GITHUB_TOKEN": "  ", "GH_TOKEN": "b"})

    assert (repr(both), repr(gh_only)) == (
        "TokenAuth(source='the token from $GITHUB_TOKEN')",
        "TokenAuth(source='the token from $GH_TOKEN')",
    )


def test_no_credentials_say_what_to_set() -> None:
    with pytest.raises(AuthenticationError) as caught:
        auth_from_env({})

    assert str(caught.value) == (
        "no credentials: set $GITHUB_TOKEN (or $GH_TOKEN) to a token with the scopes "
        "manage_billing:copilot and read:org, or set $GITHUB_APP_ID with "
        "$GITHUB_APP_PRIVATE_KEY or $GITHUB_APP_PRIVATE_KEY_FILE for a GitHub App; or "
        "rehearse without any credential against the embedded simulator with "
        "--simulate WORLDFILE"
    )


def test_an_app_from_the_environment_reads_its_key_from_text_or_a_file(
    key_pair: tuple[str, str], tmp_path: Path
) -> None:
    private, _public = key_pair
    key_file = tmp_path / "app.pem"
    key_file.write_text(private)

    from_text = auth_from_env({"GITHUB_APP_ID": APP_ID, "GITHUB_APP_PRIVATE_KEY": private})
    one_line = auth_from_env(
        {"GITHUB_APP_ID": APP_ID, "GITHUB_APP_PRIVATE_KEY": private.replace("\n", "\\n")}
    )
    from_file = auth_from_env(
        {
            "GITHUB_APP_ID": APP_ID,
            "GITHUB_APP_PRIVATE_KEY_FILE": str(key_file),
            "GITHUB_APP_INSTALLATION_ID": "777",
        }
    )

    assert [repr(a) for a in (from_text, one_line, from_file)] == [
        "AppAuth(app_id='424242', installation_id=None)",
        "AppAuth(app_id='424242', installation_id=None)",
        "AppAuth(app_id='424242', installation_id=777)",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"GITHUB_APP_ID": "1"},
            "$GITHUB_APP_ID is set but no private key: set $GITHUB_APP_PRIVATE_KEY (PEM text) "
            "or $GITHUB_APP_PRIVATE_KEY_FILE (path to the .pem file)",
        ),
        (
            {"GITHUB_APP_ID": "1", "GITHUB_APP_PRIVATE_KEY_FILE": "/nonexistent/app.pem"},
            "cannot read $GITHUB_APP_PRIVATE_KEY_FILE (/nonexistent/app.pem): No such file or "
            "directory",
        ),
        (
            {"GITHUB_APP_ID": "1", "GITHUB_APP_PRIVATE_KEY": "-----BEGIN secret-canary-xyz"},
            "$GITHUB_APP_PRIVATE_KEY: the private key is not an unencrypted PEM RSA private key "
            "(download a new one from the app's settings page)",
        ),
    ],
)
def test_a_broken_app_configuration_says_what_is_wrong_without_quoting_the_key(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(AuthenticationError) as caught:
        auth_from_env(env)

    assert str(caught.value) == message


def test_an_installation_id_must_be_a_number(key_pair: tuple[str, str]) -> None:
    env = {"GITHUB_APP_ID": "1", "GITHUB_APP_PRIVATE_KEY": key_pair[0]}

    with pytest.raises(AuthenticationError) as caught:
        auth_from_env({**env, "GITHUB_APP_INSTALLATION_ID": "octo"})

    assert str(caught.value) == "$GITHUB_APP_INSTALLATION_ID must be a number, not 'octo'"


def test_a_token_never_shows_in_its_repr() -> None:
    auth = TokenAuth("ghp_abcdefghijklmnopqrstuvwxyz0123456789")

    assert (repr(auth), str(auth), auth.description) == (
        "TokenAuth(source='the token')",
        "TokenAuth(source='the token')",
        "the token",
    )


# ------------------------------------------------------------------------- the App, end to end


def test_an_app_finds_its_installation_mints_a_token_and_reads(
    key_pair: tuple[str, str], make_client: MakeClient
) -> None:
    private, public = key_pair
    sim = Simulator(app_world(public))
    auth = AppAuth(APP_ID, private)

    state = read_live_state(
        make_client(sim.transport(), auth=auth),
        desired(org_config(teams=team_names(2))),
        now=datetime(2026, 11, 24, tzinfo=UTC),
    )

    assert len(state.orgs["octo-org"].seats) == 250
    assert sim.stats()["by_operation"] == {
        LOOKUP: 1,
        TOKENS: 1,
        "GET /orgs/{org}/copilot/billing": 1,
        "GET /orgs/{org}/copilot/billing/seats": 3,
        "GET /orgs/{org}/teams/{team_slug}/members": 2,
        "GET /orgs/{org}/copilot/content_exclusion": 1,
    }


def test_a_given_installation_needs_no_lookup(
    key_pair: tuple[str, str], make_client: MakeClient
) -> None:
    private, public = key_pair
    sim = Simulator(app_world(public))
    client = make_client(
        sim.transport(), auth=AppAuth(APP_ID, private, installation_id=INSTALLATION)
    )

    client.get_billing("octo-org")
    client.get_billing("octo-org")

    assert sim.stats()["by_operation"] == {TOKENS: 1, "GET /orgs/{org}/copilot/billing": 2}


def test_a_refused_installation_token_is_renewed_once(
    key_pair: tuple[str, str], make_client: MakeClient, recorder: Any
) -> None:
    private, public = key_pair
    sim = Simulator(app_world(public))
    client = make_client(
        sim.transport(), auth=AppAuth(APP_ID, private, installation_id=INSTALLATION)
    )
    client.get_billing("octo-org")
    sim.load_world(sim.world())  # minted tokens are ephemeral: the client's token is now unknown

    client.get_billing("octo-org")

    assert sim.stats()["by_operation"] == {TOKENS: 2, "GET /orgs/{org}/copilot/billing": 3}
    assert recorder.logs == [
        "GET /orgs/octo-org/copilot/billing: 401, renewing the App installation token"
    ]


def test_an_app_not_installed_on_the_org_says_so(
    key_pair: tuple[str, str], make_client: MakeClient
) -> None:
    private, public = key_pair
    client = make_client(Simulator(app_world(public)).transport(), auth=AppAuth(APP_ID, private))

    with pytest.raises(NotFoundError) as caught:
        client.get_billing("other-org")

    assert str(caught.value) == (
        "GET /orgs/other-org/installation: 404: the GitHub App is not installed on organization "
        "other-org; install it there or set GITHUB_APP_INSTALLATION_ID"
    )


def test_a_jwt_signed_with_the_wrong_key_is_an_authentication_error(
    key_pair: tuple[str, str], make_client: MakeClient
) -> None:
    _private, public = key_pair
    wrong, _ = rsa_key_pair()
    client = make_client(Simulator(app_world(public)).transport(), auth=AppAuth(APP_ID, wrong))

    with pytest.raises(AuthenticationError) as caught:
        client.get_billing("octo-org")

    assert str(caught.value) == (
        "GET /orgs/octo-org/installation: 401 A JSON web token could not be decoded: the JWT "
        "signed with the GitHub App's private key is invalid or expired; check the app id, its "
        "private key, that the app is still installed and that this machine's clock is right"
    )


class _Exchange:
    """Stands in for the API's token exchange, to drive the renewal clock."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    def __call__(self, method: str, path: str, app_jwt: str) -> dict[str, Any]:
        self.calls.append((method, path, jwt.decode(app_jwt, options={"verify_signature": False})))
        number = len(self.calls)
        expires = datetime.fromtimestamp(1_000_000 + 3600 * number, UTC).isoformat()
        return {"token": f"minted-{number}", "expires_at": expires.replace("+00:00", "Z")}


def test_installation_tokens_are_renewed_five_minutes_before_they_expire(
    key_pair: tuple[str, str],
) -> None:
    now = [1_000_000.0]
    auth = AppAuth(APP_ID, key_pair[0], installation_id=5, clock=lambda: now[0])
    exchange = _Exchange()

    first = auth.token("octo-org", exchange)
    now[0] += 3600 - 301
    still = auth.token("octo-org", exchange)
    now[0] += 2
    renewed = auth.token("octo-org", exchange)

    assert (first, still, renewed) == ("minted-1", "minted-1", "minted-2")
    assert [(m, p, c["iss"], c["exp"] - c["iat"]) for m, p, c in exchange.calls] == [
        ("POST", "/app/installations/5/access_tokens", APP_ID, 600),
        ("POST", "/app/installations/5/access_tokens", APP_ID, 600),
    ]
    assert exchange.calls[0][2]["iat"] == 1_000_000 - 60
