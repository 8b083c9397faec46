"""Everything pure about a plan: its data and JSON, the planner and its rules, costs, the
fingerprint of what it was made from, and the safety guard.

``from reconciler.plan import Plan, Change, ...`` is the public import path for the plan types
(scripts that read saved plans use it); the planner itself is :func:`reconciler.plan.planner.plan`.

Modules: :mod:`~reconciler.plan.data` (the types and their JSON), :mod:`~reconciler.plan.store`
(saved plan files), :mod:`~reconciler.plan.planner` (``plan(desired, live) -> Plan``) with its
rules in :mod:`~reconciler.plan.seats`, :mod:`~reconciler.plan.exclusion` and
:mod:`~reconciler.plan.settings_drift`, :mod:`~reconciler.plan.pricing`,
:mod:`~reconciler.plan.fingerprint`, :mod:`~reconciler.plan.desired_fingerprint` and
:mod:`~reconciler.plan.safety`.
"""

from reconciler.plan.data import (
    ACTIONS,
    FORMAT_VERSION,
    Action,
    Change,
    Plan,
    Refusal,
    SettingDrift,
    Summary,
)
from reconciler.plan.desired_fingerprint import desired_fingerprint
from reconciler.plan.fingerprint import fingerprint
from reconciler.plan.safety import check_safety
from reconciler.plan.store import load_plan, save_plan

__all__ = [
    "ACTIONS",
    "FORMAT_VERSION",
    "Action",
    "Change",
    "Plan",
    "Refusal",
    "SettingDrift",
    "Summary",
    "check_safety",
    "desired_fingerprint",
    "fingerprint",
    "load_plan",
    "save_plan",
]
