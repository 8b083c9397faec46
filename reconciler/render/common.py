"""What the text and Markdown renderers share: one reading of a plan as rows and totals."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from reconciler.model import key
from reconciler.plan import Change, Plan, SettingDrift

Sign = Literal["+", "-", "~"]

NO_CHANGES = "No changes. The live state matches the configuration."

#: The title of the block that lists a plan's refusals (text and Markdown).
REFUSED = "apply will refuse this plan (exit 3) unless --force is given"


@dataclass(frozen=True)
class Row:
    """One line of a change: a name (or a content-exclusion pattern) and why.

    ``nested`` rows belong to the row above them: the members whose seat an unselected
    team takes along.
    """

    sign: Sign
    kind: str
    name: str
    reason: str
    nested: bool = False


def rows(change: Change) -> Iterator[Row]:
    """The rows of ``change``, in its order."""
    why = change.reasons
    if change.action == "add_teams":
        for team in change.teams:
            yield Row("+", "select team", team, why.get(team, ""))
    elif change.action == "add_users":
        for user in change.users:
            yield Row("+", "grant seat", user, why.get(user, ""))
    elif change.action == "remove_teams":
        for team in change.teams:
            yield Row("-", "unselect team", team, why.get(team, ""))
        for login in change.cancelled_logins:
            yield Row("-", "seat cancelled", login, why.get(login, ""), nested=True)
    elif change.action == "remove_users":
        for user in change.users:
            yield Row("-", "cancel seat", user, why.get(user, ""))
    else:
        for sign, repo, pattern in exclusion_lines(change.diff or {}):
            yield Row(sign, "content exclusion", repo, pattern)


def exclusion_lines(diff: Mapping[str, Any]) -> Iterator[tuple[Sign, str, str]]:
    """(sign, repository, pattern) per pattern of a content-exclusion diff."""
    for repo, patterns in diff.get("added_repositories", {}).items():
        for pattern in patterns:
            yield "+", repo, pattern
    for repo, parts in diff.get("changed", {}).items():
        for pattern in parts.get("added", ()):
            yield "+", repo, pattern
        for pattern in parts.get("removed", ()):
            yield "-", repo, pattern
    for repo, patterns in diff.get("removed_repositories", {}).items():
        for pattern in patterns:
            yield "-", repo, pattern


def orgs(plan: Plan) -> list[str]:
    """The orgs a plan mentions (changes or settings drift), in the plan's org order."""
    names: dict[str, str] = {}
    for org in [c.org for c in plan.changes] + [d.org for d in plan.settings_drift]:
        names.setdefault(key(org), org)
    return [names[org] for org in sorted(names)]


def by_org(plan: Plan) -> list[tuple[str, list[Change], list[SettingDrift]]]:
    """Per org the plan mentions, in the plan's org order: its changes and settings drift."""
    changes: dict[str, list[Change]] = {}
    drift: dict[str, list[SettingDrift]] = {}
    for change in plan.changes:
        changes.setdefault(key(change.org), []).append(change)
    for item in plan.settings_drift:
        drift.setdefault(key(item.org), []).append(item)
    return [(org, changes.get(key(org), []), drift.get(key(org), [])) for org in orgs(plan)]


def refusal_lines(plan: Plan) -> list[str]:
    """One line per refused org: its name, how many seats the plan cancels, the limit and
    where it is set (the reason says all of it)."""
    return [f"{refusal.org}: {refusal.reason}" for refusal in plan.refusals]


def money(amount: float) -> str:
    """``+$1,234.50``, ``-$19.00``, ``$0.00``."""
    sign = "+" if amount > 0 else "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def headline(plan: Plan) -> str:
    """``N seat(s) to add, M to cancel, K content-exclusion change(s); monthly cost +$X
    (this cycle +$Y)``."""
    summary = plan.summary
    return (
        f"{summary.seats_added} seat(s) to add, {summary.seats_cancelled} to cancel, "
        f"{summary.content_exclusion_changes} content-exclusion change(s); "
        f"monthly cost {money(summary.monthly_cost_delta_usd)} "
        f"(this cycle {money(summary.prorated_cost_this_cycle_usd)})"
    )


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 seat`` / ``2,000 seats`` (``many`` overrides the plural form)."""
    word = one if count == 1 else (many or one + "s")
    return f"{count:,} {word}"
