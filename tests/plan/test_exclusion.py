"""Content exclusion: one PUT of the whole map when it differs the way GitHub matches it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pytest

from reconciler.plan import Change, Plan
from reconciler.plan.exclusion import readable_diff
from reconciler.plan.planner import plan
from tests.helpers.builders import NOW, ORG, TODAY, desired, live, live_org, org_config


def plan_exclusion(
    want: Mapping[str, Iterable[str]], have: Mapping[str, Iterable[str]] | None
) -> Plan:
    return plan(
        desired(org_config(exclusion=want)),
        live(live_org(exclusion=have)),
        today=TODAY,
        now=NOW,
    )


def test_a_differing_map_is_one_put_of_the_whole_desired_map_with_a_readable_diff() -> None:
    want = {"*": ["**/.env"], "octo-repo": ["/secrets/**", "/src/kernel.rs"]}
    have = {"octo-repo": ["/secrets/**", "/tmp/**"], "old-repo": ["/x"]}
    result = plan_exclusion(want, have)
    assert result.changes == (
        Change(
            org=ORG,
            action="set_content_exclusion",
            reason="content_exclusion declared in org.yaml differs from the live rules",
            before={"octo-repo": ("/secrets/**", "/tmp/**"), "old-repo": ("/x",)},
            after={"*": ("**/.env",), "octo-repo": ("/secrets/**", "/src/kernel.rs")},
            diff={
                "added_repositories": {"*": ["**/.env"]},
                "removed_repositories": {"old-repo": ["/x"]},
                "changed": {"octo-repo": {"added": ["/src/kernel.rs"], "removed": ["/tmp/**"]}},
            },
        ),
    )
    assert result.summary.content_exclusion_changes == 1


@pytest.mark.parametrize(
    "have",
    [
        pytest.param({"Octo-Repo": ["/SECRETS/**", "/a"]}, id="case of keys and patterns"),
        pytest.param({"octo-repo": ["/a", "/secrets/**", "/a"]}, id="order and duplicates"),
        pytest.param({"octo-repo": ["/secrets/**", "/a"], "empty": []}, id="a key without rules"),
    ],
)
def test_maps_equal_the_way_github_matches_them_plan_nothing(
    have: Mapping[str, list[str]],
) -> None:
    assert plan_exclusion({"octo-repo": ["/secrets/**", "/a"]}, have).changes == ()


def test_an_empty_desired_map_clears_the_live_rules() -> None:
    result = plan_exclusion({}, {"octo-repo": ["/x"]})
    assert [(c.action, c.after) for c in result.changes] == [("set_content_exclusion", {})]


def test_an_unmanaged_section_is_not_compared() -> None:
    result = plan(
        desired(org_config()), live(live_org(exclusion={"r": ["/x"]})), today=TODAY, now=NOW
    )
    assert result.changes == ()


def test_a_managed_section_that_was_not_read_is_a_bug() -> None:
    with pytest.raises(ValueError, match="content exclusion is managed"):
        plan_exclusion({"r": ["/x"]}, None)


def test_the_diff_keeps_the_spelling_of_the_side_each_name_comes_from() -> None:
    assert readable_diff({"Repo": ("/Old",)}, {"REPO": ("/New", "/old")}) == {
        "changed": {"REPO": {"added": ["/New"], "removed": []}}
    }


def test_maps_with_no_repository_in_common_diff_per_repository() -> None:
    assert readable_diff({"old": ("/x",)}, {"new": ("/y",)}) == {
        "added_repositories": {"new": ["/y"]},
        "removed_repositories": {"old": ["/x"]},
    }
