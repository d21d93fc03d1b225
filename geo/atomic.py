"""Atomic file writes: a temporary sibling, then a rename — readers never see half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, line ends kept as given) to ``path`` through a temporary file and a rename."""
    atomic_write_with(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


def atomic_write_with(path: Path, writer: Callable[[Path], object]) -> None:
    """Call ``writer(tmp_path)`` to write a temporary sibling of ``path``, then rename it into place."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    os.unlink(tmp)  # writers such as pyogrio refuse to overwrite an existing (empty) file
    try:
        writer(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
