"""The gazetteer's own small error classes (the package imports nothing from ``geo``)."""

from __future__ import annotations


class GazetteerError(Exception):
    """Base of the gazetteer's deliberate errors; messages say what was wrong and how to fix it."""


class GazetteerInputError(GazetteerError, ValueError):
    """An input file or value is unusable; the message names the file (and line) and the problem."""


class GazetteerDataError(GazetteerError, OSError):
    """The index or a source dataset is missing, corrupt or incompatible."""
