"""Plans to render: one with every kind of change, and generated ones of any size."""

from __future__ import annotations

from datetime import date

from reconciler.model import SafetyPolicy
from reconciler.plan import Change, Plan, Summary
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


def full_plan() -> Plan:
    """Two orgs; every action, a reactivation, an expiry, settings drift and warnings."""
    octo = org_config(
        seat_policy=seats(
            users=[
                user("alice", 12),
                user("carol", 13),
                user("dana", 14, expires=date(2026, 11, 1)),
                user("erin", 15, expires=date(2026, 12, 1)),
                user("frank", 16),
            ],
            teams=["engineering"],
            keep=[user("breakglass", 20)],
        ),
        exclusion={"*": ["**/.env"], "octo-repo": ["/secrets/**", "/src/kernel.rs"]},
        settings={"ide_chat": "enabled", "public_code_suggestions": "block"},
    )
    octo_live = live_org(
        seat_list=[
            seat("carol", pending=True),
            seat("dana"),
            seat("erin"),
            seat("frank", "old-team"),
            seat("mallory"),
            seat("trent", "old-team"),
            seat("breakglass"),
        ],
        teams={"engineering": ["bob", "grace"], "old-team": ["frank", "trent"]},
        exclusion={"octo-repo": ["/secrets/**", "/tmp/**"], "legacy": ["/**"]},
        settings={**SETTINGS, "ide_chat": "disabled"},
        total=40,
    )
    acme = org_config(
        "acme-corp",
        seat_policy=seats(users=["zoe"], mode="additive"),
        settings={"cli": "enabled"},
        safety=SafetyPolicy(max_cancellations=5),
    )
    acme_live = live_org(
        "acme-corp", seat_list=[seat("yuri")], settings={**SETTINGS, "cli": "disabled"}
    )
    return plan(desired(octo, acme), live(octo_live, acme_live), today=TODAY, now=NOW)


def huge_plan(count: int) -> Plan:
    """A plan that grants ``count`` seats and cancels as many (built directly: fast)."""
    added = tuple(f"new-user-{i:06d}" for i in range(count))
    gone = tuple(f"old-user-{i:06d}" for i in range(count))
    return Plan(
        changes=(
            Change(
                org="big-org",
                action="add_users",
                users=added,
                reason=f"{count} declared user(s) without an active seat",
                reasons={
                    login: f"declared in users/part-{i % 97}.yaml:{i + 1}:7"
                    for i, login in enumerate(added)
                },
                seats_added=count,
            ),
            Change(
                org="big-org",
                action="remove_users",
                users=gone,
                reason=f"{count} direct seat(s) not declared or expired",
                reasons=dict.fromkeys(gone, "not declared"),
                seats_cancelled=count,
            ),
        ),
        settings_drift=(),
        warnings=tuple(f"big-org: warning number {i}" for i in range(count // 10)),
        summary=Summary(count, count, 0.0, count * 19 * 7 / 30),
        live_fingerprint="sha256:" + "0" * 64,
        desired_fingerprint="sha256:" + "1" * 64,
        generated_at=NOW,
        tool_version="0.1.0",
        org_seat_totals={"big-org": 2 * count},
    )
