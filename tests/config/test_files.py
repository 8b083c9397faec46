"""Which files a list of paths means, in which order, and how problems name them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reconciler.config.scan import expand_paths
from tests.config.conftest import Outcome, write_files

HEAD = "version: 1\norg: octo-org\n"


def test_directories_expand_recursively_sorted_skipping_hidden_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "cfg/b.yaml": HEAD,
            "cfg/a.yml": HEAD,
            "cfg/a/z.yaml": HEAD,
            "cfg/a/deeper/y.yaml": HEAD,
            "cfg/README.md": "not configuration",
            "cfg/notes.yaml.bak": HEAD,
            "cfg/.git/config.yaml": HEAD,
            "cfg/.hidden.yaml": HEAD,
        },
    )
    expansion = expand_paths(["cfg/"])
    assert (expansion.files, expansion.problems) == (
        ["cfg/a/deeper/y.yaml", "cfg/a/z.yaml", "cfg/a.yml", "cfg/b.yaml"],
        [],
    )


def test_the_current_directory_gives_bare_file_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"org.yaml": HEAD, "team/x.yaml": HEAD})
    assert expand_paths(["."]).files == ["org.yaml", "team/x.yaml"]


def test_paths_keep_their_order_and_a_file_is_listed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"z.yaml": HEAD, "cfg/a.yaml": HEAD})
    (tmp_path / "cfg" / "link.yaml").symlink_to(tmp_path / "cfg" / "a.yaml")
    expansion = expand_paths(["z.yaml", "cfg", "cfg/a.yaml"])
    assert (expansion.files, expansion.named, expansion.problems) == (
        ["z.yaml", "cfg/a.yaml"],
        {"z.yaml", "cfg/a.yaml"},
        [],
    )


def test_a_named_file_is_read_whatever_its_extension(
    validate_in: Callable[..., Outcome],
) -> None:
    outcome = validate_in({"org.conf": HEAD}, "org.conf")
    assert (outcome.exit_code, outcome.stdout, outcome.stderr) == (0, "valid: 1 organization\n", "")


def test_without_paths_validate_reads_the_current_directory(
    validate_in: Callable[..., Outcome],
) -> None:
    files = {"a.yaml": HEAD, "b/c.yaml": "version: 1\norg: other\n"}
    outcome = validate_in(files)
    assert (outcome.exit_code, outcome.stdout) == (0, "valid: 2 organizations\n")


WORLD = "now: '2026-11-24T12:00:00Z'\norgs:\n  octo-org: {members: [alice]}\n"


def test_a_simulator_world_found_in_a_directory_is_skipped(
    validate_in: Callable[..., Outcome],
) -> None:
    outcome = validate_in({"cfg/org.yaml": HEAD, "cfg/worlds/octo.yaml": WORLD}, "cfg")
    assert (outcome.exit_code, outcome.stdout) == (0, "valid: 1 organization\n")


WORKFLOW = (
    "name: nightly\non:\n  schedule: [{cron: '0 4 * * *'}]\njobs:\n  x: {runs-on: ubuntu-latest}\n"
)


def test_a_workflow_found_in_a_directory_is_skipped_but_a_lookalike_is_not(
    validate_in: Callable[..., Outcome],
) -> None:
    files = {"cfg/org.yaml": HEAD, "cfg/workflows/nightly.yml": WORKFLOW}
    outcome = validate_in(files, "cfg")
    assert (outcome.exit_code, outcome.stdout) == (0, "valid: 1 organization\n")
    # A configuration that strays into `on:`/`jobs:` keys is still a configuration.
    files["cfg/workflows/nightly.yml"] = "version: 1\norg: o\non: x\njobs: y\n"
    outcome = validate_in(files, "cfg")
    assert outcome.exit_code == 1
    assert "cfg/workflows/nightly.yml:3:1: unknown key 'on'" in outcome.stderr


def test_a_simulator_world_named_directly_is_judged_and_named_for_what_it_is(
    validate_in: Callable[..., Outcome],
) -> None:
    outcome = validate_in({"world.yaml": WORLD}, "world.yaml")
    assert (outcome.exit_code, outcome.problems) == (
        1,
        [
            "world.yaml:1:1: is a simulator world file, not a desired-state file"
            " (name the configuration's files or folders)"
        ],
    )


def test_yaml_that_only_resembles_a_world_is_still_checked(
    validate_in: Callable[..., Outcome],
) -> None:
    outcome = validate_in({"cfg/org.yaml": "version: 1\norgs: octo-org\n"}, "cfg")
    assert outcome.problems == [
        "cfg/org.yaml:1:1: missing required key 'org' (add `org: NAME` with the organization's"
        " login)",
        "cfg/org.yaml:2:1: unknown key 'orgs' (did you mean 'org'? allowed: version, org,"
        " settings, seats, content_exclusion, safety)",
    ]
