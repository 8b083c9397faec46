"""copilot-reconciler: GitHub Copilot seats, content exclusion and settings as code."""

__version__ = "0.1.0"
