"""The command line (see :mod:`reconciler.cli.app`)."""

from reconciler.cli import commands, show, simulator  # noqa: F401  (registers the commands)
from reconciler.cli.app import cli, main

__all__ = ["cli", "main"]
