"""Plan JSON: the product.md shape, its schema, the round trip, saved files and the fingerprint."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from jsonschema import Draft202012Validator

from reconciler.errors import ReconcilerError
from reconciler.model import LiveSeat
from reconciler.plan import Plan, fingerprint, load_plan, save_plan
from reconciler.plan.planner import plan
from tests.helpers.builders import (
    NOW,
    SETTINGS,
    TODAY,
    desired,
    live,
    live_org,
    org_config,
    seat,
    seats,
    user,
)

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schemas" / "plan.schema.json"


def full_plan() -> Plan:
    """A plan with every kind of change, settings drift and a warning."""
    config = org_config(
        seat_policy=seats(
            users=[user("alice", 12), user("soon", 13, expires=date(2026, 11, 30))],
            teams=["eng"],
        ),
        exclusion={"*": ["**/.env"]},
        settings={"ide_chat": "enabled"},
    )
    org = live_org(
        seat_list=[seat("mallory"), seat("trent", "old"), seat("soon")],
        teams={"eng": ["bob"], "old": ["trent"]},
        exclusion={"octo-repo": ["/x"]},
        settings={**SETTINGS, "ide_chat": "disabled"},
    )
    return plan(desired(config), live(org), today=TODAY, now=NOW)


def test_the_json_has_the_product_shape_and_validates_against_the_schema() -> None:
    data = full_plan().to_json()
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    assert {k: data[k] for k in ("format_version", "tool_version", "generated_at")} == {
        "format_version": 1,
        "tool_version": "0.1.0",
        "generated_at": "2026-11-24T12:00:00Z",
    }
    assert [c["action"] for c in data["changes"]] == [
        "set_content_exclusion",
        "add_teams",
        "add_users",
        "remove_teams",
        "remove_users",
    ]
    assert data["changes"][2] == {
        "org": "octo-org",
        "action": "add_users",
        "users": ["alice"],
        "reason": "1 declared user(s) without an active seat",
        "reasons": {"alice": "declared in org.yaml:12:7"},
        "seats_added": 1,
        "seats_cancelled": 0,
    }
    assert data["settings_drift"] == [
        {
            "org": "octo-org",
            "setting": "ide_chat",
            "want": "enabled",
            "have": "disabled",
            "source": {"file": "org.yaml", "line": 2, "column": 3},
            "url": "https://github.com/organizations/octo-org/settings/copilot/policies",
        }
    ]


def test_from_json_round_trips_to_json_through_text() -> None:
    original = full_plan()
    assert Plan.from_json(json.loads(json.dumps(original.to_json()))) == original


def test_a_saved_plan_loads_back_equal(tmp_path: Path) -> None:
    original = full_plan()
    path = tmp_path / "plan.json"
    save_plan(original, path)
    assert load_plan(path) == original


def test_an_invalid_plan_is_refused_naming_the_file_and_every_problem(tmp_path: Path) -> None:
    data: dict[str, Any] = full_plan().to_json()
    data["changes"][0]["action"] = "delete_everything"
    del data["live_fingerprint"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReconcilerError) as caught:
        load_plan(path)
    assert str(caught.value) == (
        f"{path}: not a valid plan: $.changes[0].action: 'delete_everything' is not one of "
        "['add_teams', 'add_users', 'remove_teams', 'remove_users', 'set_content_exclusion']; "
        "$: 'live_fingerprint' is a required property"
    )
    assert type(caught.value) is ReconcilerError


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "bad.json:1:2: not a plan file: invalid JSON"),
        ("[1, 2]", "bad.json: not a plan file: expected a JSON object"),
        (
            '{"format_version": 2}',
            "bad.json: plan format_version 2 is not supported by this version",
        ),
    ],
)
def test_files_that_are_not_plans_are_refused_clearly(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReconcilerError, match=message.replace(".", r"\.").replace("(", r"\(")):
        load_plan(path)


def test_a_missing_plan_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ReconcilerError, match=r"missing\.json: cannot read the plan file"):
        load_plan(tmp_path / "missing.json")


def test_has_changes_and_has_drift() -> None:
    empty = plan(desired(org_config(seat_policy=seats())), live(live_org()), today=TODAY, now=NOW)
    assert (empty.has_changes, empty.has_drift) == (False, False)
    assert (full_plan().has_changes, full_plan().has_drift) == (True, True)


# ----------------------------------------------------------------------------- fingerprint


def test_the_fingerprint_ignores_activity_and_other_volatile_fields() -> None:
    before = live(live_org(seat_list=[seat("alice"), seat("bob", "eng")], teams={"eng": ["bob"]}))
    org = before.orgs["octo-org"]
    used = {
        login: msgspec.structs.replace(
            s,
            last_activity_at=datetime(2026, 11, 24, 13, tzinfo=UTC),
            last_activity_editor="vscode/1.95.0",
            created_at=datetime(2026, 11, 24, 13, tzinfo=UTC),
        )
        for login, s in org.seats.items()
    }
    after = live(replace(org, seats=used, seat_breakdown={"total": 2, "active_this_cycle": 2}))
    assert fingerprint(after) == fingerprint(before)
    assert fingerprint(before).startswith("sha256:")
    assert len(fingerprint(before)) == len("sha256:") + 64


@pytest.mark.parametrize(
    "change",
    ["pending", "team", "new seat", "member", "exclusion", "setting", "non member"],
)
def test_the_fingerprint_changes_with_anything_planning_reads(change: str) -> None:
    base = live_org(
        seat_list=[seat("alice"), seat("bob", "eng")],
        teams={"eng": ["bob"]},
        exclusion={"r": ["/x"]},
    )
    seats_now = dict(base.seats)
    if change == "pending":
        seats_now["alice"] = seat("alice", pending=True)
    elif change == "team":
        seats_now["alice"] = seat("alice", "eng")
    elif change == "new seat":
        seats_now["carol"] = seat("carol")
    variants = {
        "member": replace(base, team_members={"eng": frozenset({"bob", "carol"})}),
        "exclusion": replace(base, content_exclusion={"r": ("/y",)}),
        "setting": replace(base, settings={**SETTINGS, "cli": "disabled"}),
        "non member": replace(base, non_members=frozenset({"ghost"})),
    }
    moved = variants.get(change, replace(base, seats=seats_now))
    assert fingerprint(live(moved)) != fingerprint(live(base))


def test_a_seat_is_a_seat_whatever_its_record_says_beyond_the_planned_facts() -> None:
    a = LiveSeat("Alice", NOW, plan_type="business")
    b = LiveSeat("alice", NOW, plan_type="enterprise")
    assert fingerprint(live(live_org(seat_list=[a]))) == fingerprint(live(live_org(seat_list=[b])))


def test_a_plan_saved_before_desired_fingerprints_existed_is_refused_clearly(
    tmp_path: Path,
) -> None:
    data: dict[str, Any] = full_plan().to_json()
    del data["desired_fingerprint"]
    del data["refusals"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReconcilerError) as caught:
        load_plan(path)
    assert str(caught.value) == (
        f"{path}: this saved plan was made by an older copilot-reconciler and has no "
        "desired_fingerprint, so apply cannot check that the configuration is the one "
        "reviewed: run `plan --out` again"
    )


def test_refusals_are_in_the_json_and_load_back(tmp_path: Path) -> None:
    org = live_org(seat_list=[seat(f"gone{i}") for i in range(12)])
    result = plan(
        desired(org_config(seat_policy=seats(users=["x"]))), live(org), today=TODAY, now=NOW
    )
    path = tmp_path / "plan.json"
    save_plan(result, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["refusals"] == [
        {
            "org": "octo-org",
            "reason": "the plan cancels 12 seat(s), more than the default limit of 10 seats and "
            "10% of the org's 12 seat(s) (safety.max_cancellations: default)",
            "limit": 10,
            "cancellations": 12,
            "source": None,
        }
    ]
    assert load_plan(path) == result
