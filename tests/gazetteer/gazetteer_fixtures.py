"""Small GeoNames-format fixtures generated in code (synthetic places; the real 19-column layout).

Column layout of GeoNames ``geoname`` dump rows (https://download.geonames.org/export/dump/readme.txt):
geonameid, name, asciiname, alternatenames, latitude, longitude, feature class, feature code,
country code, cc2, admin1 code, admin2, admin3, admin4, population, elevation, dem, timezone,
modification date. ``alternateNamesV2``: alternateNameId, geonameid, isolanguage, alternate name,
isPreferredName, isShortName, isColloquial, isHistoric, from, to.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

# synthetic villages near Atmeh (ids far above GeoNames' current range, so they cannot collide)
PLACES = [
    (
        990000001,
        "Qaryat Ikhtibar",
        "Qaryat Ikhtibar",
        ["Qaryet Ikhtibar", "قرية اختبار"],
        36.2901,
        36.6712,
        "P",
        "PPL",
        "SY",
        "12",
        1200,
    ),
    (
        990000002,
        "Tall Tajriba",
        "Tall Tajriba",
        ["Tal Tajribeh", "Tell Tajriba"],
        36.3321,
        36.7013,
        "P",
        "PPLL",
        "SY",
        "12",
        0,
    ),
    (990000003, "Wadi Namudhaj", "Wadi Namudhaj", [], 36.2500, 36.6000, "H", "WAD", "SY", "12", 0),
]


def geoname_line(gid, name, ascii_, alts, lat, lon, fcl, fcode, cc, a1, pop) -> str:
    cols = [
        str(gid),
        name,
        ascii_,
        ",".join(alts),
        f"{lat:.5f}",
        f"{lon:.5f}",
        fcl,
        fcode,
        cc,
        "",
        a1,
        "",
        "",
        "",
        str(pop),
        "",
        "350",
        "Asia/Damascus",
        "2024-01-01",
    ]
    assert len(cols) == 19
    return "\t".join(cols) + "\n"


def write_country_zip(path: Path, places=PLACES, extra_lines: list[str] | None = None) -> Path:
    body = "".join(geoname_line(*p) for p in places) + "".join(extra_lines or [])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("SY.txt", body)
        zf.writestr("readme.txt", "synthetic test fixture in the GeoNames dump format\n")
    return path


def write_alternate_names(path: Path) -> Path:
    rows = [
        (1, 990000001, "en", "Ikhtibar Village", "1", "", "", ""),
        (2, 990000001, "link", "https://en.wikipedia.org/wiki/Nowhere", "", "", "", ""),
        (3, 990000002, "ar", "تل تجربة", "", "", "", ""),
        (4, 990000002, "en", "Old Tajriba", "", "", "", "1"),  # historic: skipped
        (5, 163843, "abbr", "SyAR", "", "", "", ""),  # an embedded place (Syria) gains an abbreviation
        (6, 990009999, "en", "Unknown Place", "", "", "", ""),  # not in the index: skipped
    ]
    body = "".join("\t".join(map(str, r)) + "\t\t\n" for r in rows)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("alternateNamesV2.txt", body)
        zf.writestr("iso-languagecodes.txt", "ISO 639-3\tISO 639-2\tISO 639-1\tLanguage Name\n")
    return path
