"""The parts of the pure planner, one concern per module.

``seats`` plans grants and cancellations, ``exclusion`` compares content-exclusion maps,
``settings`` reports settings drift, and ``fingerprint`` and ``safety`` serve
:mod:`reconciler.plan`. :func:`reconciler.planner.plan` puts them together. Nothing here does
I/O or reads a clock.
"""
