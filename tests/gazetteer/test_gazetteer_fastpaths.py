"""The fast paths of the normalisation and of the GeoNames import give exactly what the general rules do.

``name_key`` has an ASCII shortcut and ``variant_forms`` a per-word memo; ``_name_key_general`` and
``_variant_forms_general`` are the same rules without them. They must agree on arbitrary Unicode text
and on every name of the embedded index (cities500 names and alternate names, countries, admin areas,
curated rows). The import is checked row for row against the general rules, in-process and in the
parsing child process.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from gazetteer_fixtures import geoname_line
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gazetteer import GazetteerInputError
from gazetteer import normalize as fast
from gazetteer.normalize import _name_key_general as general_key
from gazetteer.normalize import _variant_forms_general as general_forms
from gazetteer.imports import Importer, geonames_batches
from gazetteer.sources import ALT, NAME

# words and marks that exercise the special rules: articles, glued articles, digraphs, Arabic script
# fmt: off
_PIECES = st.sampled_from(
    [
        "al", "el", "Al-", "ad-", "ash", "Ez", "ezzor", "Ennaqoura", "assad", "Deir", "Dayr", "Zawr", "Shaykh",
        "Kh", "gh", "ou", "ee", "ie", "ck", "qu", "q", "aw", "ey", "ei", "eh", "ah", "ll", "ss", "Ain", "Idlib",
        "الموصل", "أطمة", "ال", "ة", "ى", "ـ", "ً", "Київ", "Aţmah", "Ḩamāh", "Straße", "’", "ʿ", "-", " ", ".",
        "'", "`", "1", "St.", "Ma`arrat", "an-Nu‘man", "Œ", "ﬁ", "Ⅻ", "東京", "é", "ʻ", "Ø",
    ]
)
# fmt: on
_TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(_PIECES, max_size=8).map("".join),
    st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=8).map(" ".join),
)


def _same(s: str) -> None:
    k = fast.name_key(s)
    assert k == general_key(s)
    assert fast.variant_forms(k) == general_forms(k)
    assert fast.variant_forms(s) == general_forms(s)  # also on text that is not a key


@settings(max_examples=600, deadline=None)
@given(_TEXT)
@example("Deir Ezzor")
@example("al ennaqoura shaykh")
@example("ال")
@example("الاب foo")
@example("aassa")
def test_fast_normalisation_equals_the_general_rules(s: str) -> None:
    _same(s)


def test_fast_normalisation_equals_the_general_rules_on_the_indexed_names(gz) -> None:
    """Every main name of the embedded index (cities500, countries, admin areas, curated rows) and every
    tenth alternate name (all ~1.07 M cities500 names and alternate names were checked once, see
    docs/bench-gazetteer.md; the whole list takes ~1 min here)."""
    conn = sqlite3.connect(f"file:{gz.path}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT n.name FROM names n JOIN sources s ON s.id = n.src "
                "WHERE n.name IS NOT NULL AND (n.kind = 0 OR n.rowid % 10 = 0)"
            )
        ]
        from_cities500 = conn.execute(
            "SELECT count(*) FROM names n JOIN sources s ON s.id = n.src "
            "WHERE s.text LIKE 'GeoNames cities500%' AND n.kind = 0"
        ).fetchone()[0]
    finally:
        conn.close()
    assert len(names) > 250_000 and from_cities500 > 200_000
    assert sum(not n.isascii() for n in names) > 30_000  # Arabic, Cyrillic, CJK, Latin with diacritics …
    keys: dict[str, None] = {}
    bad = []
    for n in names:
        k = fast.name_key(n)
        if k != general_key(n):
            bad.append(n)
        keys[k] = None
    assert not bad, bad[:10]
    bad = [k for k in keys if fast.variant_forms(k) != general_forms(k)]
    assert not bad, bad[:10]


# --------------------------------------------------------------------------- import rows

# fmt: off
ROWS = [
    # gid, name, asciiname, alternates, lat, lon, fclass, fcode, cc, admin1, pop
    (990100001, "Aţmah", "Atmah", ["Atmeh", "Atme", "أطمة", "Atmeh", "ATMAH", ""], 36.31, 36.66, "P", "PPL", "SY", "12", 5000),
    (990100002, "Dayr az Zawr", "Dayr az Zawr", ["Deir ez-Zor", "دير الزور", "Deir Ezzor"], 35.33, 40.14, "P", "PPLA", "SY", "06", 242565),
    (990100003, "Wadi Namudhaj", "", [], 36.25, 36.6, "H", "WAD", "SY", "12", 0),
    (990100004, "Київ", "Kyiv", ["Kiev", "Kyjiv", "Київ"], 50.45, 30.52, "P", "PPLC", "UA", "12", 2797553),
    (990100005, "...", "", ["‘", "Qaryat ’Ikhtibar"], 36.29, 36.67, "P", "PPL", "SY", "12", 10),
    (990100006, "Atmeh", "Atmeh", ["Atmeh"], 36.30, 36.65, "P", "PPL", "SY", "12", 7),
]
# fmt: on


def _write(path: Path, rows=ROWS, extra: str = "") -> Path:
    body = "".join(geoname_line(*r) for r in rows) + extra
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("XX.txt", body)
    else:
        path.write_text(body, encoding="utf-8")
    return path


def _expected_names(rows, sid: int) -> list[tuple]:
    """The names rows of the reference rules: every name under its distinct exact key once, main name first."""
    out = []
    for gid, name, ascii_, alts, _lat, _lon, _fcl, _fcode, cc, _a1, pop in rows:
        named = (
            [(name, NAME)]
            + ([(ascii_, ALT)] if ascii_ and ascii_ != name else [])
            + [(a, ALT) for a in alts if a]
        )
        best: dict[str, tuple[int, str]] = {}
        for n, kind in named:
            k = general_key(n)
            if k and (k not in best or kind < best[k][0]):
                best[k] = (kind, n)
        for k, (kind, n) in best.items():
            lo, sk = general_forms(k)
            out.append(
                (
                    k,
                    sk if sk and sk != k else None,
                    f"geonames:{gid}",
                    n,
                    kind,
                    cc,
                    pop,
                    sid,
                    lo if lo and lo != k else None,
                )
            )
    return out


def test_geonames_batches_follow_the_reference_rules(tmp_path: Path) -> None:
    f = _write(tmp_path / "XX.txt")
    got_places, got_names, rows = [], [], 0
    for places, names, n, _skipped in geonames_batches(
        str(f), None, 7, {("SY", "12"): "Idlib"}, batch_rows=2
    ):
        got_places += places
        got_names += names
        rows += n
    assert rows == len(ROWS) and len(got_places) == len(ROWS)
    assert got_names == _expected_names(ROWS, 7)
    atmah = got_places[0]
    assert atmah == (
        "geonames:990100001",
        990100001,
        "Aţmah",
        36.31,
        36.66,
        "SY",
        "12",
        "Idlib",
        "P",
        "PPL",
        5000,
        7,
    )
    assert got_places[3][7] == "" and got_places[3][10] == 2797553  # no admin1 name known for UA.12


@pytest.mark.parametrize("worker", [False, True])
def test_import_writes_the_reference_rows_in_process_and_in_the_child(
    tiny_index: Path, tmp_path: Path, worker: bool
) -> None:
    f = _write(tmp_path / "XX.zip")
    st_ = Importer(tiny_index).import_geonames(f, feature_classes="P", worker=worker)
    assert (st_.rows, st_.places, st_.skipped) == (6, 5, 1)
    conn = sqlite3.connect(tiny_index.with_name("gazetteer-imports.sqlite"))
    (sid,) = conn.execute("SELECT id FROM sources WHERE file = 'XX.zip'").fetchone()
    got = conn.execute(
        "SELECT key, skel, place, name, kind, cc, pop, src, loose FROM names ORDER BY rowid"
    ).fetchall()
    assert got == _expected_names([r for r in ROWS if r[6] == "P"], sid)
    assert st_.names == len(got)
    fz = {r[0] for r in conn.execute("SELECT key FROM fz")}
    assert fz == {k for k, *_ in got if len(k) >= 4 and k.isascii()}
    assert conn.execute("SELECT rows FROM sources WHERE id = ?", (sid,)).fetchone()[0] == 5


def test_bad_row_in_the_child_names_file_and_line_and_rolls_back(tiny_index: Path, tmp_path: Path) -> None:
    f = _write(tmp_path / "XX.txt", extra="990100099\tBroken\n")
    with pytest.raises(GazetteerInputError, match=r"XX\.txt:7: expected 19 tab-separated columns.*got 2"):
        Importer(tiny_index).import_geonames(f, worker=True)
    conn = sqlite3.connect(tiny_index.with_name("gazetteer-imports.sqlite"))
    assert conn.execute("SELECT count(*) FROM places").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM names").fetchone()[0] == 0


def test_build_in_the_writer_process_equals_the_in_process_build(tmp_path: Path) -> None:
    from gazetteer.build import build_embedded
    from gazetteer.sources import curated_records

    recs = list(curated_records())
    a, b = tmp_path / "a" / "gazetteer.sqlite", tmp_path / "b" / "gazetteer.sqlite"
    meta_a = build_embedded(a, records=recs, writer_process=False)
    meta_b = build_embedded(b, records=recs, writer_process=True)
    assert (
        (meta_a["places"], meta_a["names"])
        == (meta_b["places"], meta_b["names"])
        == (str(len(recs)), meta_a["names"])
    )
    for q in (
        "SELECT * FROM places ORDER BY rowid",
        "SELECT * FROM names ORDER BY rowid",
        "SELECT * FROM fz ORDER BY 1, 2, 3",
        "SELECT id, text, kind, file, rows FROM sources ORDER BY id",  # not the time added
        "SELECT name, sql FROM sqlite_master ORDER BY name",
    ):
        rows_a = sqlite3.connect(a).execute(q).fetchall()
        assert rows_a and rows_a == sqlite3.connect(b).execute(q).fetchall(), q


def test_writer_process_failure_is_one_clear_error(tmp_path: Path) -> None:
    from gazetteer.build import build_embedded
    from gazetteer.errors import GazetteerDataError
    from gazetteer.sources import Record

    bad = [Record("x:1", None, "X", 1.0, 2.0, "SY", "", "", "P", "PPL", 0, "test", [(12345, 0)])]  # not a str
    with pytest.raises(GazetteerDataError, match=r"writer process: AttributeError: 'int' object") as exc:
        build_embedded(tmp_path / "gazetteer.sqlite", records=bad, writer_process=True)
    assert "\n" not in str(exc.value)
    assert not (tmp_path / "gazetteer.sqlite").exists()


@pytest.mark.parametrize("owners", [(0,), (0, 1), (-1, 0, 0), (0, -1, 1), (-1,)])
def test_parsing_children_share_the_blocks_and_keep_the_file_order(
    tmp_path: Path, owners: tuple[int, ...]
) -> None:
    from gazetteer.imports import _batches_in_worker

    rows = [
        (
            990200000 + i,
            f"Tall {i}",
            "",
            [f"Tell {i}"] if i % 3 else [],
            36.0,
            36.0,
            "P",
            "PPL",
            "SY",
            "12",
            i,
        )
        for i in range(23)
    ]
    f = _write(tmp_path / "XX.txt", rows, extra="\n")  # a blank last line
    args = (str(f), None, 3, {})
    inline = list(geonames_batches(*args, batch_rows=4))
    seen: list[int] = []
    children = list(_batches_in_worker(args, lambda n, total: seen.append(n), owners=owners, batch_rows=4))
    assert len(inline) == len(children) == 6
    assert children == inline
    assert [p[0][1] for p, _n, _r, _s in children] == [990200000 + 4 * i for i in range(6)]
    assert seen and seen[-1] == f.stat().st_size


def test_the_first_bad_row_is_reported_whichever_child_finds_it(tmp_path: Path) -> None:
    from gazetteer.imports import _batches_in_worker

    rows = [(990300000 + i, f"Tall {i}", "", [], 36.0, 36.0, "P", "PPL", "SY", "12", i) for i in range(12)]
    lines = [geoname_line(*r) for r in rows]
    lines[9] = lines[9].replace("\t36.00000\t", "\tnorth\t", 1)  # block 2 (child 0 of 2)
    lines[6] = "broken\n"  # block 1 (child 1 of 2): earlier in the file, reported first
    f = tmp_path / "XX.txt"
    f.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(GazetteerInputError, match=r"XX\.txt:7: expected 19"):
        list(_batches_in_worker((str(f), None, 3, {}), None, owners=(0, 1), batch_rows=4))
    with pytest.raises(GazetteerInputError, match=r"XX\.txt:7: expected 19"):  # block 1 parsed here
        list(_batches_in_worker((str(f), None, 3, {}), None, owners=(0, -1), batch_rows=4))
