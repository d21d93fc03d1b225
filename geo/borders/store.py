"""Where border datasets live: one folder per dataset in the user cache, written atomically.

``<cache>/borders/<name>/`` holds ``meta.json`` (name, version, date, licence, uncertainty and
its basis, counts), ``pieces/*.npy`` (the indexed border pieces and the side pairs) and, when the
dataset has country polygons, ``regions/*.npy`` (rings of the polygons, for the own-country
test; memory-mapped, so only the rings near queried points are read).
The cache root is ``$CONFLICTMAP_CACHE_DIR`` or ``platformdirs.user_cache_dir("conflictmap")``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from geo.errors import DataError, InputError

#: format of the files below; a cache written by another format version is rebuilt
FORMAT = 4
DEFAULT_NAME = "osm"


def cache_root() -> Path:
    """The per-user cache folder (``$CONFLICTMAP_CACHE_DIR`` overrides)."""
    env = os.environ.get("CONFLICTMAP_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("conflictmap"))


def datasets_dir() -> Path:
    return cache_root() / "borders"


def check_name(name: str) -> str:
    """A dataset name is a short slug: it becomes a folder name."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name or ""):
        raise InputError(
            f"dataset name {name!r} is not usable: use 1–64 letters, digits, '.', '_' or '-', e.g. 'natural-earth-10m'"
        )
    return name


def dataset_dir(name: str) -> Path:
    return datasets_dir() / check_name(name)


def write_dataset(
    name: str,
    meta: dict[str, Any],
    pieces: dict[str, np.ndarray],
    regions: dict[str, np.ndarray] | None,
) -> Path:
    """Write a dataset folder atomically (a temporary folder renamed into place)."""
    root = datasets_dir()
    root.mkdir(parents=True, exist_ok=True)
    final = dataset_dir(name)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=root))
    try:
        for what, arrays in (("pieces", pieces), ("regions", regions)):
            if arrays is None:
                continue
            (tmp / what).mkdir()
            for key, arr in arrays.items():
                np.save(tmp / what / f"{key}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        meta = {**meta, "format": FORMAT}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
        if final.exists():
            old = final.with_name(f".{name}-old-{os.getpid()}")
            final.rename(old)
            tmp.rename(final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def read_meta(name: str) -> dict[str, Any] | None:
    """The dataset's metadata, or None when it is not built/imported (or built by another format)."""
    path = dataset_dir(name) / "meta.json"
    if not path.exists():
        return None
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"border dataset {name!r} is corrupt ({path}: {exc}); re-import it or delete {path.parent}") from exc
    if meta.get("format") != FORMAT:
        return None
    return meta


def load_arrays(name: str, what: str, mmap: bool = False) -> dict[str, np.ndarray] | None:
    """Arrays of ``pieces`` or ``regions`` of a dataset (None when absent); ``mmap`` maps them read-only."""
    path = dataset_dir(name) / what
    if not path.is_dir():
        return None
    try:
        return {f.stem: np.load(f, allow_pickle=False, mmap_mode="r" if mmap else None) for f in sorted(path.glob("*.npy"))}
    except (OSError, ValueError) as exc:
        raise DataError(f"border dataset {name!r} is corrupt ({path}: {exc}); delete {path.parent} to rebuild") from exc


def list_names() -> list[str]:
    root = datasets_dir()
    if not root.exists():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
