"""`report` end to end: the simulator in process, every format, the JSON schema."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from reconciler.cli import cli

from .conftest import world

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "report.schema.json").read_text("utf-8")
)


@pytest.fixture
def world_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "world.yaml"
    path.write_text(yaml.safe_dump(world()), encoding="utf-8")
    return path


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def test_json_report_matches_its_schema_and_the_seats(world_file: Path) -> None:
    result = run("report", "--org", "octo-org", "--simulate", str(world_file), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    seats = document["targets"][0]["seats"]
    # erin 0 and octo-admin 1 day, alice 4, bob 54, carol 146 days; dave and frank none.
    assert seats["buckets"] == {"7d": 3, "30d": 0, "90d": 1, "over_90d": 1, "none": 3}
    assert (seats["active_7d"], seats["active_30d"], seats["active_90d"]) == (3, 3, 4)
    assert seats["pending_cancellation"] == 1
    # Idle 30+ days, pending gus aside: bob, carol, dave, frank (frank: no activity on record).
    assert seats["idle_seats"] == 4
    assert seats["idle_monthly_cost_usd"] == 76.0
    assert {t["name"]: t["seats"] for t in seats["by_team"]} == {
        "engineering": 5,
        "(direct)": 2,
        "design": 1,
    }
    editors = {e["name"]: e["seats"] for e in seats["by_editor"]}
    assert editors == {"(none)": 4, "vscode": 2, "JetBrains-IU": 1, "neovim": 1}


def test_seat_price_and_idle_days_change_the_idle_cost(world_file: Path) -> None:
    args = ["report", "--org", "octo-org", "--simulate", str(world_file), "--format", "json"]
    result = run(*args, "--seat-price", "business=10", "--idle-days", "100")
    seats = json.loads(result.stdout)["targets"][0]["seats"]
    assert (seats["idle_seats"], seats["idle_monthly_cost_usd"]) == (3, 30.0)  # carol, dave, frank


def test_usage_and_legacy_metrics_in_the_json_report(world_file: Path) -> None:
    args = ["report", "--org", "octo-org", "--simulate", str(world_file), "--format", "json"]
    document = json.loads(run(*args, "--day", "2026-11-24").stdout)
    latest, daily = document["targets"][0]["usage"]
    assert latest["label"] == "latest 28-day report"
    assert len(latest["totals"]["days"]) == 28
    assert latest["users"]["active_users"] <= 8
    assert latest["users"]["by_language"]
    assert daily["users"] == {
        "available": False,
        "what": "user-level 1-day report of 2026-11-24 for octo-org",
        "reason": daily["users"]["reason"],
    }
    assert daily["users"]["reason"].startswith("not published yet (204)")
    (legacy,) = document["targets"][0]["legacy_metrics"]
    assert legacy["available"] is False
    assert "2026-04-02" in legacy["reason"]


def test_enterprise_report_has_usage_and_says_where_seats_are(world_file: Path) -> None:
    result = run(
        "report", "--enterprise", "octo-ent", "--simulate", str(world_file), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    (target,) = json.loads(result.stdout)["targets"]
    assert (target["scope"], target["name"]) == ("enterprise", "octo-ent")
    assert target["seats"]["available"] is False
    assert "--org" in target["seats"]["reason"]
    assert target["usage"][0]["totals"]["seats_total"] == 8


def test_csv_is_the_per_seat_table(world_file: Path) -> None:
    result = run("report", "--org", "octo-org", "--simulate", str(world_file), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "org",
        "login",
        "team",
        "editor",
        "last_activity_at",
        "days_idle",
        "pending_cancellation_date",
    ]
    by_login = {row["login"]: row for row in rows}
    assert len(by_login) == 8
    assert by_login["bob"]["days_idle"] == "54"
    assert by_login["bob"]["team"] == "engineering"
    assert by_login["dave"]["last_activity_at"] == ""
    assert by_login["dave"]["days_idle"] == ""
    assert by_login["gus"]["pending_cancellation_date"] == "2026-12-01"


def test_html_is_one_offline_file_with_charts(world_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run(
        "report", "--org", "octo-org", "--simulate", str(world_file), "--format", "html",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert page.count("<svg") >= 3
    for title in ("Seats by last activity", "Daily active users", "Accepted suggestions by"):
        assert title in page
    # Nothing to fetch: no script, no external stylesheet, image or font.
    assert "<script" not in page
    assert not re.search(r"""(src|href)=|@import|url\(""", page)
    assert "$76.00" in page  # the cost of idle seats


def test_text_and_markdown_say_the_caveats(world_file: Path) -> None:
    for fmt in ("text", "markdown"):
        result = run("report", "--org", "octo-org", "--simulate", str(world_file), "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "never used" in result.stdout
        assert "lags by up to a day" in result.stdout


def test_report_of_a_configuration_reports_its_orgs(world_file: Path, tmp_path: Path) -> None:
    config = tmp_path / "org.yaml"
    config.write_text("version: 1\norg: OCTO-ORG\nseats:\n  users: [alice]\n", encoding="utf-8")
    result = run("report", str(config), "--simulate", str(world_file), "--format", "json")
    assert result.exit_code == 0, result.output
    assert [t["name"] for t in json.loads(result.stdout)["targets"]] == ["OCTO-ORG"]


def test_a_bad_day_is_a_usage_error_exit_1(world_file: Path) -> None:
    result = run("report", "--org", "octo-org", "--simulate", str(world_file), "--day", "soon")
    assert result.exit_code == 1
    assert "not a date" in result.output


def test_legacy_metrics_are_used_while_github_answers_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    data = world()
    data["now"] = "2026-03-20T12:00:00Z"  # before GitHub closed them on 2026-04-02
    for seat in data["orgs"]["octo-org"]["seats"].values():
        seat.pop("last_activity_at", None)
    path = tmp_path / "world.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = run("report", "--org", "octo-org", "--simulate", str(path), "--format", "json")
    legacy = json.loads(result.stdout)["targets"][0]["legacy_metrics"]
    org, engineering, design = legacy
    assert org["available"] is True
    assert (org["first"], org["last"], org["days"]) == ("2026-02-20", "2026-03-19", 28)
    assert org["suggestions"] > org["acceptances"] > 0
    assert engineering["what"] == "legacy metrics of team engineering in octo-org"
    assert engineering["days"] == 28
    # design shows one seat: not asked for, and the five-member rule is the reason.
    assert design["available"] is False
    assert "at least 5 seat holders" in design["reason"]
