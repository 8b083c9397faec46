"""Content exclusion: compare the whole rule map, plan one PUT when it differs.

The API replaces the whole map at once, so the unit of change is the map. Two maps are equal
the way GitHub applies them: repository keys and path patterns caselessly (GitHub matches
both without case), patterns as a set (order and duplicates change nothing), and a key with
no patterns is the same as no key (it excludes nothing). Comparing anything stricter would
plan a PUT that changes nothing and, since GitHub may echo a different but equivalent map,
plan it again after every apply.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterable, Mapping
from typing import Any

from reconciler.model import ExclusionRule
from reconciler.plan.data import Change

Rules = Mapping[str, tuple[str, ...]]


@functools.cache
def _deepdiff() -> tuple[Any, dict[str, Any]]:
    """DeepDiff and the options it takes here. Imported on the first diff: deepdiff and what
    it loads cost 40 ms, and a plan whose rules are in sync never needs it."""
    from deepdiff import DeepDiff

    # deepdiff >= 8 reports two maps that share few keys as one replaced value; a
    # per-repository diff is what a reviewer reads, so ask it to always go deeper (older
    # versions always did).
    deeper = "threshold_to_diff_deeper" in inspect.signature(DeepDiff.__init__).parameters
    return DeepDiff, ({"threshold_to_diff_deeper": 0} if deeper else {})


def normalize(rules: Rules) -> dict[str, frozenset[str]]:
    """The map as GitHub applies it: lower-cased keys and pattern sets, empty keys dropped."""
    out: dict[str, set[str]] = {}
    for repo, patterns in rules.items():
        out.setdefault(repo.lower(), set()).update(p.lower() for p in patterns)
    return {repo: frozenset(patterns) for repo, patterns in out.items() if patterns}


def desired_map(rules: Iterable[ExclusionRule]) -> dict[str, tuple[str, ...]]:
    """The configured rules as the map apply PUTs, as written."""
    return {rule.repository: tuple(rule.patterns) for rule in rules}


def plan_content_exclusion(
    org: str, rules: tuple[ExclusionRule, ...], live: Rules | None
) -> Change | None:
    """The ``set_content_exclusion`` change for ``org``, or None when the maps are equal.

    ``live`` is None only when the reader did not read a managed section: a bug, not a state.
    """
    if live is None:
        raise ValueError(f"{org}: content exclusion is managed but the live map was not read")
    after = desired_map(rules)
    before = {repo: tuple(patterns) for repo, patterns in live.items()}
    if normalize(after) == normalize(before):
        return None
    sources = sorted({str(rule.source.file) for rule in rules})
    where = ", ".join(sources) if sources else "the configuration"
    return Change(
        org=org,
        action="set_content_exclusion",
        reason=f"content_exclusion declared in {where} differs from the live rules",
        before=before,
        after=after,
        diff=readable_diff(before, after),
    )


def readable_diff(before: Rules, after: Rules) -> dict[str, Any]:
    """What changes, in plain JSON types and in the spelling of the side it comes from::

        {"added_repositories": {repo: [patterns]}, "removed_repositories": {repo: [patterns]},
         "changed": {repo: {"added": [patterns], "removed": [patterns]}}}

    Only non-empty parts appear; every list is sorted.
    """
    old, new = normalize(before), normalize(after)
    # The spelling of `after` wins: it is what will be live.
    repos = _spellings(before, repos=True) | _spellings(after, repos=True)
    spelling = _spellings(before, repos=False) | _spellings(after, repos=False)
    added: dict[str, list[str]] = {}
    removed: dict[str, list[str]] = {}
    changed: dict[str, dict[str, list[str]]] = {}
    deep_diff, options = _deepdiff()
    tree = deep_diff(old, new, view="tree", **options)
    for report, levels in tree.items():
        for level in levels:
            repo = level.path(output_format="list")[0]
            name = repos.get(repo, repo)
            if report == "dictionary_item_added":
                added[name] = sorted(spelling.get(p, p) for p in level.t2)
            elif report == "dictionary_item_removed":
                removed[name] = sorted(spelling.get(p, p) for p in level.t1)
            elif report in ("set_item_added", "set_item_removed"):
                side, item = (
                    ("added", level.t2) if report == "set_item_added" else ("removed", level.t1)
                )
                changed.setdefault(name, {"added": [], "removed": []})[side].append(
                    spelling.get(item, item)
                )
    out: dict[str, Any] = {}
    if added:
        out["added_repositories"] = dict(sorted(added.items()))
    if removed:
        out["removed_repositories"] = dict(sorted(removed.items()))
    if changed:
        out["changed"] = {
            repo: {side: sorted(items) for side, items in parts.items()}
            for repo, parts in sorted(changed.items())
        }
    return out


def _spellings(rules: Rules, *, repos: bool) -> dict[str, str]:
    """Lower-cased repository key (or pattern) -> its first spelling in ``rules``."""
    out: dict[str, str] = {}
    for repo, patterns in rules.items():
        for name in (repo,) if repos else patterns:
            out.setdefault(name.lower(), name)
    return out
