"""GitHub Actions workflows kept beside the configuration (examples/workflows/) are skipped
when a directory is validated, like simulator worlds; named directly, they are judged and
refused for what they are."""

from __future__ import annotations

from collections.abc import Callable

from tests.config.conftest import Outcome

HEAD = "version: 1\norg: octo-org\n"
WORKFLOW = "name: plan\non:\n  pull_request:\npermissions: {}\njobs:\n  plan: {}\n"


def test_a_workflow_found_in_a_directory_is_skipped(
    validate_in: Callable[..., Outcome],
) -> None:
    outcome = validate_in({"cfg/org.yaml": HEAD, "cfg/workflows/plan.yml": WORKFLOW}, "cfg")
    assert (outcome.exit_code, outcome.stdout) == (0, "valid: 1 organization\n")


def test_a_workflow_named_directly_is_refused_as_what_it_is(
    validate_in: Callable[..., Outcome],
) -> None:
    outcome = validate_in({"plan.yml": WORKFLOW}, "plan.yml")
    assert (outcome.exit_code, outcome.problems) == (
        1,
        [
            "plan.yml:1:1: is a GitHub Actions workflow, not a desired-state file"
            " (name the configuration's files or folders)"
        ],
    )


def test_a_config_file_with_a_stray_jobs_key_is_not_mistaken_for_a_workflow(
    validate_in: Callable[..., Outcome],
) -> None:
    outcome = validate_in({"cfg/org.yaml": HEAD + "jobs: {}\n"}, "cfg")
    assert outcome.exit_code == 1
    assert outcome.problems == [
        "cfg/org.yaml:3:1: unknown key 'jobs' (allowed: version, org, settings, seats,"
        " content_exclusion, safety)"
    ]
