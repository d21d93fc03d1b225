"""One small error hierarchy. Messages say what was wrong, what was got, and how to fix it."""

from __future__ import annotations


class ConflictmapError(Exception):
    """Base of every error this application raises on purpose (shown to users without a traceback)."""

    exit_code = 1


class InputError(ConflictmapError, ValueError):
    """An input file or value is unusable: the message names the file (and line) and the problem."""


class DataError(ConflictmapError, OSError):
    """A dataset (gazetteer, borders, store) is missing, corrupt or incompatible."""


class StoreError(ConflictmapError, OSError):
    """The incident store could not be opened or written; nothing already stored was changed."""


class MissingExtraError(ConflictmapError, ImportError):
    """An optional part needs an extra: ``pip install 'conflictmap[EXTRA]'``."""

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(
            f"this feature needs the optional package {module!r}; install it with: "
            f"pip install 'conflictmap[{extra}]' (or .venv/bin/pip install -e '.[{extra}]')"
        )
