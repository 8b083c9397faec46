"""The parts of the pure planner, one concern per module.

``seats`` plans grants and cancellations, ``exclusion`` compares content-exclusion maps,
``settings`` reports settings drift, ``fingerprint`` and ``safety`` serve :mod:`reconciler.plan`,
and ``schema`` finds ``plan.schema.json``. :func:`reconciler.planner.plan` puts them together.
Nothing here does I/O except ``schema`` (which reads a packaged file) and nothing reads a clock.
"""
