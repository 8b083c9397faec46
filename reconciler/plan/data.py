"""Plans are data: the changes a reconciliation would make, and everything needed to review them.

A :class:`Plan` is what :func:`reconciler.plan.planner.plan` returns and what ``plan --out`` saves:
an ordered tuple of :class:`Change` (in the order apply runs them), the settings that drift
(reported, never written: the API cannot set them), warnings, a :class:`Summary` with the
seat and cost effect, the refusals of the safety guard (what ``apply`` will refuse without
``--force``), and the fingerprints of the live state and of the desired state it was made
from, so that apply can refuse a saved plan whose world or configuration has moved
(:mod:`reconciler.plan.fingerprint`, :mod:`reconciler.plan.desired_fingerprint`).

Its JSON form (:meth:`Plan.to_json`, ``format_version`` 1) is the product contract of
``docs/product.md``; ``schemas/plan.schema.json`` describes it and :meth:`Plan.from_json`
validates against it before trusting a file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, get_args

from reconciler.model import Source
from reconciler.plan.validation import FORMAT_VERSION, validate_plan_json
from reconciler.timestamps import format_time, parse_time

__all__ = [
    "ACTIONS",
    "FORMAT_VERSION",
    "Action",
    "Change",
    "Plan",
    "Refusal",
    "SettingDrift",
    "Summary",
]

Action = Literal["add_teams", "add_users", "remove_teams", "remove_users", "set_content_exclusion"]
ACTIONS: tuple[str, ...] = get_args(Action)
_USER_ACTIONS = ("add_users", "remove_users")
_TEAM_ACTIONS = ("add_teams", "remove_teams")


@dataclass(frozen=True)
class Change:
    """One API call's worth of change to one org (apply chunks the names by 100).

    ``users`` / ``teams`` hold canonical names, sorted. ``reasons`` explains each name (for
    ``remove_teams`` it also explains each login in ``cancelled_logins``, the members whose
    seat the unselection cancels). ``seats_added`` / ``seats_cancelled`` are the change's
    effect: seats that become active (new or reactivated) or pending cancellation.
    ``before`` / ``after`` / ``diff`` are set for ``set_content_exclusion`` only; ``after`` is
    the whole map that apply PUTs.
    """

    org: str
    action: Action
    users: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    reason: str = ""
    reasons: Mapping[str, str] = field(default_factory=dict)
    before: Mapping[str, tuple[str, ...]] | None = None
    after: Mapping[str, tuple[str, ...]] | None = None
    diff: Mapping[str, Any] | None = None
    seats_added: int = 0
    seats_cancelled: int = 0
    cancelled_logins: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """This change as plan JSON."""
        out: dict[str, Any] = {"org": self.org, "action": self.action}
        if self.action in _USER_ACTIONS or self.users:
            out["users"] = list(self.users)
        if self.action in _TEAM_ACTIONS or self.teams:
            out["teams"] = list(self.teams)
        out["reason"] = self.reason
        out["reasons"] = dict(self.reasons)
        out["seats_added"] = self.seats_added
        out["seats_cancelled"] = self.seats_cancelled
        if self.action == "remove_teams" or self.cancelled_logins:
            out["cancelled_logins"] = list(self.cancelled_logins)
        for name, rules in (("before", self.before), ("after", self.after)):
            if rules is not None:
                out[name] = {repo: list(patterns) for repo, patterns in rules.items()}
        if self.diff is not None:
            out["diff"] = json.loads(json.dumps(self.diff))
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Change:
        """The change of a (schema-valid) plan JSON entry."""

        def rules(name: str) -> dict[str, tuple[str, ...]] | None:
            value = data.get(name)
            return None if value is None else {r: tuple(p) for r, p in value.items()}

        return cls(
            org=data["org"],
            action=data["action"],
            users=tuple(data.get("users", ())),
            teams=tuple(data.get("teams", ())),
            reason=data.get("reason", ""),
            reasons=dict(data.get("reasons", {})),
            before=rules("before"),
            after=rules("after"),
            diff=data.get("diff"),
            seats_added=data.get("seats_added", 0),
            seats_cancelled=data.get("seats_cancelled", 0),
            cancelled_logins=tuple(data.get("cancelled_logins", ())),
        )


@dataclass(frozen=True)
class SettingDrift:
    """An asserted Copilot setting whose live value differs (``have`` is None when missing)."""

    org: str
    setting: str
    want: str
    have: str | None
    source: Source
    url: str  # where an org owner changes it

    def to_json(self) -> dict[str, Any]:
        """This drift as plan JSON."""
        return {
            "org": self.org,
            "setting": self.setting,
            "want": self.want,
            "have": self.have,
            "source": _source_json(self.source),
            "url": self.url,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SettingDrift:
        """The drift of a (schema-valid) plan JSON entry."""
        return cls(
            org=data["org"],
            setting=data["setting"],
            want=data["want"],
            have=data["have"],
            source=_source_from_json(data["source"]),
            url=data["url"],
        )


@dataclass(frozen=True)
class Refusal:
    """An org whose cancellations exceed its safety limit: ``apply`` refuses the plan (exit 3)
    unless ``--force`` (:mod:`reconciler.plan.safety`).

    ``limit`` is the most cancellations the org's policy allows now (0 for an exact-mode org
    that declares nobody); ``source`` is where the configuration sets it, ``None`` for the
    default policy.
    """

    org: str
    reason: str
    limit: int
    cancellations: int
    source: Source | None

    def to_json(self) -> dict[str, Any]:
        """This refusal as plan JSON."""
        return {
            "org": self.org,
            "reason": self.reason,
            "limit": self.limit,
            "cancellations": self.cancellations,
            "source": None if self.source is None else _source_json(self.source),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Refusal:
        """The refusal of a (schema-valid) plan JSON entry."""
        src = data["source"]
        return cls(
            org=data["org"],
            reason=data["reason"],
            limit=data["limit"],
            cancellations=data["cancellations"],
            source=None if src is None else _source_from_json(src),
        )


@dataclass(frozen=True)
class Summary:
    """The effect of a plan on seats and spending (see :mod:`reconciler.plan.pricing`).

    ``seats_added`` counts seats that become active, of which ``seats_reactivated`` were
    pending cancellation (they cost nothing extra this cycle). Costs are USD, rounded to
    cents: ``monthly_cost_delta_usd`` from the next cycle on, ``prorated_cost_this_cycle_usd``
    for the rest of the current one.
    """

    seats_added: int
    seats_cancelled: int
    monthly_cost_delta_usd: float
    prorated_cost_this_cycle_usd: float
    seats_reactivated: int = 0
    content_exclusion_changes: int = 0
    settings_drift: int = 0

    def to_json(self) -> dict[str, Any]:
        """This summary as plan JSON."""
        return {
            "seats_added": self.seats_added,
            "seats_reactivated": self.seats_reactivated,
            "seats_cancelled": self.seats_cancelled,
            "content_exclusion_changes": self.content_exclusion_changes,
            "settings_drift": self.settings_drift,
            "monthly_cost_delta_usd": self.monthly_cost_delta_usd,
            "prorated_cost_this_cycle_usd": self.prorated_cost_this_cycle_usd,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Summary:
        """The summary of a (schema-valid) plan JSON."""
        return cls(
            seats_added=data["seats_added"],
            seats_cancelled=data["seats_cancelled"],
            monthly_cost_delta_usd=float(data["monthly_cost_delta_usd"]),
            prorated_cost_this_cycle_usd=float(data.get("prorated_cost_this_cycle_usd", 0.0)),
            seats_reactivated=data.get("seats_reactivated", 0),
            content_exclusion_changes=data.get("content_exclusion_changes", 0),
            settings_drift=data.get("settings_drift", 0),
        )


@dataclass(frozen=True)
class Plan:
    """Everything a reconciliation would do, ready to review, save, check and apply."""

    changes: tuple[Change, ...]
    settings_drift: tuple[SettingDrift, ...]
    warnings: tuple[str, ...]
    summary: Summary
    live_fingerprint: str
    generated_at: datetime
    tool_version: str
    org_seat_totals: Mapping[str, int] = field(default_factory=dict)
    #: ``sha256:<hex>`` of what the planner read from the configuration; ``""`` only in
    #: plans built by hand (tests), which cannot be saved and applied.
    desired_fingerprint: str = ""
    refusals: tuple[Refusal, ...] = ()

    @property
    def has_changes(self) -> bool:
        """True when apply has something to do."""
        return bool(self.changes)

    @property
    def has_drift(self) -> bool:
        """True when the live state differs from the configuration in any way, settings
        included (``drift`` and ``--detailed-exitcode`` exit 2 for it)."""
        return bool(self.changes or self.settings_drift)

    @property
    def refused(self) -> bool:
        """True when ``apply`` will refuse this plan without ``--force`` (``plan
        --detailed-exitcode`` and ``drift`` exit 3 for it)."""
        return bool(self.refusals)

    def to_json(self) -> dict[str, Any]:
        """The plan JSON of ``docs/product.md`` (``format_version`` 1)."""
        return {
            "format_version": FORMAT_VERSION,
            "tool_version": self.tool_version,
            "generated_at": format_time(self.generated_at, timespec="auto"),
            "live_fingerprint": self.live_fingerprint,
            "desired_fingerprint": self.desired_fingerprint,
            "changes": [change.to_json() for change in self.changes],
            "settings_drift": [drift.to_json() for drift in self.settings_drift],
            "warnings": list(self.warnings),
            "refusals": [refusal.to_json() for refusal in self.refusals],
            "summary": self.summary.to_json(),
            "org_seat_totals": dict(self.org_seat_totals),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, origin: str = "plan") -> Plan:
        """The plan that :meth:`to_json` wrote.

        ``data`` is validated against ``schemas/plan.schema.json`` first; anything invalid
        raises :class:`~reconciler.errors.ReconcilerError` naming ``origin`` (a file name)
        and every problem found.
        """
        validate_plan_json(data, origin)
        return cls(
            changes=tuple(Change.from_json(item) for item in data["changes"]),
            settings_drift=tuple(SettingDrift.from_json(d) for d in data["settings_drift"]),
            warnings=tuple(data["warnings"]),
            summary=Summary.from_json(data["summary"]),
            live_fingerprint=data["live_fingerprint"],
            generated_at=parse_time(data["generated_at"]),
            tool_version=data["tool_version"],
            org_seat_totals=dict(data.get("org_seat_totals", {})),
            desired_fingerprint=data["desired_fingerprint"],
            refusals=tuple(Refusal.from_json(item) for item in data["refusals"]),
        )


def _source_json(source: Source) -> dict[str, Any]:
    return {"file": source.file, "line": source.line, "column": source.column}


def _source_from_json(data: Mapping[str, Any]) -> Source:
    return Source(data["file"], data["line"], data["column"])
