"""Configuration -> dataclasses: whole values, places, and the merge rules across files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reconciler.config import load_desired_state
from reconciler.errors import ConfigError
from reconciler.model import (
    DeclaredTeam,
    DeclaredUser,
    DesiredState,
    ExclusionRule,
    OrgConfig,
    SafetyPolicy,
    SeatPolicy,
    SettingAssertion,
    Source,
)
from tests.config.conftest import run_validate, write_files

FULL = """\
version: 1
org: Octo-Org
settings:
  seat_management_setting: assign_selected
  public_code_suggestions: block
  ide_chat: enabled
  platform_chat: disabled
  cli: unconfigured
  plan_type: business
seats:
  mode: additive
  teams: [engineering, Data_Science]
  users:
    - alice
    - login: carol
      expires: 2028-02-29
      reason: contractor, project Falcon
    - {login: "1234"}
  keep: [breakglass-admin]
content_exclusion:
  "*": ["**/.env"]
  octo-repo: [/src/some-dir/kernel.rs, /secrets/**]
  https://github.com/octo-org/*-infra.git: ["*.tf"]
safety:
  max_cancellations: 25
"""


def load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], *args: str
) -> DesiredState:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, files)
    return load_desired_state(list(args))


def test_a_full_file_becomes_the_expected_dataclasses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = load(tmp_path, monkeypatch, {"org.yaml": FULL}, "org.yaml")

    def at(line: int, column: int) -> Source:
        return Source("org.yaml", line, column)

    assert state == DesiredState(
        orgs={
            "octo-org": OrgConfig(
                org="Octo-Org",
                sources=(at(2, 6),),
                settings=(
                    SettingAssertion("seat_management_setting", "assign_selected", at(4, 28)),
                    SettingAssertion("public_code_suggestions", "block", at(5, 28)),
                    SettingAssertion("ide_chat", "enabled", at(6, 13)),
                    SettingAssertion("platform_chat", "disabled", at(7, 18)),
                    SettingAssertion("cli", "unconfigured", at(8, 8)),
                    SettingAssertion("plan_type", "business", at(9, 14)),
                ),
                seats=SeatPolicy(
                    mode="additive",
                    users=(
                        DeclaredUser("alice", at(14, 7)),
                        DeclaredUser(
                            "carol",
                            at(15, 14),
                            expires=dt.date(2028, 2, 29),
                            reason="contractor, project Falcon",
                        ),
                        DeclaredUser("1234", at(18, 15)),
                    ),
                    teams=(
                        DeclaredTeam("engineering", at(12, 11)),
                        DeclaredTeam("Data_Science", at(12, 24)),
                    ),
                    keep=(DeclaredUser("breakglass-admin", at(19, 10)),),
                    source=at(10, 1),
                ),
                content_exclusion=(
                    ExclusionRule("*", ("**/.env",), at(21, 3)),
                    ExclusionRule(
                        "octo-repo", ("/src/some-dir/kernel.rs", "/secrets/**"), at(22, 3)
                    ),
                    ExclusionRule("https://github.com/octo-org/*-infra.git", ("*.tf",), at(23, 3)),
                ),
                safety=SafetyPolicy(max_cancellations=25, source=at(25, 22)),
            )
        }
    )


def test_absent_sections_are_not_managed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = load(tmp_path, monkeypatch, {"org.yaml": "version: 1\norg: octo-org\n"}, "org.yaml")
    assert state.orgs == {"octo-org": OrgConfig("octo-org", (Source("org.yaml", 2, 6),))}


def test_empty_sections_are_managed_and_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "version: 1\norg: octo-org\nsettings: {}\nseats: {}\ncontent_exclusion: {}\nsafety: {}\n"
    state = load(tmp_path, monkeypatch, {"org.yaml": text}, "org.yaml")
    assert state.org("OCTO-ORG") == OrgConfig(
        "octo-org",
        (Source("org.yaml", 2, 6),),
        settings=(),
        seats=SeatPolicy("exact", (), (), (), Source("org.yaml", 4, 1)),
        content_exclusion=(),
        safety=SafetyPolicy(source=Source("org.yaml", 6, 1)),
    )


@pytest.mark.parametrize(
    ("value", "policy"),
    [
        ("0", SafetyPolicy(max_cancellations=0)),
        ('"10%"', SafetyPolicy(max_cancellations_percent=10.0)),
        ('"2.5%"', SafetyPolicy(max_cancellations_percent=2.5)),
        ('"100%"', SafetyPolicy(max_cancellations_percent=100.0)),
    ],
)
def test_max_cancellations_is_a_count_or_a_percentage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, policy: SafetyPolicy
) -> None:
    text = f"version: 1\norg: octo-org\nsafety:\n  max_cancellations: {value}\n"
    org = load(tmp_path, monkeypatch, {"org.yaml": text}, "org.yaml").org("octo-org")
    assert org is not None
    assert org.safety == SafetyPolicy(
        policy.max_cancellations, policy.max_cancellations_percent, Source("org.yaml", 4, 22)
    )


# --------------------------------------------------------------------------- merging

DEPARTMENT_A = """\
version: 1
org: acme-corp
settings:
  ide_chat: enabled
seats:
  teams: [platform]
  users: [ana]
  keep: [root]
content_exclusion:
  "*": ["**/.env"]
safety:
  max_cancellations: "10%"
"""
DEPARTMENT_B = """\
version: 1
org: ACME-CORP
settings:
  ide_chat: enabled
  cli: disabled
seats:
  mode: additive
  teams: [mobile]
  users:
    - login: ben
      expires: 2027-01-31
content_exclusion:
  app: [/keys/**]
safety:
  max_cancellations: "10%"
"""


def test_files_of_one_org_merge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = load(
        tmp_path, monkeypatch, {"cfg/a.yaml": DEPARTMENT_A, "cfg/sub/b.yaml": DEPARTMENT_B}, "cfg"
    )

    def a(line: int, column: int) -> Source:
        return Source("cfg/a.yaml", line, column)

    def b(line: int, column: int) -> Source:
        return Source("cfg/sub/b.yaml", line, column)

    assert state == DesiredState(
        orgs={
            "acme-corp": OrgConfig(
                org="acme-corp",
                sources=(a(2, 6), b(2, 6)),
                # The same value twice is no conflict; the first place is kept.
                settings=(
                    SettingAssertion("ide_chat", "enabled", a(4, 13)),
                    SettingAssertion("cli", "disabled", b(5, 8)),
                ),
                # a.yaml states no mode, so b.yaml's explicit mode applies to the whole org.
                seats=SeatPolicy(
                    mode="additive",
                    users=(
                        DeclaredUser("ana", a(7, 11)),
                        DeclaredUser("ben", b(10, 14), expires=dt.date(2027, 1, 31)),
                    ),
                    teams=(DeclaredTeam("platform", a(6, 11)), DeclaredTeam("mobile", b(8, 11))),
                    keep=(DeclaredUser("root", a(8, 10)),),
                    source=a(5, 1),
                ),
                content_exclusion=(
                    ExclusionRule("*", ("**/.env",), a(10, 3)),
                    ExclusionRule("app", ("/keys/**",), b(13, 3)),
                ),
                safety=SafetyPolicy(max_cancellations_percent=10.0, source=a(12, 22)),
            )
        }
    )


def test_without_any_stated_mode_seats_are_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "a.yaml": "version: 1\norg: o\nseats:\n  users: [x]\n",
        "b.yaml": "version: 1\norg: o\nseats:\n  users: [y]\n",
    }
    org = load(tmp_path, monkeypatch, files, ".").org("o")
    assert org is not None
    assert org.seats is not None
    assert (org.seats.mode, [u.login for u in org.seats.users]) == ("exact", ["x", "y"])


def test_two_orgs_stay_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "one.yaml": "version: 1\norg: one\nseats:\n  users: [alice]\n",
        "two.yaml": "version: 1\norg: two\nseats:\n  users: [alice]\n",
    }
    state = load(tmp_path, monkeypatch, files, ".")
    assert {name: org.org for name, org in state.orgs.items()} == {"one": "one", "two": "two"}


def test_a_file_named_twice_is_loaded_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"cfg/org.yaml": "version: 1\norg: o\nseats:\n  users: [alice]\n"}
    state = load(tmp_path, monkeypatch, files, "cfg", "cfg/org.yaml", "./cfg/org.yaml")
    assert state.orgs["o"].sources == (Source("cfg/org.yaml", 2, 6),)


def test_a_conflict_names_both_places_and_sits_at_the_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "a.yaml": "version: 1\norg: o\nsettings:\n  cli: enabled\n",
        "b.yaml": "version: 1\norg: o\nsettings:\n  cli: disabled\n",
    }
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, monkeypatch, files, "b.yaml", "a.yaml")
    # Load order, not file name, decides which place is the later one.
    assert [str(p) for p in caught.value.problems] == [
        "a.yaml:4:8: settings.cli: 'enabled' disagrees with 'disabled' at b.yaml:4:8"
        " (assert each setting once, or make the files agree)"
    ]


def test_managed_user_logins_with_a_shortcode_are_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Enterprise Managed Users are named handle_shortcode; Copilot Business often has them.
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {"emu.yaml": "version: 1\norg: octo-org\nseats:\n  users: [alice_acme, bob-smith_acme]\n"},
    )
    desired = load_desired_state(["emu.yaml"])
    org = desired.org("octo-org")
    assert org is not None
    assert org.seats is not None
    assert [u.login for u in org.seats.users] == ["alice_acme", "bob-smith_acme"]


def test_exempt_lists_merge_across_files_and_may_name_declared_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "a.yaml": "version: 1\norg: o\nseats:\n  users: [ana, ben]\n  exempt: [ana]\n",
        "b.yaml": "version: 1\norg: o\nseats:\n  exempt: [Ben, root]\n",
    }
    org = load(tmp_path, monkeypatch, files, ".").org("o")
    assert org is not None
    assert org.seats is not None
    assert org.seats.exempt == (
        DeclaredUser("ana", Source("a.yaml", 5, 12)),
        DeclaredUser("Ben", Source("b.yaml", 4, 12)),
        DeclaredUser("root", Source("b.yaml", 4, 17)),
    )
    assert [u.login for u in org.seats.users] == ["ana", "ben"]  # exempt grants nothing


def test_a_login_exempted_twice_is_an_error(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "a.yaml": "version: 1\norg: o\nseats:\n  exempt: [ana]\n",
            "b.yaml": "version: 1\norg: o\nseats:\n  exempt: [bad name, ANA]\n",
        },
    )
    outcome = run_validate(str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"))
    assert outcome.exit_code == 1
    problems = "\n".join(outcome.problems)
    assert "seats.exempt[1]: login 'ANA' is declared twice" in problems
    assert "seats.exempt[0]" in problems  # the schema rejects the malformed login
