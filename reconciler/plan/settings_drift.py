"""Settings drift: asserted Copilot settings that differ from the live ones.

The API reads these settings but cannot write them, so a difference is reported, with the
page where an org owner changes it, and never becomes a change. Some values also decide
whether apply can work at all (GitHub refuses seat changes with 422 under them): those are
warned about when the plan has seat changes, whether or not the setting is asserted.
"""

from __future__ import annotations

from collections.abc import Mapping

from reconciler.model import SettingAssertion
from reconciler.plan.data import SettingDrift

_PAGES = {
    "seat_management_setting": "seat_management",
    "plan_type": "seat_management",
}

#: Values under which GitHub answers 422 to every seat mutation.
BLOCKING_VALUES: Mapping[str, frozenset[str]] = {
    "seat_management_setting": frozenset({"assign_all", "unconfigured", "disabled"}),
    "public_code_suggestions": frozenset({"unconfigured"}),
}


def settings_url(org: str, setting: str) -> str:
    """The page of github.com where an org owner changes ``setting``."""
    page = _PAGES.get(setting, "policies")
    return f"https://github.com/organizations/{org}/settings/copilot/{page}"


def plan_settings(
    org: str, assertions: tuple[SettingAssertion, ...], live: Mapping[str, str]
) -> tuple[SettingDrift, ...]:
    """One :class:`SettingDrift` per asserted setting whose live value differs or is missing.

    Values compare caselessly: they are enumerations that GitHub spells in lower case.
    """
    drift = []
    for assertion in assertions:
        have = live.get(assertion.name)
        if have is None or have.lower() != assertion.value.lower():
            drift.append(
                SettingDrift(
                    org=org,
                    setting=assertion.name,
                    want=assertion.value,
                    have=have,
                    source=assertion.source,
                    url=settings_url(org, assertion.name),
                )
            )
    return tuple(drift)


def blocking_warnings(org: str, live: Mapping[str, str]) -> tuple[str, ...]:
    """Warnings for live settings under which GitHub refuses every seat change."""
    out = []
    for setting, blocking in BLOCKING_VALUES.items():
        value = live.get(setting)
        if value is not None and value.lower() in blocking:
            out.append(
                f"{org}: {setting} is '{value}', so GitHub will refuse the seat changes "
                f"(422) until an owner changes it at {settings_url(org, setting)}"
            )
    return tuple(out)
