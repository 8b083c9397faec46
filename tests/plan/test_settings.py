"""Settings drift: asserted settings that differ are reported with where to change them."""

from __future__ import annotations

from reconciler.model import Source
from reconciler.plan import SettingDrift
from reconciler.plan.planner import plan
from tests.helpers.builders import NOW, ORG, SETTINGS, TODAY, desired, live, live_org, org_config


def test_each_differing_or_missing_setting_is_drift_with_its_source_and_page() -> None:
    have = {**SETTINGS, "ide_chat": "disabled"}
    del have["cli"]
    asserted = {
        "ide_chat": "enabled",
        "cli": "enabled",
        "seat_management_setting": "assign_selected",
    }
    result = plan(
        desired(org_config(settings=asserted)),
        live(live_org(settings=have)),
        today=TODAY,
        now=NOW,
    )
    base = f"https://github.com/organizations/{ORG}/settings/copilot"
    assert result.settings_drift == (
        SettingDrift(
            ORG, "ide_chat", "enabled", "disabled", Source("org.yaml", 2, 3), f"{base}/policies"
        ),
        SettingDrift(ORG, "cli", "enabled", None, Source("org.yaml", 3, 3), f"{base}/policies"),
    )
    assert (result.changes, result.has_changes, result.has_drift) == ((), False, True)
    assert result.summary.settings_drift == 2


def test_settings_compare_caselessly_and_unmanaged_settings_are_not_read() -> None:
    result = plan(
        desired(org_config(settings={"ide_chat": "Enabled"})),
        live(live_org()),
        today=TODAY,
        now=NOW,
    )
    assert result.settings_drift == ()
    unmanaged = plan(
        desired(org_config()),
        live(live_org(settings={"ide_chat": "disabled"})),
        today=TODAY,
        now=NOW,
    )
    assert unmanaged.has_drift is False
