"""Hostile input: each case is one clear problem, found with bounded work and memory.

The bounds are on what the loader does (values and aliases counted, bytes read, memory
allocated), never on wall time: CI machines are shared. pytest-timeout guards against a hang;
how fast validation is belongs to the benchmarks."""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reconciler.config.document import MAX_ALIAS_VALUES, MAX_DEPTH, MAX_VALUES
from reconciler.config.files import MAX_FILE_BYTES
from tests.config.conftest import Outcome

HEAD = "version: 1\norg: octo-org\n"
MEMORY = 64 * 1024 * 1024  # traced Python allocations during one run

# A hang guard, not a speed bound.
pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def bounded() -> Iterator[None]:
    """Fail a test whose Python allocations peak above MEMORY."""
    tracemalloc.start()
    yield
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < MEMORY, f"peak {peak / 2**20:.0f} MiB"


def traced_peak() -> int:
    """The peak of traced allocations so far in a ``bounded`` test."""
    return tracemalloc.get_traced_memory()[1]


def billion_laughs() -> str:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"lol{level}: &lol{level} [{refs}]")
    return HEAD + "\n".join(lines) + "\n"


@pytest.mark.usefixtures("bounded")
def test_a_yaml_bomb_stops_at_the_alias_past_the_budget(
    validate_in: Callable[..., Outcome],
) -> None:
    outcome = validate_in({"bomb.yaml": billion_laughs()}, "bomb.yaml")
    # The aliases of lol1..lol3 repeat 90 + 819 + 7380 values; the first *lol3 (7381 more)
    # passes 10,000 at line 7, column 14.
    assert outcome.problems == [
        f"bomb.yaml:7:14: aliases repeat more than {MAX_ALIAS_VALUES} values (a YAML bomb?)"
        " (write the values out instead of repeating aliases)"
    ]
    assert outcome.exit_code == 1


@pytest.mark.usefixtures("bounded")
def test_a_50_mb_file_is_refused_without_being_read(
    validate_in: Callable[..., Outcome], tmp_path: Path
) -> None:
    with (tmp_path / "huge.yaml").open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: reading it would show up in the bounds
    outcome = validate_in({}, "huge.yaml")
    assert outcome.problems == [
        f"huge.yaml:1:1: file is larger than the limit of {MAX_FILE_BYTES} bytes (5 MiB):"
        " 52428800 bytes (split the configuration into several files)"
    ]
    assert traced_peak() < 2 * 1024 * 1024  # not even the 5 MiB the limit would allow


@pytest.mark.usefixtures("bounded")
def test_a_file_one_byte_over_the_limit_is_refused(
    validate_in: Callable[..., Outcome], tmp_path: Path
) -> None:
    with (tmp_path / "big.yaml").open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)
    assert validate_in({}, "big.yaml").problems == [
        f"big.yaml:1:1: file is larger than the limit of {MAX_FILE_BYTES} bytes (5 MiB):"
        f" {MAX_FILE_BYTES + 1} bytes (split the configuration into several files)"
    ]


@pytest.mark.slow  # parses 500,000 values in a process of its own
def test_a_file_of_too_many_values_stops_at_the_first_one_over(tmp_path: Path) -> None:
    # Flow style packs a value into two bytes: well under the size limit, over the value cap.
    # Run in a process of its own: tracemalloc would slow it tenfold, so memory is its RSS.
    text = HEAD + "seats:\n  users: [" + "a," * MAX_VALUES + "a]\n"
    (tmp_path / "many.yaml").write_text(text)
    script = (
        "import resource\n"
        "from reconciler.config import load_desired_state\n"
        "try:\n    load_desired_state(['many.yaml'])\n"
        "except Exception as error:\n    print(*error.lines(), sep='\\n')\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    *problems, rss_kib = run.stdout.splitlines()
    # The top mapping, version, org, seats and users take the first five values.
    column = 11 + 2 * (MAX_VALUES - 5)
    assert problems == [
        f"many.yaml:4:{column}: the file holds more than {MAX_VALUES} values"
        " (split the configuration into several files)"
    ]
    assert int(rss_kib) < 400 * 1024


@pytest.mark.usefixtures("bounded")
@pytest.mark.parametrize(
    ("body", "place"),
    [
        # libyaml's scanner looks ahead in flow sequences and stops at its own limit (1000).
        ("seats: " + "[" * 100_000, "3:1007"),
        ("seats: " + "{a: " * 100_000, f"3:{8 + 4 * MAX_DEPTH}"),
        ("seats:\n  " + "- " * 100_000, f"4:{3 + 2 * MAX_DEPTH}"),
    ],
    ids=["flow sequences", "flow mappings", "block sequences"],
)
def test_deep_nesting_stops_at_a_limit(
    validate_in: Callable[..., Outcome], body: str, place: str
) -> None:
    outcome = validate_in({"deep.yaml": HEAD + body + "x\n"}, "deep.yaml")
    assert outcome.problems == [
        f"deep.yaml:{place}: values are nested more than {MAX_DEPTH} levels deep (flatten the file)"
    ]


@pytest.mark.usefixtures("bounded")
def test_non_utf8_bytes_are_reported_at_their_line(validate_in: Callable[..., Outcome]) -> None:
    text = HEAD.encode() + b"seats:\n  users:\n    - ok\n    - \xff\xfe\n"
    assert validate_in({"latin.yaml": text}, "latin.yaml").problems == [
        "latin.yaml:6:7: not valid UTF-8: byte 0xff cannot be decoded (save the file as UTF-8)"
    ]


@pytest.mark.usefixtures("bounded")
def test_tabs_in_indentation_are_reported_at_their_line(
    validate_in: Callable[..., Outcome],
) -> None:
    text = HEAD + "seats:\n  users:\n\t- alice\n"
    assert validate_in({"tabs.yaml": text}, "tabs.yaml").problems == [
        "tabs.yaml:5:1: a tab character where YAML expects indentation or a value"
        " (indent with spaces, not tabs)"
    ]


@pytest.mark.usefixtures("bounded")
def test_a_binary_file_is_refused(validate_in: Callable[..., Outcome]) -> None:
    data = bytes(range(256)) * 4096  # 1 MiB, a NUL in its first byte
    assert validate_in({"blob.yaml": data}, "blob.yaml").problems == [
        "blob.yaml:1:1: not a text file (it contains a NUL byte)"
        " (name YAML files or directories only)"
    ]


@pytest.mark.usefixtures("bounded")
def test_a_directory_without_yaml_files_is_an_error(
    validate_in: Callable[..., Outcome], tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    outcome = validate_in({}, "empty")
    assert (outcome.exit_code, outcome.problems) == (
        1,
        [
            "empty:1:1: directory holds no *.yaml or *.yml files"
            " (add configuration files, or name the files to check)"
        ],
    )


@pytest.mark.usefixtures("bounded")
def test_a_path_that_does_not_exist_is_an_error(validate_in: Callable[..., Outcome]) -> None:
    outcome = validate_in({}, "nowhere/org.yaml", "nowhere")
    assert outcome.problems == [
        "nowhere:1:1: no such file or directory (check the path)",
        "nowhere/org.yaml:1:1: no such file or directory (check the path)",
    ]


@pytest.mark.usefixtures("bounded")
def test_symbolic_link_loops_end_and_are_called_loops(
    validate_in: Callable[..., Outcome], tmp_path: Path
) -> None:
    config = tmp_path / "cfg"
    (config / "sub").mkdir(parents=True)
    (config / "sub" / "org.yaml").write_text(HEAD)
    (config / "sub" / "back").symlink_to(config)  # cfg/sub/back -> cfg: a loop
    (config / "self.yaml").symlink_to(config / "self.yaml")  # a link to itself
    outcome = validate_in({}, "cfg")
    assert outcome.problems == [
        "cfg/self.yaml:1:1: is a symbolic link loop (point it at a file or remove it)"
    ]


@pytest.mark.usefixtures("bounded")
def test_a_fifo_is_refused_without_blocking(
    validate_in: Callable[..., Outcome], tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    assert validate_in({}, "pipe.yaml").problems == [
        "pipe.yaml:1:1: is not a regular file (name YAML files or directories)"
    ]


@pytest.mark.usefixtures("bounded")
def test_an_unreadable_file_is_reported(
    validate_in: Callable[..., Outcome], tmp_path: Path
) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    secret = tmp_path / "secret.yaml"
    secret.write_text(HEAD)
    secret.chmod(0)
    assert validate_in({}, "secret.yaml").problems == [
        "secret.yaml:1:1: cannot be read: Permission denied (check the permissions)"
    ]
