"""An apply you can trust (issue 10): a saved plan applies exactly what was reviewed,
follow-up rounds only finish it, a stop request ends it after the request in flight, and a
second writer is named as such."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from reconciler.config import load_desired_state
from reconciler.errors import ApplyError, ApplyInterrupted, StalePlanError
from reconciler.github import ClientSettings, GitHubClient, TokenAuth
from reconciler.model import DesiredState
from reconciler.reconcile.engine import Engine
from reconciler.reconcile.steps import StepResult
from reconciler.simulator import Simulator
from tests.e2e.conftest import TOKEN, engine_on, world
from tests.e2e.test_cli import CONFIG, DEMO_ORG, run


def _desired(tmp_path: Path, text: str) -> DesiredState:
    path = tmp_path / "demo.yaml"
    path.write_text(text)
    return load_desired_state([str(path)])


def _seats(sim: Simulator, org: str = "demo-org") -> list[str]:
    state: dict[str, Any] = sim.world()["orgs"][org]
    return sorted(state["selected_users"])


# ----------------------------------------------------------------- point 1: saved plans


def test_a_saved_plan_is_refused_when_the_configuration_changed_since(tmp_path: Path) -> None:
    world_file = tmp_path / "world.yaml"
    world_file.write_text(yaml.safe_dump(world({"demo-org": DEMO_ORG})))
    config = tmp_path / "demo.yaml"
    config.write_text(CONFIG)
    saved = tmp_path / "plan.json"
    assert (
        run("plan", str(config), "--simulate", str(world_file), "--out", str(saved)).exit_code == 0
    )
    # After review, erin (whose seat the plan cancels with team legacy) is declared.
    config.write_text(CONFIG.replace("[carol, dave]", "[carol, dave, erin]"))
    before = world_file.read_text()

    result = run("apply", str(config), "--simulate", str(world_file), "--plan", str(saved), "--yes")

    assert result.exit_code == 3, result.output
    assert result.output.strip() == (
        "refused: the configuration changed since the saved plan was made (no longer: "
        "demo-org: grant a seat to dave; no longer: demo-org: unselect team legacy): run "
        "`plan` again and review the new plan; nothing was changed"
    )
    assert world_file.read_text() == before


def test_a_saved_plan_is_refused_when_a_plan_made_now_differs(tmp_path: Path) -> None:
    # Same configuration, same live state, but carol's time-boxed seat expires in between.
    sim = Simulator(world({"demo-org": DEMO_ORG}))
    timed = CONFIG.replace("[carol, dave]", "[{login: carol, expires: 2026-11-30}, dave]")
    desired = _desired(tmp_path, timed)
    with engine_on(sim) as engine:
        saved = engine.plan(desired)
        sim.advance(10)
        with pytest.raises(StalePlanError) as caught:
            engine.apply(desired, saved=saved)
    assert str(caught.value) == (
        "refused: a plan made now differs from the saved one (a time-boxed seat expired "
        "since?) (now also: demo-org: cancel the direct seat of carol): run `plan` again and "
        "review the new plan; nothing was changed"
    )
    assert _seats(sim) == ["carol", "mallory"]


# ----------------------------------------------------------------- point 3: stop requests


class StopAfter(httpx.BaseTransport):
    """The simulator's transport; sets ``stop`` once ``count`` mutations were answered, as a
    signal arriving while the request in flight completes would."""

    def __init__(self, inner: httpx.BaseTransport, stop: threading.Event, count: int) -> None:
        self.inner, self.stop, self.count = inner, stop, count
        self.mutations = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.method != "GET":
            self.mutations += 1
            if self.mutations == self.count:
                self.stop.set()
        return response


def test_a_stop_request_ends_apply_after_the_request_in_flight_and_a_rerun_converges(
    tmp_path: Path,
) -> None:
    users = [f"dev{i:04d}" for i in range(250)]
    org = {**DEMO_ORG, "members": [*DEMO_ORG["members"], *users]}
    sim = Simulator(world({"demo-org": org}))
    desired = _desired(
        tmp_path, CONFIG.replace("[carol, dave]", f"[carol, dave, {', '.join(users)}]")
    )
    stop = threading.Event()
    transport = StopAfter(sim.transport(), stop, count=3)  # select eng, then 2 of 3 chunks
    client = GitHubClient(
        ClientSettings(mutation_interval_s=0.0), TokenAuth(TOKEN), transport=transport
    )
    with client, pytest.raises(ApplyInterrupted) as caught:
        Engine(client, clock=sim.now).apply(desired, stop=stop)

    assert transport.mutations == 3  # nothing was sent after the stop request
    error = caught.value
    assert error.done == (
        "demo-org: select teams eng (2 seat(s) activated)",
        "demo-org: grant seats to dave, dev0000, dev0001, dev0002, dev0003 and 195 more "
        "(199 seat(s) activated)",
    )
    assert error.not_done == (
        "demo-org: grant seats to dev0199, dev0200, dev0201, dev0202, dev0203 and 46 more",
        "demo-org: unselect teams legacy",
        "demo-org: cancel the direct seats of mallory",
    )
    assert len([u for u in _seats(sim) if u.startswith("dev")]) == 199
    with engine_on(sim) as engine:
        assert engine.apply(desired).rounds == 1
        assert not engine.plan(desired).has_changes


class FailThird(httpx.BaseTransport):
    """The simulator's transport, except that the third mutation is refused with a 422."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.mutations = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "GET":
            self.mutations += 1
            if self.mutations == 3:
                return httpx.Response(422, json={"message": "Validation Failed"})
        return self.inner.handle_request(request)


def test_a_failure_mid_step_reports_the_part_of_the_step_that_was_made(tmp_path: Path) -> None:
    users = [f"dev{i:04d}" for i in range(250)]
    sim = Simulator(world({"demo-org": {**DEMO_ORG, "members": [*DEMO_ORG["members"], *users]}}))
    desired = _desired(
        tmp_path, CONFIG.replace("[carol, dave]", f"[carol, dave, {', '.join(users)}]")
    )
    transport = FailThird(sim.transport())
    client = GitHubClient(
        ClientSettings(mutation_interval_s=0.0), TokenAuth(TOKEN), transport=transport
    )
    with client, pytest.raises(ApplyError) as caught:
        Engine(client, clock=sim.now).apply(desired)

    assert str(caught.value).startswith(
        "apply stopped at 'demo-org: grant seats to dev0099, dev0100, dev0101, dev0102, "
        "dev0103 and 146 more': "
    )
    assert caught.value.done == (
        "demo-org: select teams eng (2 seat(s) activated)",
        # dave already holds a seat through team legacy: his direct grant activates none.
        "demo-org: grant seats to dave, dev0000, dev0001, dev0002, dev0003 and 95 more "
        "(99 seat(s) activated)",
    )
    assert caught.value.not_done[1:] == (
        "demo-org: unselect teams legacy",
        "demo-org: cancel the direct seats of mallory",
    )
    assert len([u for u in _seats(sim) if u.startswith("dev")]) == 99


# ----------------------------------------------------------------- point 4: another writer


def test_a_second_writer_during_apply_is_named_and_nothing_unplanned_is_done(
    tmp_path: Path,
) -> None:
    sim = Simulator(world({"demo-org": DEMO_ORG}))
    desired = _desired(tmp_path, CONFIG)
    other = httpx.Client(
        transport=sim.transport(),
        base_url="https://api.github.com",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )

    def second_writer(step: StepResult) -> None:
        if step.change.action == "add_teams":  # between the first and the second step
            answer = other.post(
                "/orgs/demo-org/copilot/billing/selected_users",
                json={"selected_usernames": ["octo-admin"]},
            )
            assert answer.status_code == 201

    with other, engine_on(sim) as engine, pytest.raises(ApplyError) as caught:
        engine.apply(desired, on_step=second_writer)

    assert str(caught.value) == (
        "another writer changed the org during this apply (demo-org: the seat of octo-admin "
        "was granted); run one apply per org at a time, then apply again. Still different:"
    )
    assert caught.value.not_done == ("demo-org: cancel the direct seats of octo-admin",)
    assert len(caught.value.done) == 4  # the whole approved plan, and no follow-up round
    assert "octo-admin" in _seats(sim)  # never cancelled: not in the reviewed plan


def test_when_nothing_else_wrote_the_difference_is_reported_without_blaming_a_writer(
    tmp_path: Path,
) -> None:
    # The reviewed plan is applied, but GitHub keeps one seat: nobody else changed anything.
    sim = Simulator(world({"demo-org": DEMO_ORG}))
    desired = _desired(tmp_path, CONFIG)

    class KeepMallory(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "DELETE" and b"mallory" in request.read():
                return httpx.Response(200, json={"seats_cancelled": 0})
            return sim.transport().handle_request(request)

    client = GitHubClient(
        ClientSettings(mutation_interval_s=0.0), TokenAuth(TOKEN), transport=KeepMallory()
    )
    with client, pytest.raises(ApplyError) as caught:
        Engine(client, clock=lambda: datetime(2026, 11, 24, 12, tzinfo=UTC)).apply(desired)
    assert str(caught.value) == (
        "apply finished but the live state has not converged; still different:"
    )
    assert caught.value.not_done == ("demo-org: cancel the direct seats of mallory",)
