"""Placeholder: verbs of this group are registered by the module's owner."""

from __future__ import annotations

import click


def register(app: click.Group) -> None:
    """Add this module's verbs to the application."""
