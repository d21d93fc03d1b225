"""Property-based and edge-case tests of geo.validate: only InputError, with what/got/fix; valid values pass."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo.errors import InputError
from geo.validate import (
    MAX_RADIUS_KM,
    check_latlon,
    looks_like_latlon,
    parse_date,
    parse_latlon,
    parse_published,
    parse_radius,
    safe_url,
    sanitize_id,
)

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ANY = st.one_of(st.text(max_size=60), st.floats(), st.integers(), st.none(), st.binary(max_size=10))


def _only_input_error(fn, *args):
    try:
        return fn(*args)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return None


# ----- coordinates -----------------------------------------------------------------------------------------


@SETTINGS
@given(value=ANY)
@example(value="nan,nan")
@example(value="inf,0")
@example(value="1e309,0")
@example(value="36.3,36.7,1")
@example(value="٣٦٫٣,٣٦٫٧")  # Arabic-Indic digits: float() accepts them
def test_parse_latlon_returns_in_range_or_raises_input_error(value):
    got = _only_input_error(parse_latlon, value)
    if got is not None:
        lat, lon = got
        assert math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


@SETTINGS
@given(lat=st.floats(-90, 90), lon=st.floats(-180, 180))
def test_parse_latlon_round_trips_repr(lat, lon):
    assert parse_latlon(f"{lat!r},{lon!r}") == (lat, lon)
    assert looks_like_latlon(f"{lat!r}, {lon!r}")


@pytest.mark.parametrize(
    "lat, lon, match",
    [
        (float("nan"), 0, "finite"), (0, float("inf"), "finite"), (91, 0, "latitude 91.0 is out of range"),
        (36.3, 200, "longitude 200.0"), ("x", 0, "must be numbers"), (None, 0, "must be numbers"),
        (-90.0000001, 0, "latitude"),
    ],
)
def test_check_latlon_errors(lat, lon, match):
    with pytest.raises(InputError, match=match):
        check_latlon(lat, lon)


@pytest.mark.parametrize("lat, lon", [(90, 0), (-90, 180), (0, -180), (0, 180), (89.9999, 179.9999), (-0.0, -0.0)])
def test_poles_and_antimeridian_are_valid(lat, lon):
    assert check_latlon(lat, lon) == (float(lat), float(lon))


def test_swapped_latlon_hint():
    with pytest.raises(InputError, match="swap"):
        parse_latlon("120.5,36.3")


# ----- radius ----------------------------------------------------------------------------------------------


@SETTINGS
@given(value=ANY)
@example(value="0km")
@example(value="-5km")
@example(value="1e400")
@example(value="nan")
@example(value="25 parsecs")
def test_parse_radius_positive_finite_bounded_or_input_error(value):
    km = _only_input_error(parse_radius, value)
    if km is not None:
        assert 0 < km <= MAX_RADIUS_KM and math.isfinite(km)


@pytest.mark.parametrize("text, km", [("25km", 25), ("500m", 0.5), ("10mi", 16.09344), ("25", 25), (" 2.5 KM ", 2.5)])
def test_parse_radius_units(text, km):
    assert parse_radius(text) == pytest.approx(km)


@pytest.mark.parametrize("text, match", [("0", "greater than zero"), ("-3km", "greater than zero"),
                                         ("30000km", "half the Earth"), ("far", "such as 25km")])
def test_parse_radius_errors(text, match):
    with pytest.raises(InputError, match=match):
        parse_radius(text)


# ----- dates -----------------------------------------------------------------------------------------------


@SETTINGS
@given(value=ANY)
def test_parse_date_and_published_only_raise_input_error(value):
    d = _only_input_error(parse_date, value)
    assert d is None or 1900 <= d.year <= 2100
    p = _only_input_error(parse_published, value)
    assert p is None or (1900 <= p.year and p <= dt.date.today() + dt.timedelta(days=2))


@SETTINGS
@given(d=st.dates(dt.date(1900, 1, 1), dt.date(2020, 12, 31)), hour=st.integers(0, 23))
def test_parse_published_accepts_dates_and_iso_datetimes(d, hour):
    assert parse_published(d.isoformat()) == d
    assert parse_published(f"{d.isoformat()}T{hour:02d}:15:00Z") == d
    assert parse_published(f"{d.isoformat()}T{hour:02d}:15:00+03:00") == d
    assert parse_published(dt.datetime(d.year, d.month, d.day, hour)) == d


@pytest.mark.parametrize(
    "value, match",
    [("1850-01-01", "1900–2100"), ("2099-01-01", "in the future"), ("03/02/2022", "YYYY-MM-DD"),
     (20220203, "expected a date string"), ("2022-02-30", "YYYY-MM-DD")],
)
def test_parse_published_errors(value, match):
    with pytest.raises(InputError, match=match):
        parse_published(value)


def test_parse_published_future_relative_to_given_today():
    assert parse_published("2022-02-04", today=dt.date(2022, 2, 3)) == dt.date(2022, 2, 4)
    with pytest.raises(InputError, match="future"):
        parse_published("2022-02-10", today=dt.date(2022, 2, 3))


# ----- URLs and ids ---------------------------------------------------------------------------------------


@SETTINGS
@given(url=st.one_of(st.text(max_size=80), st.from_regex(r"\A(https?|javascript|data|file|ftp)?:?/{0,3}[^\s]{0,30}\Z")))
@example(url="javascript:alert(1)")
@example(url="JaVaScRiPt:alert(1)")
@example(url=" https://example.org/a ")
@example(url="https://exa mple.org")
@example(url="http://[::1")
@example(url="https:evil")
@example(url="https://example.org/\u2028x")
def test_safe_url_only_returns_absolute_http_links(url):
    got = safe_url(url)
    if got is not None:
        assert re.match(r"(?i)https?://[^/?#\s]", got)
        assert got == got.strip() and not any(c.isspace() or ord(c) < 0x20 for c in got)


@pytest.mark.parametrize(
    "url, expected",
    [("https://example.org/a?b=1#c", "https://example.org/a?b=1#c"), (" HTTP://x.org ", "HTTP://x.org"),
     ("javascript:alert(1)", None), ("data:text/html,<script>", None), ("//example.org", None),
     ("/relative", None), ("file:///etc/passwd", None), ("https://", None), ("https://a.org/\x00", None),
     (None, None), (42, None), ("https://[::1", None)],
)
def test_safe_url_examples(url, expected):
    assert safe_url(url) == expected


@SETTINGS
@given(text=st.one_of(st.text(max_size=300), st.integers(), st.none()))
@example(text="..")
@example(text="._x")
@example(text="-rf")
@example(text="../../etc/passwd")
@example(text="a" * 500)
def test_sanitize_id_is_safe_idempotent_and_bounded(text):
    ident = sanitize_id(text)
    assert re.fullmatch(r"[A-Za-z0-9._-]+", ident)
    assert not ident.startswith((".", "-")) and ident not in (".", "..") and len(ident) <= 100
    assert sanitize_id(ident) == ident


def test_sanitize_id_examples():
    assert sanitize_id("000_f18772d31dee92f8") == "000_f18772d31dee92f8"
    assert sanitize_id("حلب report") == "hlb_report"
    assert sanitize_id("a/../b") == "a_.._b"
    assert sanitize_id("") == "article"
    assert sanitize_id("a" * 200) != sanitize_id("a" * 201)  # cut ids stay distinct
