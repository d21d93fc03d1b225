"""Installed versions of the packages the embedded data comes from (cache keys and provenance)."""

from __future__ import annotations

import importlib.metadata as md


def package_version(dist: str, missing: str = "missing") -> str:
    """The installed version of distribution ``dist``, or ``missing`` when it is not installed."""
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return missing
