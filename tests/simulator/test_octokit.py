"""The real client: @octokit/rest (installed by .ci/run into tests/node) against
`simulator serve`, paginating seats, adding and removing users and teams, reading billing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from reconciler.simulator import Simulator
from reconciler.simulator.server import start

from .conftest import make_world

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
SCRIPT = NODE_DIR / "octokit-client.mjs"
NODE = shutil.which("node")
# .ci/run installs the client; in CI a missing install must fail the test, not skip it.
IN_CI = bool(os.environ.get("CI"))

pytestmark = [
    pytest.mark.node,
    pytest.mark.skipif(NODE is None and not IN_CI, reason="node is not installed"),
    pytest.mark.skipif(
        not (NODE_DIR / "node_modules" / "@octokit" / "rest").is_dir() and not IN_CI,
        reason="tests/node/node_modules is missing: run `npm ci --prefix tests/node`",
    ),
]


def test_octokit_paginates_mutates_and_reads_billing_against_simulator_serve() -> None:
    sim = Simulator(make_world())
    with start(sim) as served:
        assert NODE is not None
        run = subprocess.run(
            [NODE, str(SCRIPT), served.url, "demo-token", "octo-org"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["before"] == {
        "logins": ["alice", "bob", "carol", "dave"],
        "pages": 2,
        "totalSeats": 4,
    }
    assert out["added_users"] == {"status": 201, "data": {"seats_created": 1}}
    assert out["removed_users"] == {"status": 200, "data": {"seats_cancelled": 1}}
    assert out["removed_teams"] == {"status": 200, "data": {"seats_cancelled": 2}}
    assert out["added_teams"] == {"status": 201, "data": {"seats_created": 2}}
    assert out["billing"]["status"] == 200
    assert out["billing"]["data"]["seat_breakdown"] == {
        "total": 5,
        "added_this_cycle": 3,
        "pending_invitation": 0,
        "pending_cancellation": 2,
        "active_this_cycle": 1,
        "inactive_this_cycle": 4,
    }
    assert out["seat_team"] == "engineering"
    assert out["refused"]["status"] == 422
    assert out["after"]["logins"] == ["alice", "bob", "carol", "dave", "octo-admin"]
    pending = {
        login: seat.get("pending_cancellation_date")
        for login, seat in sim.world()["orgs"]["octo-org"]["seats"].items()
    }
    assert pending == {
        "alice": None,
        "bob": None,
        "carol": "2026-12-01",
        "dave": "2026-12-01",
        "octo-admin": None,
    }
    # 2 pages before, 3 after (per_page 2)
    assert sim.stats()["by_operation"]["GET /orgs/{org}/copilot/billing/seats"] == 5
