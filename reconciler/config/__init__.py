"""The desired state: YAML files -> :class:`~reconciler.model.DesiredState`.

``load_desired_state(paths)`` is the one entry point; it reports every problem of every file
at once as a :class:`~reconciler.errors.ConfigError`. The format is
``schemas/desired-state.schema.json``, explained in ``docs/configuration.md``.
"""

from __future__ import annotations

from reconciler.config.loader import load_desired_state

__all__ = ["load_desired_state"]
