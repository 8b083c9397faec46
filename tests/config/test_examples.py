"""Every example validates, and examples/README.md lists exactly what each one declares."""

from __future__ import annotations

import re

import pytest

from reconciler.config import load_desired_state
from reconciler.model import OrgConfig
from tests.config.conftest import EXAMPLES, run_validate

CONFIGURATIONS = {"small-org": "octo-org", "large-org": "acme-corp", "governed-org": "octo-secure"}


@pytest.mark.parametrize("example", sorted(CONFIGURATIONS))
def test_each_example_validates(example: str) -> None:
    outcome = run_validate(str(EXAMPLES / example))
    assert (outcome.exit_code, outcome.stdout, outcome.stderr) == (
        0,
        "valid: 1 organization\n",
        "",
    )


def test_the_examples_folder_validates_as_a_whole() -> None:
    outcome = run_validate(str(EXAMPLES))
    assert (outcome.exit_code, outcome.stdout, outcome.stderr) == (
        0,
        "valid: 3 organizations\n",
        "",
    )


def declared(org: OrgConfig) -> dict[str, list[str]]:
    assert org.seats is not None
    return {
        "teams": sorted(t.slug for t in org.seats.teams),
        "users": sorted(
            u.login + (f" (expires {u.expires})" if u.expires else "") for u in org.seats.users
        ),
        "keep": sorted(u.login for u in org.seats.keep),
    }


def listed(section: str) -> dict[str, list[str]]:
    """The teams, users and keep bullets of one README section, as the README states them."""
    bullets = re.split(r"\n- ", section)
    out: dict[str, list[str]] = {}
    for bullet in bullets:
        label = bullet.split(":", 1)[0].split(",")[0].strip()
        if label in ("teams", "users", "keep"):
            text = re.sub(r"`[\w-]+\.yaml`", "", bullet)  # per-file sub-bullets name files
            names = re.findall(r"`([\w-]+)`( \(expires \d{4}-\d\d-\d\d\))?", text)
            out[label] = sorted(name + expires for name, expires in names)
    return out


@pytest.mark.parametrize(("example", "org_name"), sorted(CONFIGURATIONS.items()))
def test_the_readme_lists_what_each_example_declares(example: str, org_name: str) -> None:
    readme = (EXAMPLES / "README.md").read_text()
    heading = f"### `{example}/` — org `{org_name}`"
    section = readme.split(heading, 1)[1].split("\n### ", 1)[0]
    org = load_desired_state([str(EXAMPLES / example)]).org(org_name)
    assert org is not None
    assert listed(section) == declared(org)


def test_the_readme_says_what_every_example_shows() -> None:
    readme = (EXAMPLES / "README.md").read_text()
    rows = re.findall(r"^\| `([\w-]+)/` \| (.+) \|$", readme, flags=re.MULTILINE)
    assert [name for name, _ in rows] == list(CONFIGURATIONS)
