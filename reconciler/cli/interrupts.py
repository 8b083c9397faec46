"""SIGINT and SIGTERM during apply's writes: finish the request in flight, then stop.

Before apply starts writing, a signal acts as usual (Ctrl-C aborts, nothing was changed).
Once the plan is confirmed, :meth:`Interrupts.arm` replaces the handlers: the first SIGINT or
SIGTERM sets :attr:`Interrupts.stop`, which the engine checks before every request, so apply
ends with an account of what was done and what was not instead of dying mid-step. A second
signal has its usual effect again, for a user who really wants out at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any

#: Exit codes of an interrupted apply (README, docs/product.md): 128 + SIGINT, as shells do
#: for Ctrl-C; a SIGTERM (a CI runner cancelling a job) is an ordinary failure.
EXIT_SIGINT = 130
EXIT_SIGTERM = 1

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_Handler = Callable[[int, FrameType | None], Any] | int | None


class Interrupts:
    """A context that turns SIGINT/SIGTERM into :attr:`stop` once armed, and restores the
    previous handlers on exit."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.signum: int | None = None
        self._previous: dict[int, _Handler] = {}

    def __enter__(self) -> Interrupts:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._restore()

    def arm(self) -> None:
        """From now on, the first SIGINT or SIGTERM sets :attr:`stop` (main thread only:
        Python delivers signals there)."""
        if self._previous or threading.current_thread() is not threading.main_thread():
            return
        for signum in _SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)

    @property
    def exit_code(self) -> int:
        """The exit code of an apply this signal stopped."""
        return EXIT_SIGINT if self.signum == signal.SIGINT else EXIT_SIGTERM

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        self.signum = signum
        self.stop.set()
        self._restore()
        name = signal.Signals(signum).name
        # os.write, not print: a handler may run while the main thread is inside a print.
        line = f"{name} received: stopping after the request in flight (again to stop at once)\n"
        with contextlib.suppress(OSError):
            os.write(2, line.encode())

    def _restore(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous = {}
