"""A stateful emulator of the GitHub Copilot administration API (see docs/simulator.md).

``Simulator`` holds a world (orgs, teams, grants, seats, a clock) and serves the API in
process through :meth:`Simulator.transport`, or over HTTP through
:func:`reconciler.simulator.server.start` / ``copilot-reconciler simulator serve``.
"""

from __future__ import annotations

from reconciler.simulator.core import API_VERSIONS, Simulator
from reconciler.simulator.faults import ConnectionDropped

__all__ = ["API_VERSIONS", "ConnectionDropped", "Simulator"]
