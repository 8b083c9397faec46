"""Copilot metrics (legacy endpoints)."""

from __future__ import annotations
