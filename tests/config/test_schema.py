"""The JSON Schema: valid draft 2020-12, findable at run time, and in step with the code."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from reconciler.config import names
from reconciler.config.schema_check import DESIRED_STATE_SCHEMA
from reconciler.model import SETTING_NAMES
from reconciler.schemas import load_schema, schema_path
from tests.config.conftest import EXAMPLES, REPO


def schema() -> dict[str, Any]:
    return load_schema(DESIRED_STATE_SCHEMA)


def test_the_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schemas_are_found_in_the_checkout_and_read_once() -> None:
    assert schema_path(DESIRED_STATE_SCHEMA) == REPO / "schemas" / DESIRED_STATE_SCHEMA
    assert load_schema(DESIRED_STATE_SCHEMA) is load_schema(DESIRED_STATE_SCHEMA)


def test_yaml_schemas_are_parsed_as_yaml() -> None:
    name = "github-copilot-api.openapi.yaml"
    assert load_schema(name) == yaml.safe_load((REPO / "schemas" / name).read_text())


def test_a_missing_schema_names_where_it_was_looked_for() -> None:
    with pytest.raises(FileNotFoundError, match=r"^schema 'nope.json' not found \(looked in "):
        schema_path("nope.json")


def test_the_name_rules_of_the_code_are_the_schema_s() -> None:
    defs = schema()["$defs"]
    assert {
        "login": defs["login"]["pattern"],
        "orgName": defs["orgName"]["pattern"],
        "teamSlug": defs["teamSlug"]["pattern"],
        "date": defs["date"]["pattern"],
        "percentage": defs["percentage"]["pattern"],
    } == {
        "login": names.LOGIN.pattern,
        "orgName": names.ORG_NAME.pattern,
        "teamSlug": names.TEAM_SLUG.pattern,
        "date": names.DATE.pattern,
        "percentage": names.PERCENTAGE.pattern,
    }


def test_the_settings_are_the_model_s() -> None:
    assert tuple(schema()["properties"]["settings"]["properties"]) == SETTING_NAMES


def test_every_object_forbids_unknown_keys() -> None:
    def objects(node: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        if isinstance(node, dict):
            if node.get("type") == "object":
                found.append(node)
            for value in node.values():
                found += objects(value)
        elif isinstance(node, list):
            for value in node:
                found += objects(value)
        return found

    # content_exclusion is a map: its additionalProperties is the schema of its values.
    assert [o.get("additionalProperties") is False for o in objects(schema())] == [
        True,  # the document
        True,  # settings
        True,  # seats
        False,  # content_exclusion
        True,  # safety
        True,  # a time-boxed seat user
    ]


def test_the_published_schema_accepts_every_example_as_is() -> None:
    validator = Draft202012Validator(schema())
    for path in sorted(EXAMPLES.glob("*/**/*.yaml")):
        if "worlds" in path.parts:
            continue
        # safe_load makes dates of the expiry dates; the loader keeps them as text.
        document = yaml.safe_load(path.read_text())
        for user in document.get("seats", {}).get("users", []):
            if isinstance(user, dict) and "expires" in user:
                user["expires"] = user["expires"].isoformat()
        assert [e.message for e in validator.iter_errors(document)] == [], path


def test_repository_keys() -> None:
    pattern = re.compile(schema()["$defs"]["repositoryKey"]["pattern"])
    good = [
        "*",
        "octo-repo",
        "repo.js",
        "_private",
        "https://github.com/octo-org/*",
        "git@github.com:octo-org/infra-*.git",
        "ssh://git@example.com/x/y",
    ]
    bad = ["", "two words", "..", "a/b", "octo*", "https://github.com/a b"]
    assert [k for k in good if not pattern.search(k)] == []
    assert [k for k in bad if pattern.search(k)] == []


def test_path_patterns_take_fnmatch_syntax_but_no_control_characters() -> None:
    validator = Draft202012Validator(schema()["$defs"]["pathPattern"])
    good = ["/src/**", "**/*.{js,ts}", "secret?.txt", "[abc]/x", " spaced name "]
    bad = ["", "a\x00b", "tab\there", "new\nline", "del\x7f"]
    assert [p for p in good if not validator.is_valid(p)] == []
    assert [p for p in bad if validator.is_valid(p)] == []
