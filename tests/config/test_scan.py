"""Folder scans: what a scan skips and says under -v, where links may lead, the limits of one
run, and that a scan which finds no organization fails instead of passing."""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reconciler.config import scan
from tests.config.conftest import REPO, Outcome, run_validate

HEAD = "version: 1\norg: octo-org\n"
WORLD = "now: '2026-11-24T12:00:00Z'\norgs:\n  octo-org: {members: [alice]}\n"
WORKFLOW = "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
COMPOSE = "version: '3.8'\nservices:\n  web: {image: nginx}\n"


def test_a_repository_root_validates_without_paths_skipping_what_is_not_configuration(
    validate_in: Callable[..., Outcome],
) -> None:
    # The layout of this project: an OpenAPI document in schemas/, workflows, example worlds.
    files = {
        "org.yaml": HEAD,
        "schemas/github-copilot-api.openapi.yaml": (
            REPO / "schemas/github-copilot-api.openapi.yaml"
        ).read_text(),
        ".github/workflows/ci.yml": WORKFLOW,
        "examples/worlds/octo.yaml": WORLD,
        "ci/release.yml": WORKFLOW,
        "deploy/docker-compose.yml": COMPOSE,
    }
    quiet = validate_in(files)
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "valid: 1 organization\n", "")
    verbose = run_validate("-v")
    assert (verbose.exit_code, verbose.problems) == (
        0,
        [
            "skipped ci/release.yml: a GitHub Actions workflow, not a desired-state file",
            "skipped deploy/docker-compose.yml: a YAML document without any desired-state key,"
            " not a desired-state file",
            "skipped examples/worlds/octo.yaml: a simulator world file, not a desired-state file",
            "skipped schemas/github-copilot-api.openapi.yaml: an OpenAPI document,"
            " not a desired-state file",
        ],
    )


def test_a_file_named_directly_is_judged_even_when_a_scan_would_skip_it(
    validate_in: Callable[..., Outcome],
) -> None:
    outcome = validate_in(
        {"api.yaml": "openapi: 3.0.3\ninfo: {title: x}\n", "compose.yml": COMPOSE},
        "api.yaml",
        "compose.yml",
    )
    assert outcome.exit_code == 1
    assert outcome.problems[0] == (
        "api.yaml:1:1: is an OpenAPI document, not a desired-state file"
        " (name the configuration's files or folders)"
    )
    # Not recognised, only unrelated: checked like any configuration.
    assert "compose.yml:1:1: missing required key 'org'" in outcome.stderr


@pytest.mark.parametrize(
    "text",
    [
        "Org: octo-org\nseats: {users: [alice]}\n",  # the case of a key
        "vesion: 1\norgs: octo-org\n",  # misspelt keys, one close to a world file's
        "version: 1\n",  # the format's own version and nothing else
        "- alice\n- bob\n",  # not a mapping at all
        "{}\n",  # an empty mapping: a file being written
    ],
)
def test_a_broken_configuration_in_a_folder_is_never_skipped(
    validate_in: Callable[..., Outcome], text: str
) -> None:
    outcome = validate_in({"cfg/org.yaml": HEAD, "cfg/team.yaml": text}, "cfg")
    assert outcome.exit_code == 1
    assert all(line.startswith("cfg/team.yaml:") for line in outcome.problems), outcome.stderr


def test_a_folder_of_simulator_worlds_alone_is_an_error_naming_what_was_skipped(
    validate_in: Callable[..., Outcome],
) -> None:
    outcome = validate_in({"worlds/a.yaml": WORLD, "worlds/b.yml": WORLD}, "worlds")
    assert (outcome.exit_code, outcome.stdout, outcome.problems) == (
        1,
        "",
        [
            "worlds:1:1: no organization found in 2 YAML file(s): skipped worlds/a.yaml"
            " (a simulator world file), worlds/b.yml (a simulator world file) (name the files or"
            " folders that hold the configuration; -v says what was skipped)"
        ],
    )


def test_no_organization_is_reported_for_each_path_given(
    validate_in: Callable[..., Outcome],
) -> None:
    outcome = validate_in({"a/w.yaml": WORLD, "b/api.yml": "swagger: '2.0'\n"}, "a", "b")
    assert [line.split(" (name")[0] for line in outcome.problems] == [
        "a:1:1: no organization found in 1 YAML file(s): skipped a/w.yaml (a simulator world file)",
        "b:1:1: no organization found in 1 YAML file(s): skipped b/api.yml (an OpenAPI document)",
    ]


def test_package_folders_and_virtual_environments_are_not_entered(
    validate_in: Callable[..., Outcome],
) -> None:
    files = {
        "org.yaml": HEAD,
        "node_modules/pkg/broken.yaml": "version: [",
        "env/pyvenv.cfg": "home = /usr/bin\n",
        "env/lib/site-packages/pkg/broken.yaml": "version: [",
    }
    outcome = validate_in(files, ".", "-v")
    assert (outcome.exit_code, outcome.problems) == (
        0,
        [
            "skipped env/: a Python virtual environment, not configuration",
            "skipped node_modules/: installed Node packages, not configuration",
        ],
    )


def test_a_folder_that_holds_only_package_folders_says_what_it_skipped(
    validate_in: Callable[..., Outcome],
) -> None:
    outcome = validate_in({"cfg/node_modules/x.yaml": HEAD}, "cfg")
    assert outcome.problems == [
        "cfg:1:1: directory holds no *.yaml or *.yml files to read (skipped:"
        " cfg/node_modules/ (installed Node packages)) (add configuration files, or name the"
        " files to check)"
    ]


# ------------------------------------------------------------------------ symbolic links


def test_a_link_to_the_root_of_the_machine_is_not_followed(
    validate_in: Callable[..., Outcome], tmp_path: Path
) -> None:
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "everything").symlink_to("/")
    scanned: list[str] = []
    real_scandir = os.scandir

    def counting_scandir(path: str) -> object:
        scanned.append(path)
        return real_scandir(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scan.os, "scandir", counting_scandir)
        outcome = validate_in({"cfg/org.yaml": HEAD}, "cfg")
    assert outcome.problems == [
        "cfg/everything:1:1: is a symbolic link out of the folder being read (to /): not"
        " followed (name its target directly to read it, or remove the link)"
    ]
    assert scanned == ["cfg"]  # the work done: one folder listed, nothing below the link


def test_links_out_of_the_folder_are_refused_and_their_content_never_quoted(
    validate_in: Callable[..., Outcome], tmp_path: Path
) -> None:
    outside = tmp_path / "home" / ".config" / "gh"
    outside.mkdir(parents=True)
    (outside / "hosts.yml").write_text("github.com:\n  oauth_token: gho_SECRETVALUE\n")
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "gh").symlink_to(outside)
    (tmp_path / "cfg" / "hosts.yaml").symlink_to(outside / "hosts.yml")
    outcome = validate_in({"cfg/org.yaml": HEAD}, "cfg")
    assert "SECRETVALUE" not in outcome.stderr + outcome.stdout
    assert [line.split(" (to ")[0] for line in outcome.problems] == [
        "cfg/gh:1:1: is a symbolic link out of the folder being read",
        "cfg/hosts.yaml:1:1: is a symbolic link out of the folder being read",
    ]
    assert outcome.exit_code == 1


def test_links_that_stay_inside_the_folder_are_followed_and_loops_are_said_under_v(
    validate_in: Callable[..., Outcome], tmp_path: Path
) -> None:
    cfg = tmp_path / "cfg"
    (cfg / "teams").mkdir(parents=True)
    (cfg / "teams" / "eng.yaml").write_text("version: 1\norg: other-org\n")
    (cfg / "all-teams").symlink_to(cfg / "teams")  # inside: read (once)
    (cfg / "teams" / "up").symlink_to(cfg)  # back to the top: a loop
    outcome = validate_in({"cfg/org.yaml": HEAD}, "cfg", "-v")
    assert (outcome.exit_code, outcome.stdout) == (0, "valid: 2 organizations\n")
    assert outcome.problems == [
        "skipped cfg/all-teams/up: a symbolic link loop (it leads back up)",
        "skipped cfg/teams: already read (another link leads there)",
    ]


def test_a_named_link_loop_is_called_a_loop(
    validate_in: Callable[..., Outcome], tmp_path: Path
) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    assert validate_in({}, "a.yaml").problems == [
        "a.yaml:1:1: is a symbolic link loop (point it at a file or remove it)"
    ]


# ------------------------------------------------------------------------ limits of one run


def test_more_files_than_one_run_reads_is_one_error_and_nothing_is_read(
    validate_in: Callable[..., Outcome], tmp_path: Path
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(scan.MAX_FILES + 1):
        (folder / f"{index:05}.yaml").write_text("version: [")  # each would be a problem
    outcome = validate_in({}, "many")
    assert outcome.problems == [
        "many:1:1: more than 5,000 configuration files to read (the limit of one run)"
        " (name the folders or files that hold the configuration)"
    ]


def test_more_bytes_than_one_run_reads_is_an_error_at_the_file_that_passes_the_limit(
    validate_in: Callable[..., Outcome], tmp_path: Path
) -> None:
    # Seven files of 5 MiB each, every one under the per-file limit, 35 MiB together.
    for index in range(7):
        with (tmp_path / f"part{index}.yaml").open("wb") as stream:
            stream.truncate(5 * 1024 * 1024)  # sparse: never read
    outcome = validate_in({}, ".")
    assert outcome.problems == [
        "part6.yaml:1:1: the configuration is larger than the limit of 33,554,432 bytes"
        " (32 MiB) of one run: 36,700,160 bytes with this file (name fewer files, or check"
        " the organizations in separate runs)"
    ]


def test_a_scan_stops_after_looking_at_too_many_entries(
    validate_in: Callable[..., Outcome], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan, "MAX_ENTRIES", 50)
    for index in range(60):
        (tmp_path / "big" / f"{index:02}.txt").parent.mkdir(exist_ok=True)
        (tmp_path / "big" / f"{index:02}.txt").write_text("")
    assert validate_in({}, "big").problems == [
        "big:1:1: more than 50 directory entries to look at (the limit of one run's scan)"
        " (name the folders or files that hold the configuration)"
    ]


def test_the_limits_of_one_run_are_those_the_docs_state() -> None:
    docs = (REPO / "docs" / "configuration.md").read_text()
    assert f"{scan.MAX_FILES:,} files" in docs
    assert f"{scan.MAX_TOTAL_BYTES:,} bytes" in docs
    assert f"{scan.MAX_ENTRIES:,} directory entries" in docs


# ------------------------------------------------------------------------ unreadable paths


@contextmanager
def unprivileged() -> Iterator[None]:
    """Run the body as `nobody` when the tests run as root (root reads every file, and
    click's own readability check asks about the real user): real and effective ids are
    dropped, the saved ones stay root so that they can be restored."""
    if os.geteuid() != 0:
        yield
        return
    nobody = pwd.getpwnam("nobody")
    os.setresgid(nobody.pw_gid, nobody.pw_gid, 0)
    os.setresuid(nobody.pw_uid, nobody.pw_uid, 0)
    try:
        yield
    finally:
        os.setresuid(0, 0, 0)
        os.setresgid(0, 0, 0)


def test_a_file_named_directly_that_cannot_be_read_is_reported_like_one_in_a_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Not tmp_path: its parents are private to root, and the file must be visible but unreadable.
    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o755)
        (folder / "cfg").mkdir(mode=0o755)
        for name in ("secret.yaml", "cfg/secret.yaml"):
            (folder / name).write_text(HEAD)
            (folder / name).chmod(0)
        monkeypatch.chdir(folder)
        with unprivileged():
            named, found = run_validate("secret.yaml"), run_validate("cfg")
    finally:
        shutil.rmtree(folder)
    assert (named.exit_code, named.problems) == (
        1,
        ["secret.yaml:1:1: cannot be read: Permission denied (check the permissions)"],
    )
    assert found.problems == [
        "cfg/secret.yaml:1:1: cannot be read: Permission denied (check the permissions)"
    ]
