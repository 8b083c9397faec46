"""The desired-state fingerprint: what a saved plan was reviewed against (issue 10, point 1)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import msgspec

from reconciler.model import DesiredState, SafetyPolicy
from reconciler.plan import desired_fingerprint
from reconciler.plan.planner import plan
from tests.helpers.builders import (
    NOW,
    TODAY,
    desired,
    live,
    live_org,
    org_config,
    seat,
    seats,
    src,
    team,
    user,
)


def base(**changes: object) -> DesiredState:
    policy = seats(
        users=[user("alice", 10), user("bob", 11, expires=date(2027, 1, 1))],
        teams=["eng", "ops"],
        keep=["octo-admin"],
    )
    config = org_config(
        seat_policy=replace(policy, **changes),  # type: ignore[arg-type]
        exclusion={"octo-repo": ["/secrets/**", "/keys/**"]},
        settings={"ide_chat": "enabled"},
    )
    return desired(config)


def test_the_plan_carries_the_fingerprint_of_its_desired_state() -> None:
    state = base()
    org = live_org(seat_list=[seat("alice")], exclusion={})
    result = plan(state, live(org), today=TODAY, now=NOW)
    assert result.desired_fingerprint == desired_fingerprint(state)
    assert result.desired_fingerprint.startswith("sha256:")
    assert len(result.desired_fingerprint) == len("sha256:") + 64


def test_places_case_and_order_change_nothing() -> None:
    bob = msgspec.structs.replace(user("BOB", 3), expires=date(2027, 1, 1))
    moved = base(
        users=(user("Alice", 99), bob),
        teams=(team("OPS", 70), team("eng", 71)),
        source=src(1, 1, file="elsewhere.yaml"),
    )
    reordered = desired(
        replace(
            moved.orgs["octo-org"],
            content_exclusion=tuple(reversed(base().orgs["octo-org"].content_exclusion or ())),
            sources=(src(5, 5, file="other.yaml"),),
        )
    )
    assert desired_fingerprint(moved) == desired_fingerprint(base())
    assert desired_fingerprint(reordered) == desired_fingerprint(base())


def test_every_fact_the_planner_reads_changes_it() -> None:
    original = desired_fingerprint(base())
    config = base().orgs["octo-org"]
    variants = [
        base(users=(user("alice"), user("bob"), user("erin"))),  # a user declared
        base(users=(user("alice"), user("bob", expires=date(2027, 2, 1)))),  # an expiry moved
        base(teams=(team("eng"),)),  # a team dropped
        base(keep=()),  # keep emptied
        base(mode="additive"),
        desired(replace(config, settings=())),
        desired(replace(config, content_exclusion=())),
        desired(replace(config, safety=SafetyPolicy(max_cancellations=3))),
        desired(replace(config, org="other-org")),
    ]
    fingerprints = {desired_fingerprint(state) for state in variants}
    assert original not in fingerprints
    assert len(fingerprints) == len(variants)
