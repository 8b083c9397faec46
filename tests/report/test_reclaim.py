"""`reclaim --write`: only the idle users' lines change, every comment stays, and the next
plan cancels exactly those seats."""

from __future__ import annotations

import difflib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reconciler.cli import cli

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "reclaim"


@pytest.fixture(autouse=True)
def _no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_APP_ID"):
        monkeypatch.delenv(name, raising=False)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def diff(before: str, after: str, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            f"a/{name}",
            f"b/{name}",
        )
    )


def test_write_matches_the_golden_diff_and_keeps_every_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Kept as *.yaml.in so that `validate` at the project root does not read them.
    for name in ("eng.yaml", "world.yaml"):
        shutil.copy(GOLDEN / f"{name}.in", tmp_path / name)
    monkeypatch.chdir(tmp_path)
    before = Path("eng.yaml").read_text("utf-8")
    result = run("reclaim", "eng.yaml", "--idle-days", "30", "--simulate", "world.yaml", "--write")
    assert result.exit_code == 0, result.output
    after = Path("eng.yaml").read_text("utf-8")
    got = diff(before, after, "eng.yaml")
    golden = GOLDEN / "eng.yaml.diff"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text("utf-8")
    # The only lines gone are the entries of bob, carol and dave; every comment line stays.
    gone = [line for line in before.splitlines() if line not in after.splitlines()]
    assert gone == [
        "    - bob   # idle since October: a reclaim candidate",
        "    - login: carol      # idle since July",
        "      reason: contractor, payments   # no expiry: reclaim may propose her",
        "    - dave",
    ]
    assert [line for line in before.splitlines() if line not in gone] == after.splitlines()
    assert [c for c in before.splitlines() if c.strip().startswith("#")] == [
        c for c in after.splitlines() if c.strip().startswith("#")
    ]
    assert "wrote eng.yaml: removed bob, carol, dave" in result.stderr


def test_the_large_example_loses_only_its_idle_users_and_plan_cancels_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "examples" / "large-org", tmp_path / "large-org")
    shutil.copy(ROOT / "examples" / "worlds" / "acme-corp.yaml", tmp_path / "world.yaml")
    monkeypatch.chdir(tmp_path)
    originals = {p: p.read_text("utf-8") for p in Path("large-org").rglob("*.yaml")}
    result = run("reclaim", "large-org", "--idle-days", "30", "--simulate", "world.yaml", "--write")
    assert result.exit_code == 0, result.output
    changed = {
        str(path): [line for line in diff(text, path.read_text("utf-8"), "f").splitlines()
                    if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        for path, text in originals.items()
        if path.read_text("utf-8") != text
    }  # fmt: skip
    assert changed == {
        "large-org/departments/data-science.yaml": ["-    - nikhil-rao"],
        "large-org/departments/mobile.yaml": ["-    - sam-obrien"],
    }
    plan = run("plan", "large-org", "--simulate", "world.yaml", "--format", "json")
    cancelled = {
        user
        for change in json.loads(plan.stdout)["changes"]
        if change["action"] == "remove_users"
        for user in change["users"]
    }
    assert {"nikhil-rao", "sam-obrien"} <= cancelled


WORLD = """\
now: "2026-11-24T12:00:00Z"
tokens:
  demo-token: {login: octo-admin, scopes: [manage_billing:copilot, read:org]}
orgs:
  octo-org:
    owners: [octo-admin]
    settings: {plan_type: business, seat_management_setting: assign_selected}
    members: [octo-admin, ana, ben, cid]
    selected_users: [ana, ben, cid]
    seats:
      ana: {created_at: "2026-11-14T00:00:00Z"}
      ben: {created_at: "2025-01-01T00:00:00Z", last_activity_at: "2026-10-24T00:00:00Z"}
      cid: {created_at: "2025-01-01T00:00:00Z", last_activity_at: "2026-10-25T00:00:00Z"}
"""


def reclaim_in(tmp_path: Path, config: str, *extra: str) -> tuple[Result, str]:
    (tmp_path / "world.yaml").write_text(WORLD, encoding="utf-8")
    (tmp_path / "org.yaml").write_text(config, encoding="utf-8")
    result = run(
        "reclaim", str(tmp_path / "org.yaml"), "--idle-days", "31",
        "--simulate", str(tmp_path / "world.yaml"), *extra,
    )  # fmt: skip
    return result, (tmp_path / "org.yaml").read_text("utf-8")


def test_idle_means_n_days_and_a_new_seat_without_activity_is_not_idle(tmp_path: Path) -> None:
    config = "version: 1\norg: octo-org\nseats:\n  users: [ana, ben, cid]  # all three\n"
    result, after = reclaim_in(tmp_path, config, "--write")
    # ben: 31 days idle; cid: 30; ana: no activity, but her seat is 10 days old.
    assert "remove      octo-org/ben (31 days idle)" in result.stdout
    assert "cid" not in result.stdout
    assert "ana" not in result.stdout
    assert after == "version: 1\norg: octo-org\nseats:\n  users: [ana, cid]  # all three\n"


def test_additive_mode_is_reported_not_edited(tmp_path: Path) -> None:
    config = "version: 1\norg: octo-org\nseats:\n  mode: additive\n  users:\n    - ben\n"
    result, after = reclaim_in(tmp_path, config, "--write")
    assert "report only octo-org/ben" in result.stdout
    assert "additive: removing the entry would not cancel the seat" in result.stdout
    assert after == config


def test_without_write_nothing_changes(tmp_path: Path) -> None:
    config = "version: 1\norg: octo-org\nseats:\n  users:\n    - ben\n"
    result, after = reclaim_in(tmp_path, config)
    assert "remove      octo-org/ben" in result.stdout
    assert "saving $19.00 a month" in result.stdout
    assert after == config


def test_one_file_it_cannot_edit_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "world.yaml").write_text(WORLD, encoding="utf-8")
    good = "version: 1\norg: octo-org\nseats:\n  users:\n    - ben\n"
    bad = "version: 1\norg: octo-org\nseats:\n  users: ['cid']\n"
    (tmp_path / "a.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(bad, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["reclaim", str(tmp_path), "--idle-days", "30",
         "--simulate", str(tmp_path / "world.yaml"), "--write"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "b.yaml:4: seats.users has quoted entries; write it as a block list" in result.output
    assert (tmp_path / "a.yaml").read_text("utf-8") == good
    assert (tmp_path / "b.yaml").read_text("utf-8") == bad
