"""Shared test builders: desired and live states, simulator worlds, plans, keys and GitHub's
object shapes. Each module says what it builds; tests import what they need from here."""
