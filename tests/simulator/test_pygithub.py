"""The other real client beside @octokit/rest: PyGithub's documented Copilot flow,
`Github(base_url=..., auth=Auth.Token(...)).get_organization(org).get_copilot().get_seats()`,
unmodified against `simulator serve` (the organization, seats page by page, seat changes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from reconciler.simulator import Simulator
from reconciler.simulator.server import start

from .conftest import TOKEN

SCRIPT = Path(__file__).with_name("pygithub_client.py")


def test_pygithubs_copilot_flow_works_unmodified_against_simulator_serve(sim: Simulator) -> None:
    with start(sim) as served:
        run = subprocess.run(
            [sys.executable, str(SCRIPT), served.url, TOKEN, "OCTO-ORG"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["org"]["login"] == "octo-org"
    assert out["org"]["type"] == "Organization"
    assert out["org"]["html_url"] == "https://github.com/octo-org"
    assert isinstance(out["org"]["id"], int)
    assert [(s["login"], s["team"], s["pending"]) for s in out["before"]] == [
        ("alice", "engineering", False),
        ("bob", "engineering", False),
        ("carol", None, False),
        ("dave", None, True),
    ]
    assert out["before"][2]["editor"] == "vscode/1.95.0"
    assert {s["org"] for s in out["before"]} == {"octo-org"}
    assert (out["added"], out["removed"]) == (1, 1)
    after = {s["login"]: s["pending"] for s in out["after"]}
    assert after == {"alice": False, "bob": False, "carol": True, "dave": True, "octo-admin": False}
    assert (out["unknown_org"], out["anonymous"]) == (404, 401)
    # 4 then 5 seats at per_page=2: PyGithub followed the Link header to 2, then 3 pages.
    assert sim.stats()["by_operation"]["GET /orgs/{org}/copilot/billing/seats"] == 5
    assert sim.stats()["by_operation"]["GET /orgs/{org}"] >= 1
