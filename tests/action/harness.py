"""Run a composite action's steps the way a GitHub runner does, without a runner.

The harness reads ``action.yml``, fills in the inputs (with their defaults), and for each
step either skips it (a ``uses:`` step, whose outputs the test provides: the Python of
setup-python, nothing for the cache) or runs its ``run:`` script with bash, as the runner
does for ``shell: bash`` (``bash --noprofile --norc -eo pipefail FILE``). Each step gets its
``env:`` with expressions evaluated, and the files and folders of the runner's protocol:
``GITHUB_OUTPUT``, ``GITHUB_ENV``, ``GITHUB_PATH``, ``GITHUB_STEP_SUMMARY``,
``GITHUB_WORKSPACE``, ``GITHUB_ACTION_PATH`` and ``RUNNER_TEMP``. A failing step stops the
action, as on a runner.

Only the expressions the action should need are understood (``inputs.X``,
``steps.ID.outputs.X``, ``github.action_path``, ``runner.temp``, ``runner.os``): anything
else fails the test, which keeps ``action.yml`` thin.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_HEREDOC = re.compile(r"^([A-Za-z_][\w-]*)<<(.+)$")
# Variables of the outer environment that a runner would not pass to the action.
_DROPPED_PREFIXES = ("GITHUB_", "GH_", "RUNNER_", "INPUT_", "VIRTUAL_ENV")


@dataclass
class ActionRun:
    """What a run of the action left: its exit code, outputs, job summary and log."""

    exit_code: int
    outputs: dict[str, str]
    summary: str
    log: str
    steps_run: list[str] = field(default_factory=list)


@dataclass
class Runner:
    """The runner's folders for one job; ``provided`` holds the outputs of skipped steps."""

    action_path: Path
    workspace: Path
    temp: Path
    provided: Mapping[str, Mapping[str, str]]
    os_name: str = "Linux"
    #: The calling job's ``env:``, which every step of the action inherits.
    job_env: dict[str, str] = field(default_factory=dict)

    def run(self, inputs: Mapping[str, str]) -> ActionRun:
        """Run ``action.yml`` with ``inputs`` and return what it left."""
        action = yaml.safe_load((self.action_path / "action.yml").read_text(encoding="utf-8"))
        values = _inputs(action.get("inputs", {}), inputs)
        summary_file = self.temp / "_step_summary"
        summary_file.write_text("")
        state = _State(values, {}, self, dict(self.job_env))
        log: list[str] = []
        done: list[str] = []
        code = 0
        for index, step in enumerate(action["runs"]["steps"]):
            step_id = step.get("id", f"__step{index}")
            if "uses" in step:
                state.steps[step_id] = dict(self.provided.get(step_id, {}))
                continue
            code, outputs, output = self._run_step(step, state, summary_file, index)
            state.steps[step_id] = outputs
            log.append(output)
            done.append(step_id)
            if code != 0:
                break
        action_outputs = {
            name: _evaluate(spec["value"], state)
            for name, spec in action.get("outputs", {}).items()
        }
        return ActionRun(code, action_outputs, summary_file.read_text(), "".join(log), done)

    def _run_step(
        self, step: dict[str, Any], state: _State, summary: Path, index: int
    ) -> tuple[int, dict[str, str], str]:
        assert step.get("shell") == "bash", "every run step of the action must say shell: bash"
        folder = self.temp / f"_step{index}"
        folder.mkdir(exist_ok=True)
        files = {
            name: folder / name.lower() for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH")
        }
        for path in files.values():
            path.write_text("")
        script = folder / "script.sh"
        script.write_text(_evaluate(step["run"], state))
        env = {
            key: value for key, value in os.environ.items() if not key.startswith(_DROPPED_PREFIXES)
        }
        env.update(state.job_env)
        env.update({name: str(path) for name, path in files.items()})
        env.update(
            GITHUB_STEP_SUMMARY=str(summary),
            GITHUB_WORKSPACE=str(self.workspace),
            GITHUB_ACTION_PATH=str(self.action_path),
            GITHUB_ACTIONS="true",
            RUNNER_TEMP=str(self.temp),
            RUNNER_OS=self.os_name,
        )
        env.update(
            {key: _evaluate(str(value), state) for key, value in step.get("env", {}).items()}
        )
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=240,
        )
        state.job_env.update(_key_values(files["GITHUB_ENV"].read_text()))
        return (
            done.returncode,
            _key_values(files["GITHUB_OUTPUT"].read_text()),
            done.stdout + done.stderr,
        )


@dataclass
class _State:
    inputs: dict[str, str]
    steps: dict[str, dict[str, str]]
    runner: Runner
    job_env: dict[str, str]


def _inputs(declared: Mapping[str, Any], given: Mapping[str, str]) -> dict[str, str]:
    unknown = set(given) - set(declared)
    assert not unknown, f"inputs the action does not declare: {sorted(unknown)}"
    return {name: given.get(name, str(spec.get("default", ""))) for name, spec in declared.items()}


def _evaluate(text: str, state: _State) -> str:
    return _EXPRESSION.sub(lambda match: _value(match.group(1), state), text)


def _value(expression: str, state: _State) -> str:
    parts = expression.split(".")
    if parts[0] == "inputs" and len(parts) == 2:
        return state.inputs[parts[1]]
    if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
        return state.steps.get(parts[1], {}).get(parts[3], "")
    simple = {
        "github.action_path": str(state.runner.action_path),
        "runner.temp": str(state.runner.temp),
        "runner.os": state.runner.os_name,
    }
    assert expression in simple, f"the harness does not evaluate ${{{{ {expression} }}}}"
    return simple[expression]


def _key_values(text: str) -> dict[str, str]:
    """Parse a GITHUB_OUTPUT or GITHUB_ENV file: ``key=value`` and ``key<<EOF`` blocks."""
    values: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        heredoc = _HEREDOC.match(line)
        if heredoc:
            name, delimiter = heredoc.groups()
            block: list[str] = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            values[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values
