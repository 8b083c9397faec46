"""GitHub App authentication: RS256 JWTs, the org's installation, installation tokens."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from reconciler.simulator import Simulator
from tests.helpers.keys import rsa_key_pair

from .conftest import ClientFactory, make_world

APP_ID = "424242"


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    """(private PEM, public PEM) of a throwaway RSA key."""
    return rsa_key_pair()


@pytest.fixture
def app_sim(keys: tuple[str, str]) -> Simulator:
    world = make_world(
        apps={APP_ID: {"public_key": keys[1], "installations": {"99": {"org": "octo-org"}}}}
    )
    return Simulator(world)


def token(private_pem: str, **claims: Any) -> str:
    now = int(time.time())
    body = {"iat": now - 30, "exp": now + 540, "iss": APP_ID, **claims}
    return jwt.encode(body, private_pem, algorithm="RS256")


def test_an_app_finds_its_installation_and_mints_a_working_token(
    app_sim: Simulator, connect: ClientFactory, keys: tuple[str, str]
) -> None:
    app = connect(app_sim, token(keys[0]))
    installation = app.get("/orgs/OCTO-ORG/installation")
    assert installation.status_code == 200
    body = installation.json()
    assert (body["id"], body["app_id"], body["target_type"], body["account"]["login"]) == (
        99,
        424242,
        "Organization",
        "octo-org",
    )
    minted = app.post(f"/app/installations/{body['id']}/access_tokens")
    assert minted.status_code == 201
    grant = minted.json()
    assert grant["token"].startswith("ghs_")
    assert set(grant) == {"token", "expires_at", "permissions", "repository_selection"}
    bot = connect(app_sim, grant["token"])
    assert bot.get("/orgs/octo-org/copilot/billing/seats").status_code == 200
    assert bot.put("/orgs/octo-org/copilot/content_exclusion", json={}).status_code == 200
    assert "ghs_" not in str(app_sim.world())  # minted tokens are not part of the world


def test_an_installation_token_expires_after_an_hour(
    connect: ClientFactory, keys: tuple[str, str]
) -> None:
    moment = [datetime.now(UTC)]
    world = make_world(
        apps={APP_ID: {"public_key": keys[1], "installations": {"99": {"org": "octo-org"}}}}
    )
    sim = Simulator(world, auth_clock=lambda: moment[0])
    app = connect(sim, token(keys[0]))
    grant = app.post("/app/installations/99/access_tokens").json()
    bot = connect(sim, grant["token"])
    assert bot.get("/orgs/octo-org/copilot/billing").status_code == 200
    moment[0] += timedelta(seconds=3601)
    assert bot.get("/orgs/octo-org/copilot/billing").status_code == 401


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": int(time.time()) - 120},  # expired beyond the 60 s leeway
        {"exp": int(time.time()) + 3600},  # more than 10 minutes after iat
        {"iss": "777"},  # no such app
    ],
)
def test_bad_jwts_are_401(
    app_sim: Simulator, connect: ClientFactory, keys: tuple[str, str], claims: dict[str, Any]
) -> None:
    assert (
        connect(app_sim, token(keys[0], **claims)).get("/orgs/octo-org/installation").status_code
        == 401
    )


def test_a_jwt_signed_by_another_key_is_401(app_sim: Simulator, connect: ClientFactory) -> None:
    pem, _ = rsa_key_pair()
    assert connect(app_sim, token(pem)).get("/orgs/octo-org/installation").status_code == 401


def test_an_org_without_the_installation_is_404(
    app_sim: Simulator, connect: ClientFactory, keys: tuple[str, str]
) -> None:
    app = connect(app_sim, token(keys[0]))
    assert app.get("/orgs/other-org/installation").status_code == 404
    assert app.post("/app/installations/12/access_tokens").status_code == 404


def test_an_installation_token_reaches_only_its_org(
    keys: tuple[str, str], connect: ClientFactory
) -> None:
    world = make_world(
        apps={APP_ID: {"public_key": keys[1], "installations": {"99": {"org": "octo-org"}}}}
    )
    world["orgs"]["other-org"] = {"owners": ["someone"]}
    sim = Simulator(world)
    grant = connect(sim, token(keys[0])).post("/app/installations/99/access_tokens").json()
    bot: httpx.Client = connect(sim, grant["token"])
    assert bot.get("/orgs/other-org/copilot/billing").status_code == 404
