"""What the terminal shows of waits: a user never sits in front of a silent retry."""

from __future__ import annotations

import sys

import pytest

from reconciler.cli.options import Terminal

LINE = "waiting 2.0 s: ConnectError (refused) on GET /orgs/o/copilot/billing (retry 1 of 5)"
TTY = pytest.mark.parametrize("tty", [True, False], ids=["terminal", "log"])


def claim_tty(monkeypatch: pytest.MonkeyPatch, tty: bool) -> None:
    """Make the captured stderr (installed by now: this runs in the test) claim a terminal."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: tty)


@TTY
def test_a_wait_is_a_line_in_a_log_and_the_live_line_on_a_terminal(
    tty: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    claim_tty(monkeypatch, tty)
    terminal = Terminal()
    terminal.wait(LINE)
    shown = capsys.readouterr().err
    assert LINE in shown
    assert shown.endswith("\n") is not tty  # on a terminal the next line replaces it
    terminal.say("done")
    assert capsys.readouterr().err.endswith("done\n")


@TTY
def test_with_verbose_a_wait_is_a_log_line(
    tty: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    claim_tty(monkeypatch, tty)
    Terminal(verbose=1).wait(LINE)
    assert capsys.readouterr().err == LINE + "\n"


@TTY
def test_quiet_shows_no_wait(
    tty: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    claim_tty(monkeypatch, tty)
    Terminal(quiet=True).wait(LINE)
    assert capsys.readouterr().err == ""
