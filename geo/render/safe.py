"""Small safety helpers shared by the map, the source pages and the exports.

Article text, titles, URLs and ids are untrusted: everything that reaches HTML
goes through :func:`html.escape`, JSON embedded in a page goes through
:func:`json_for_script`, file names through :func:`source_filename`, and only
``http``/``https`` URLs are ever turned into links (:func:`safe_url`).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

from geo.validate import safe_url  # noqa: F401  (re-exported: the one URL check of the project)

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def source_filename(article_id: str) -> str:
    """File name (without folder) of an article's source page: ``<sanitised id>.html``.

    Keeps ``[A-Za-z0-9._-]``; anything else (slashes, ``..``, spaces, markup) is
    replaced, and a short hash of the original id is appended whenever the id had
    to be changed, so two different ids never share a page.
    """
    cleaned = _UNSAFE_NAME.sub("_", article_id).strip("._-")[:100]
    if cleaned != article_id or not cleaned:
        digest = hashlib.sha1(article_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        cleaned = f"{cleaned or 'article'}-{digest}"
    return cleaned + ".html"


def json_for_script(data: Any) -> str:
    """JSON safe to place inside ``<script type="application/json">``.

    ``<``, ``>``, ``&`` and the JavaScript line separators are written as
    ``\\uXXXX`` escapes, so no ``</script>`` or ``<!--`` can appear in the element;
    ``JSON.parse`` restores the original strings.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def finite(value: Any) -> float | None:
    """``value`` as a float, or ``None`` when missing, NaN or infinite."""
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None
