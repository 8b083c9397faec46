"""The command line (see :mod:`reconciler.cli.app`)."""

from reconciler.cli import commands, orgs, report, show, simulator  # noqa: F401  (registers)
from reconciler.cli.app import cli, main

__all__ = ["cli", "main"]
