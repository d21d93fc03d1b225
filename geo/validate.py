"""Parsing and checking of user-supplied values: coordinates, radii, dates.

Every function raises :class:`geo.errors.InputError` with a message that says
what was wrong, what was given and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from geo.errors import InputError

_UNITS_KM = {"km": 1.0, "m": 0.001, "mi": 1.609344, "miles": 1.609344, "nm": 1.852, "": 1.0}
MAX_RADIUS_KM = 20_037.5  # half the Earth's circumference: every point is within it


def check_latlon(lat: float, lon: float, what: str = "point") -> tuple[float, float]:
    """Return ``(lat, lon)`` if both are finite and in range, else raise InputError."""
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        raise InputError(f"{what}: coordinates must be numbers, got lat={lat!r}, lon={lon!r}") from None
    if not (math.isfinite(lat_f) and math.isfinite(lon_f)):
        raise InputError(f"{what}: coordinates must be finite numbers, got lat={lat!r}, lon={lon!r}")
    if not -90.0 <= lat_f <= 90.0:
        raise InputError(f"{what}: latitude {lat_f} is out of range [-90, 90] (did you swap lat and lon?)")
    if not -180.0 <= lon_f <= 180.0:
        raise InputError(f"{what}: longitude {lon_f} is out of range [-180, 180]")
    return lat_f, lon_f


def parse_latlon(text: str) -> tuple[float, float]:
    """Parse ``"LAT,LON"`` (e.g. ``"36.311,36.686"``) into ``(lat, lon)``."""
    parts = [p.strip() for p in str(text).split(",")]
    if len(parts) != 2:
        raise InputError(f"expected LAT,LON such as 36.311,36.686; got {text!r}")
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        raise InputError(f"expected LAT,LON with decimal degrees such as 36.311,36.686; got {text!r}") from None
    return check_latlon(lat, lon, what=repr(text))


def looks_like_latlon(text: str) -> bool:
    """True when ``text`` has the shape ``number,number`` (whether or not it is in range)."""
    return bool(re.fullmatch(r"\s*[-+]?[\d.]+(e[-+]?\d+)?\s*,\s*[-+]?[\d.]+(e[-+]?\d+)?\s*", str(text), re.IGNORECASE))


def parse_radius(text: str | float) -> float:
    """Parse a radius such as ``25km``, ``500m``, ``10mi`` or ``25`` (km) into kilometres (> 0)."""
    m = re.fullmatch(r"\s*([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*([a-z]*)\s*", str(text), re.IGNORECASE)
    if not m or m.group(2).lower() not in _UNITS_KM:
        raise InputError(f"expected a radius such as 25km, 500m or 10mi; got {text!r}")
    km = float(m.group(1)) * _UNITS_KM[m.group(2).lower()]
    if not math.isfinite(km) or km <= 0:
        raise InputError(f"the radius must be greater than zero; got {text!r}")
    if km > MAX_RADIUS_KM:
        raise InputError(
            f"a radius of {km:,.0f} km is larger than half the Earth's circumference ({MAX_RADIUS_KM:,.0f} km); "
            "every point is already within it — leave the radius out to list everything"
        )
    return km


def parse_date(text: str, what: str = "date") -> dt.date:
    """Parse an ISO date ``YYYY-MM-DD`` (years 1900–2100)."""
    try:
        d = dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(f"{what}: expected YYYY-MM-DD such as 2022-02-03; got {text!r}") from None
    if not 1900 <= d.year <= 2100:
        raise InputError(f"{what}: {d.isoformat()} is outside the supported years 1900–2100")
    return d


# ----- publication dates, URLs, identifiers -------------------------------------------------------

#: A publication date may be at most this many days after today (time zones, clock skew).
FUTURE_SLACK_DAYS = 2


def parse_published(value: object, what: str = "published", today: dt.date | None = None) -> dt.date:
    """Parse a publication date: ``YYYY-MM-DD`` or an ISO 8601 datetime (``2022-02-03T08:15:00Z``).

    Years must lie in 1900–2100 and the date may not be in the future (beyond
    :data:`FUTURE_SLACK_DAYS`), because relative dates ("on Thursday") are resolved against it.
    """
    if isinstance(value, dt.datetime):
        d = value.date()
    elif isinstance(value, dt.date):
        d = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            d = dt.date.fromisoformat(text)
        except ValueError:
            try:
                d = dt.datetime.fromisoformat(text).date()
            except ValueError:
                raise InputError(
                    f"{what}: expected a date YYYY-MM-DD or an ISO datetime such as 2022-02-03T08:15:00Z; "
                    f"got {value!r}"
                ) from None
    else:
        raise InputError(f"{what}: expected a date string YYYY-MM-DD; got {type(value).__name__} {value!r}")
    if not 1900 <= d.year <= 2100:
        raise InputError(f"{what}: {d.isoformat()} is outside the supported years 1900–2100")
    today = today or dt.date.today()
    if d > today + dt.timedelta(days=FUTURE_SLACK_DAYS):
        raise InputError(
            f"{what}: {d.isoformat()} is in the future (today is {today.isoformat()}); "
            "check the date, or the day and month order"
        )
    return d


_SAFE_SCHEMES = {"http", "https"}


def safe_url(url: object) -> str | None:
    """Return ``url`` (stripped) if it is an absolute http/https URL that is safe to link, else ``None``.

    Rejects ``javascript:``, ``data:``, ``file:``, scheme-relative and relative URLs, URLs without a
    host, and URLs containing whitespace or control characters (which browsers may silently drop).
    """
    if not isinstance(url, str):
        return None
    text = url.strip()
    if not text or len(text) > 4096 or any(c.isspace() or ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in text):
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc or not host:
        return None
    return text


_ID_BAD = re.compile(r"[^A-Za-z0-9._-]+")
MAX_ID_LENGTH = 100


def sanitize_id(text: object) -> str:
    """Turn any text into a safe identifier of ``[A-Za-z0-9._-]`` (usable as a file name and HTML id).

    Non-ASCII letters are transliterated (``حلب`` → ``hlb``), other characters become ``_``; leading
    dots and dashes are removed (no hidden files, no ``..``, no option-like names); long ids are cut
    and suffixed with a hash so that they stay distinct. Deterministic; never empty.
    """
    import hashlib

    from anyascii import anyascii

    raw = "" if text is None else str(text)
    ident = _ID_BAD.sub("_", anyascii(raw)).lstrip("._-").rstrip("._")
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
    if not ident:
        return f"id_{digest[:12]}" if raw else "article"
    if len(ident) > MAX_ID_LENGTH:
        ident = f"{ident[: MAX_ID_LENGTH - 13]}_{digest[:12]}"
    return ident
