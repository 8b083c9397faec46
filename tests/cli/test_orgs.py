"""`orgs`: what a configuration manages per organization, as lines or as the JSON a CI matrix
is built from (`fromJSON(steps.orgs.outputs.json)`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reconciler.cli import cli

ACME = """\
version: 1
org: Acme-Corp
seats:
  mode: additive
  users: [alice, {login: bob, expires: 2027-01-31}]
  teams: [eng]
"""
ACME_MORE = """\
version: 1
org: acme-corp
seats:
  keep: [root]
content_exclusion:
  "*": ["**/.env"]
  vault: ["/**"]
"""
OCTO = """\
version: 1
org: octo-org
settings:
  ide_chat: enabled
  cli: disabled
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "cfg"
    (folder / "acme").mkdir(parents=True)
    (folder / "acme" / "seats.yaml").write_text(ACME)
    (folder / "acme" / "exclusion.yaml").write_text(ACME_MORE)
    (folder / "octo.yaml").write_text(OCTO)
    return folder


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_json_has_one_row_per_org_with_its_files_and_managed_sections(config: Path) -> None:
    result = run("orgs", "cfg", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "org": "acme-corp",  # the spelling of the first file read
            "files": ["cfg/acme/exclusion.yaml", "cfg/acme/seats.yaml"],
            "seats": "additive",
            "content_exclusion": True,
            "settings": False,
            "description": "seats additive (2 user(s), 1 team(s), 1 kept); "
            "content exclusion (2 repository key(s))",
        },
        {
            "org": "octo-org",
            "files": ["cfg/octo.yaml"],
            "seats": None,
            "content_exclusion": False,
            "settings": True,
            "description": "settings (2 asserted)",
        },
    ]


def test_text_is_one_line_per_org(config: Path) -> None:
    result = run("orgs", "cfg")
    assert (result.exit_code, result.stdout.splitlines()) == (
        0,
        [
            "acme-corp: seats additive (2 user(s), 1 team(s), 1 kept); "
            "content exclusion (2 repository key(s))",
            "octo-org: settings (2 asserted)",
        ],
    )


def test_an_org_that_manages_nothing_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bare.yaml").write_text("version: 1\norg: bare-org\n")
    result = run("orgs", "bare.yaml", "--json")
    assert json.loads(result.stdout)[0]["description"] == "nothing managed"


def test_an_invalid_configuration_prints_its_problems_and_no_rows(config: Path) -> None:
    (config / "octo.yaml").write_text(OCTO + "seats:\n  mode: sometimes\n")
    result = run("orgs", "cfg", "--json")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "cfg/octo.yaml:7:9: seats.mode: 'sometimes' is not allowed (allowed: exact, additive)"
    ]
