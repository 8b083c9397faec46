"""Apply under a fault that outlives every retry: it stops at the failed step, says what was
done and what was not, changes nothing after the failure, and a re-run converges."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from reconciler.errors import ApplyError
from reconciler.github import ClientSettings, GitHubClient, TokenAuth
from reconciler.model import DeclaredTeam, DeclaredUser, DesiredState, OrgConfig, SeatPolicy, Source
from reconciler.reconcile.engine import Engine
from reconciler.simulator import Simulator
from tests.e2e.conftest import TOKEN, world

HERE = Source("org.yaml", 3, 5)
ORG: dict[str, Any] = {
    "owners": ["octo-admin"],
    "members": ["octo-admin", "alice", "bob", "carol", "mallory"],
    "teams": {"eng": {"name": "Eng", "members": ["alice", "bob"]}},
    "selected_teams": [],
    "selected_users": ["carol", "mallory"],
}  # fmt: skip
DESIRED = DesiredState(
    orgs={
        "demo-org": OrgConfig(
            org="demo-org",
            sources=(HERE,),
            seats=SeatPolicy(
                mode="exact",
                users=(DeclaredUser("carol", HERE),),
                teams=(DeclaredTeam("eng", HERE),),
                keep=(),
                source=HERE,
            ),
        )
    }
)


class FailingDeletes(httpx.BaseTransport):
    """Passes everything to the simulator but answers every DELETE with a 503, as an API
    that keeps failing part-way through an apply would."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            return httpx.Response(503, json={"message": "Service Unavailable"})
        return self.inner.handle_request(request)


def _engine(sim: Simulator, transport: httpx.BaseTransport) -> Engine:
    client = GitHubClient(
        ClientSettings(mutation_interval_s=0.0, retries=2),
        TokenAuth(TOKEN),
        transport=transport,
        sleep=lambda _seconds: None,
    )
    return Engine(client, clock=sim.now)


def _state(sim: Simulator) -> tuple[list[str], list[str]]:
    org = sim.world()["orgs"]["demo-org"]
    return sorted(org["selected_teams"]), sorted(org["selected_users"])


def test_apply_stops_at_the_failed_step_and_reports_done_and_not_done() -> None:
    sim = Simulator(world({"demo-org": ORG}))
    engine = _engine(sim, FailingDeletes(sim.transport()))
    with pytest.raises(ApplyError) as failure:
        engine.apply(DESIRED, force=True)
    error = failure.value
    assert error.done == ("demo-org: select teams eng (2 seat(s) activated)",)
    assert error.not_done == ("demo-org: cancel the direct seats of mallory",)
    assert "503" in str(error) or "Service Unavailable" in str(error)
    # The grant happened, the cancellation did not, nothing else was touched.
    assert _state(sim) == (["eng"], ["carol", "mallory"])


def test_a_rerun_after_a_failed_apply_converges() -> None:
    sim = Simulator(world({"demo-org": ORG}))
    with pytest.raises(ApplyError):
        _engine(sim, FailingDeletes(sim.transport())).apply(DESIRED, force=True)
    healthy = _engine(sim, sim.transport())
    outcome = healthy.apply(DESIRED, force=True)
    assert [change.action for change in outcome.plan.changes] == ["remove_users"]
    assert _state(sim) == (["eng"], ["carol"])
    assert healthy.plan(DESIRED).changes == ()
