"""No secret ever leaves the client: not in logs, progress, errors, reprs or cache files.

Canary tokens (and an App's private key) are used for successful reads under faults and for
failing calls; then every captured channel is searched for them.
"""

from __future__ import annotations

import secrets
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from reconciler.errors import ReconcilerError
from reconciler.github import AppAuth, GitHubClient, TokenAuth, auth_from_env, read_live_state
from reconciler.simulator import Simulator
from tests.helpers.keys import rsa_key_pair
from tests.helpers.worlds import SCOPES, desired, org_config, org_world, team_names

from .conftest import MakeClient, Recorder

READ_AT = datetime(2026, 11, 24, 12, tzinfo=UTC)
CANARY = "ghp_CANARY" + secrets.token_hex(16)
BAD_CANARY = "ghp_BADCANARY" + secrets.token_hex(16)
WEAK_CANARY = "ghp_WEAKCANARY" + secrets.token_hex(16)


def _everything_said(
    recorder: Recorder, errors: list[BaseException], objects: list[object], cache: Path
) -> str:
    said = [*recorder.logs, *(repr(call) for call in recorder.progress)]
    for error in errors:
        said += [str(error), repr(error), *map(str, error.args), *traceback.format_exception(error)]
        if isinstance(error, ReconcilerError):
            said += error.lines()
    said += [repr(thing) for thing in objects] + [str(thing) for thing in objects]
    said += [p.read_bytes().decode("utf-8", "replace") for p in cache.rglob("*") if p.is_file()]
    return "\n".join(said)


def _failure(call: Callable[[], Any]) -> BaseException:
    with pytest.raises(ReconcilerError) as caught:
        call()
    return caught.value


def test_no_token_appears_in_any_output_channel(
    make_client: MakeClient, recorder: Recorder, tmp_path: Path
) -> None:
    world = org_world(600, 3)
    world["tokens"] = {
        CANARY: {"login": "octo-admin", "scopes": SCOPES},
        WEAK_CANARY: {"login": "octo-admin", "scopes": ["read:org"]},
    }
    world["orgs"]["other-org"] = {"owners": ["someone"], "members": ["someone"]}
    sim = Simulator(world)
    auth = auth_from_env({"GITHUB_TOKEN": CANARY})
    client = make_client(sim.transport(), auth=auth, cache_dir=tmp_path, retries=8)
    errors: list[BaseException] = []

    sim.set_faults(
        error_rate=0.2, drop_rate=0.1, secondary_rate_limit_every=6, unstable_order=True, seed=5
    )
    read_live_state(client, desired(org_config(teams=team_names(3))), now=READ_AT)
    sim.set_faults(error_rate=1.0)
    errors.append(_failure(lambda: client.get_billing("octo-org")))
    sim.set_faults(drop_rate=1.0)
    errors.append(_failure(lambda: client.add_users("octo-org", ["user00001"])))
    sim.set_faults()
    errors.append(_failure(lambda: client.get_billing("other-org")))
    errors.append(_failure(lambda: client.add_users("octo-org", ["ghost"])))
    weak = make_client(sim.transport(), auth=TokenAuth(WEAK_CANARY), cache_dir=tmp_path)
    errors.append(_failure(lambda: weak.set_content_exclusion("octo-org", {})))
    bad_auth = auth_from_env({"GH_TOKEN": BAD_CANARY})
    bad = make_client(sim.transport(), auth=bad_auth, cache_dir=tmp_path)
    errors.append(_failure(lambda: bad.list_seats("octo-org")))

    said = _everything_said(recorder, errors, [client, weak, bad, auth, bad_auth], tmp_path)

    # Every channel really carried text: waits were logged, and each failure was raised.
    assert len(recorder.logs) > 20
    assert [type(e).__name__ for e in errors] == [
        "RemoteError",
        "TransportError",
        "NotFoundError",
        "PreconditionError",
        "ForbiddenError",
        "AuthenticationError",
    ]
    assert [c for c in (CANARY, BAD_CANARY, WEAK_CANARY) if c in said] == []
    assert "CANARY" not in said


def test_no_app_secret_appears_in_any_output_channel(
    make_client: MakeClient, recorder: Recorder, tmp_path: Path
) -> None:
    private, public = rsa_key_pair()
    world = org_world(300, 1)
    world["apps"] = {"99": {"public_key": public, "installations": {"5": {"org": "octo-org"}}}}
    world["orgs"]["other-org"] = {"owners": ["someone"], "members": ["someone"]}
    sim = Simulator(world)
    auth = AppAuth("99", private)
    client: GitHubClient = make_client(sim.transport(), auth=auth, cache_dir=tmp_path, retries=8)
    errors: list[BaseException] = []

    sim.set_faults(error_rate=0.2, drop_rate=0.1, secondary_rate_limit_every=5, seed=1)
    read_live_state(client, desired(org_config(teams=team_names(1))), now=READ_AT)
    sim.set_faults()
    sim.load_world(sim.world())  # the minted token is now refused: renewed after a 401
    client.get_billing("octo-org")
    errors.append(_failure(lambda: client.get_billing("other-org")))
    sim.set_faults(error_rate=1.0)
    errors.append(_failure(lambda: client.get_content_exclusion("octo-org")))
    sim.set_faults()

    said = _everything_said(recorder, errors, [client, auth], tmp_path)

    key_lines = [line for line in private.splitlines() if "PRIVATE KEY" not in line]
    assert [line for line in key_lines if line in said] == []
    assert ("ghs_" in said, "eyJ" in said) == (False, False)  # minted tokens, JWTs
    assert any("renewing the App installation token" in line for line in recorder.logs)
