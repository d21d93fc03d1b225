"""Leaflet (JS + CSS) and Leaflet.markercluster (cluster-icon CSS), read from the installed ``xstatic-*`` packages for inlining.

CSS ``url(images/…)`` references become ``data:`` URIs and source-map comments are
dropped, so the map refers to nothing outside its own file.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

from geo.errors import DataError

_URL = re.compile(r"url\(\s*(['\"]?)([^)'\"]+)\1\s*\)")
_SOURCEMAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)


def _base_dirs() -> tuple[Path, Path, str, str]:
    try:
        import xstatic.pkg.leaflet_markercluster as cluster
        from xstatic.pkg import leaflet
    except ImportError as exc:
        raise DataError(
            f"Leaflet is not installed ({exc}); install it with: pip install xstatic-leaflet "
            "xstatic-leaflet-markercluster"
        ) from None
    return Path(leaflet.BASE_DIR), Path(cluster.BASE_DIR), leaflet.VERSION, cluster.VERSION


def _inline_urls(css: str, base: Path) -> str:
    def repl(m: re.Match[str]) -> str:
        ref = m.group(2).strip()
        if ref.startswith(("data:", "#")):
            return m.group(0)
        f = (base / ref).resolve()
        if not f.is_file() or base.resolve() not in f.parents:
            return "none"
        mime = {"png": "image/png", "svg": "image/svg+xml", "gif": "image/gif"}.get(f.suffix[1:], "application/octet-stream")
        return f"url(data:{mime};base64,{base64.b64encode(f.read_bytes()).decode()})"

    return _URL.sub(repl, css)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"cannot read {path} ({exc}); reinstall xstatic-leaflet / xstatic-leaflet-markercluster") from None


def _js(path: Path) -> str:
    text = _SOURCEMAP.sub("", _read(path))
    if "</script" in text.lower():
        raise DataError(f"{path} contains '</script' and cannot be inlined safely")
    return text


@functools.lru_cache(maxsize=1)
def assets() -> dict[str, str]:
    """``{css, js, versions}``: Leaflet + markercluster CSS and JS ready to inline."""
    lbase, cbase, lver, cver = _base_dirs()
    css = "\n".join(
        [
            _inline_urls(_read(lbase / "leaflet.css"), lbase),
            _read(cbase / "MarkerCluster.css"),
            _read(cbase / "MarkerCluster.Default.css"),
        ]
    )
    # markercluster's JavaScript is not used: its 100k-marker load time (measured ~6 s here) misses the
    # 3 s target, so clusters come from geo/render/assets/map.js; its cluster-icon CSS is kept.
    js = _js(lbase / "leaflet.js")
    return {"css": css, "js": js, "versions": f"Leaflet {lver}, Leaflet.markercluster {cver} (CSS)"}


@functools.lru_cache(maxsize=4)
def asset_text(name: str) -> str:
    """A file of ``geo/render/assets/`` (the map's own JS, CSS and HTML template)."""
    return (Path(__file__).parent / "assets" / name).read_text(encoding="utf-8")
