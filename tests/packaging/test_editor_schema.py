"""Editors find the schema: every example configuration names it on its first line, by the
schema's own `$id`, and that `$id` is where the file is published (raw on the default
branch of the repository that pyproject names)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = sorted(
    path
    for folder in ("small-org", "large-org", "governed-org")
    for path in (ROOT / "examples" / folder).rglob("*.yaml")
)


def _schema_id(name: str) -> str:
    schema_id: str = json.loads((ROOT / "schemas" / name).read_text())["$id"]
    return schema_id


@pytest.mark.parametrize("name", ["desired-state.schema.json", "plan.schema.json"])
def test_each_schema_id_is_the_raw_url_of_its_own_file(name: str) -> None:
    home = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Homepage"]
    repository = home.removeprefix("https://github.com/")
    raw = f"https://raw.githubusercontent.com/{repository}/main/"
    schema_id = _schema_id(name)
    assert schema_id.startswith(raw)
    assert (ROOT / schema_id.removeprefix(raw)) == ROOT / "schemas" / name


@pytest.mark.parametrize("config", CONFIGS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_each_example_names_the_schema_for_the_yaml_language_server(config: Path) -> None:
    first = config.read_text().splitlines()[0]
    assert first == f"# yaml-language-server: $schema={_schema_id('desired-state.schema.json')}"


def test_every_example_configuration_is_covered() -> None:
    assert len(CONFIGS) == 7
