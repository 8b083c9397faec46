"""Properties of the whole engine over random worlds and random desired states.

Each example builds a simulator world (members, teams, selected teams and users, pending
seats) and a desired state drawn from the same names, then checks through the in-process
simulator that:

- plan -> apply -> plan is empty (no perpetual drift);
- a second apply makes zero mutations (simulator stats);
- no seat is cancelled that the approved plan did not name;
- all of the above still hold when the API fails under us (5xx, drops, secondary limits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.errors import ReconcilerError
from reconciler.model import (
    DeclaredTeam,
    DeclaredUser,
    DesiredState,
    ExclusionRule,
    OrgConfig,
    SeatPolicy,
    Source,
    key,
)
from reconciler.plan import Plan
from reconciler.reconcile.followup import cancelled_by
from reconciler.simulator import Simulator
from tests.e2e.conftest import engine_on, world

ORG = "prop-org"
LOGINS = [f"user{i}" for i in range(10)]
TEAMS = ["alpha", "beta", "gamma", "delta"]
HERE = Source("prop.yaml", 1, 1)
EXAMPLES = 200
ATTEMPTS_UNDER_FAULTS = 5


@dataclass(frozen=True)
class Case:
    world: dict[str, Any]
    desired: DesiredState


REPOSITORIES = ["*", "octo-repo", "Octo-Repo", "vault"]
PATTERNS = ["/secrets/**", "/Secrets/**", "**/.env", "/src/kernel.rs"]


def exclusion_maps() -> st.SearchStrategy[dict[str, list[str]]]:
    """Content-exclusion maps whose keys and patterns differ in case from one draw to the next
    (GitHub compares both caselessly), with repeated patterns."""
    return st.dictionaries(
        st.sampled_from(REPOSITORIES),
        st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3),
        max_size=3,
    ).map(_one_key_per_repository)


def _one_key_per_repository(rules: dict[str, list[str]]) -> dict[str, list[str]]:
    # Keys are caseless: a configuration may not name a repository twice (the loader refuses).
    kept: dict[str, tuple[str, list[str]]] = {}
    for repo, patterns in rules.items():
        kept.setdefault(repo.lower(), (repo, patterns))
    return dict(kept.values())


@st.composite
def cases(draw: st.DrawFn) -> Case:
    members = ["octo-admin", *LOGINS]
    teams = {
        slug: {
            "name": slug.title(),
            "members": draw(st.lists(st.sampled_from(LOGINS), unique=True, max_size=5)),
        }
        for slug in draw(st.lists(st.sampled_from(TEAMS), unique=True, max_size=4))
    }
    selected_teams = (
        draw(st.lists(st.sampled_from(sorted(teams) or ["_"]), unique=True)) if teams else []
    )
    selected_users = draw(st.lists(st.sampled_from(LOGINS), unique=True, max_size=6))
    granted = set(selected_users) | {m for t in selected_teams for m in teams[t]["members"]}
    # Pending seats: holders with no grant left, cancelled at the end of the cycle.
    pending = draw(
        st.lists(
            st.sampled_from([u for u in LOGINS if u not in granted] or ["_"]),
            unique=True,
            max_size=3,
        )
    )
    seats = {
        login: {"pending_cancellation_date": "2026-12-01"} for login in pending if login != "_"
    }
    org = {
        "owners": ["octo-admin"],
        "members": members,
        "teams": teams,
        "selected_teams": selected_teams,
        "selected_users": selected_users,
        "seats": seats,
        "content_exclusion": draw(exclusion_maps()),
    }

    declared_users = draw(st.lists(st.sampled_from(LOGINS), unique=True, max_size=6))
    expired = draw(st.sets(st.sampled_from(declared_users))) if declared_users else set()
    users = tuple(
        DeclaredUser(
            login.upper() if i % 3 == 0 else login,
            HERE,
            expires=date(2026, 11, 1) if login in expired else None,
        )
        for i, login in enumerate(declared_users)
    )
    keep_pool = [u for u in LOGINS if u not in declared_users]
    keep = tuple(
        DeclaredUser(u, HERE)
        for u in draw(st.lists(st.sampled_from(keep_pool or ["_"]), unique=True, max_size=2))
        if u != "_"
    )
    declared_teams = (
        tuple(
            DeclaredTeam(t, HERE)
            for t in draw(st.lists(st.sampled_from(sorted(teams) or ["_"]), unique=True))
            if t != "_"
        )
        if teams
        else ()
    )
    mode = draw(st.sampled_from(["exact", "exact", "additive"]))
    policy = SeatPolicy(mode=mode, users=users, teams=declared_teams, keep=keep, source=HERE)
    managed = draw(st.none() | exclusion_maps())
    rules = (
        None
        if managed is None
        else tuple(ExclusionRule(repo, tuple(p), HERE) for repo, p in managed.items())
    )
    config = OrgConfig(org=ORG, sources=(HERE,), seats=policy, content_exclusion=rules)
    desired = DesiredState(orgs={key(ORG): config})
    return Case(world=world({ORG: org}), desired=desired)


def _active(sim: Simulator) -> set[str]:
    state = sim.world()["orgs"][ORG]
    teams = state.get("teams", {})
    granted = set(state.get("selected_users", []))
    for slug in state.get("selected_teams", []):
        granted |= set(teams[slug]["members"])
    return {key(login) for login in granted}


def _named_cancellations(plan: Plan) -> set[str]:
    return {login for _org, login in cancelled_by(plan.changes)}


def _check_converges(
    case: Case, faults: dict[str, Any] | None, *, over_loopback: bool = False
) -> None:
    sim = Simulator(case.world)
    with engine_on(sim, over_loopback=over_loopback) as engine:
        before = _active(sim)
        first = engine.plan(case.desired)
        if faults:
            sim.set_faults(**faults)
            # A failed apply is re-run, as a user or CI would: that must converge too.
            for _attempt in range(ATTEMPTS_UNDER_FAULTS):
                try:
                    engine.apply(case.desired, force=True)
                    break
                except ReconcilerError:
                    continue
            sim.set_faults(error_rate=0.0, drop_rate=0.0, secondary_rate_limit_every=0)
        else:
            outcome = engine.apply(case.desired, force=True)
            assert outcome.plan.changes == first.changes

        # No seat outside the first plan is ever cancelled, whatever failed on the way.
        lost = before - _active(sim)
        assert lost <= _named_cancellations(first), (lost, first.changes)

        # plan -> apply -> plan is empty.
        again = engine.plan(case.desired)
        assert again.changes == ()

        # A second apply changes nothing and sends no mutation.
        sim.reset_stats()
        engine.apply(case.desired, force=True)
        assert sim.stats()["mutations"] == 0


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_plan_apply_plan_is_empty_and_cancels_only_what_it_names(case: Case) -> None:
    _check_converges(case, faults=None)


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.integers(min_value=0, max_value=2**16))
def test_convergence_survives_5xx_drops_and_secondary_limits(case: Case, seed: int) -> None:
    faults = {
        "error_rate": 0.2,
        "drop_rate": 0.05,
        "secondary_rate_limit_every": 7,
        "retry_after_s": 0,
        "seed": seed,
    }
    _check_converges(case, faults=faults)


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.integers(min_value=0, max_value=2**16))
def test_convergence_over_loopback_http_survives_5xx_drops_and_secondary_limits(
    case: Case, seed: int
) -> None:
    # The same faults, served over a socket: drops are real closed connections (some after
    # the write was applied), met by the client's HTTP transport and its keep-alive pool.
    faults = {
        "error_rate": 0.2,
        "drop_rate": 0.1,
        "secondary_rate_limit_every": 7,
        "retry_after_s": 0,
        "seed": seed,
    }
    _check_converges(case, faults=faults, over_loopback=True)
