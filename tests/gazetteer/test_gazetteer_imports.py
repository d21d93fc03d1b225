"""Imports (GeoNames dumps, alternate names, CSV), download from a local HTTP server, rebuild on source change.

These tests run on a small index built from the curated rows in a temporary cache dir
(``CONFLICTMAP_CACHE_DIR``), so they do not touch the user's default index.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sqlite3
import threading
import zipfile
from pathlib import Path

import pytest
from gazetteer_fixtures import geoname_line, write_alternate_names, write_country_zip

from gazetteer import Gazetteer, GazetteerDataError, GazetteerInputError
from gazetteer.imports import CsvColumns, Importer, detect_kind
from gazetteer.index import ensure_index, is_stale
from geo.cli import main


def test_geonames_dump_and_alternate_names(tiny_index: Path, tmp_path: Path) -> None:
    sy = write_country_zip(tmp_path / "SY.zip")
    alt = write_alternate_names(tmp_path / "alternateNamesV2.zip")
    assert detect_kind(sy) == "geonames" and detect_kind(alt) == "alternatenames"
    imp = Importer(tiny_index)
    st = imp.import_file(sy)
    assert (st.rows, st.places) == (3, 3)
    st2 = imp.import_file(alt)
    assert st2.rows == 6 and st2.names == 2  # link, historic and unknown-place rows skipped
    gz = Gazetteer.open(tiny_index)
    c = gz.candidates("Qaryat Ikhtibar")[0]
    assert (c.id, c.geonameid, c.feature_code, c.population) == ("geonames:990000001", 990000001, "PPL", 1200)
    assert (round(c.lat, 4), round(c.lon, 4)) == (36.2901, 36.6712)
    assert "GeoNames dump SY.zip" in c.source
    assert gz.candidates("قرية اختبار")[0].id == "geonames:990000001"
    via_alt = gz.candidates("Ikhtibar Village")[0]
    assert (via_alt.id, via_alt.match, via_alt.matched) == ("geonames:990000001", "exact", "Ikhtibar Village")
    assert gz.candidates("تل تجربة")[0].id == "geonames:990000002"
    assert gz.candidates("Old Tajriba", fuzzy=False) == []
    assert gz.candidates("Tell Tajribeh")[0].match == "variant"
    # nearest sees imported places too
    assert gz.nearest(36.2901, 36.6712)[0].id == "geonames:990000001"
    info = gz.info()
    assert info["imported_places"] == 3
    assert any(s["file"] == "SY.zip" and s["places"] == 3 for s in info["sources"])


def test_reimport_replaces_instead_of_duplicating(tiny_index: Path, tmp_path: Path) -> None:
    sy = write_country_zip(tmp_path / "SY.zip")
    imp = Importer(tiny_index)
    imp.import_file(sy)
    imp.import_file(sy)
    conn = sqlite3.connect(tiny_index.with_name("gazetteer-imports.sqlite"))
    assert conn.execute("SELECT count(*) FROM places").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM names WHERE key = 'qaryat ikhtibar'").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 1


def test_plain_txt_dump_and_feature_class_filter(tiny_index: Path, tmp_path: Path) -> None:
    from gazetteer_fixtures import PLACES

    txt = tmp_path / "SY.txt"
    txt.write_text("".join(geoname_line(*p) for p in PLACES), encoding="utf-8")
    st = Importer(tiny_index).import_file(txt, feature_classes="P")
    assert (st.places, st.skipped) == (2, 1)  # the wadi (class H) is left out


def test_bad_geonames_row_names_file_and_line_and_rolls_back(tiny_index: Path, tmp_path: Path) -> None:
    bad = write_country_zip(tmp_path / "SY.zip", extra_lines=["990000009\tBroken row\tonly four columns\n"])
    with pytest.raises(GazetteerInputError, match=r"SY\.zip:4: expected 19 tab-separated columns"):
        Importer(tiny_index).import_file(bad)
    imports = tiny_index.with_name("gazetteer-imports.sqlite")
    conn = sqlite3.connect(imports)
    assert conn.execute("SELECT count(*) FROM places").fetchone()[0] == 0  # nothing half-imported
    cols = [*geoname_line(990000010, "X", "X", [], 36.0, 36.0, "P", "PPL", "SY", "12", 0).split("\t")]
    cols[4] = "north"
    (tmp_path / "bad.txt").write_text("\t".join(cols), encoding="utf-8")
    with pytest.raises(GazetteerInputError, match=r"bad\.txt:1: bad number"):
        Importer(tiny_index).import_file(tmp_path / "bad.txt")
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(GazetteerInputError, match="junk.zip: not a readable zip"):
        Importer(tiny_index).import_file(tmp_path / "junk.zip")


OCHA_CSV = """admin3Name_en;admin3AltNames;latitude;longitude;admin0Pcode;admin1Name_en;admin3Pcode
#loc+name;#loc+name+alt;#geo+lat;#geo+lon;#country+code;#adm1+name;#loc+code
Kafr Ikhtibar;Kefr Ikhtibar|كفر اختبار;36.3005;36.6601;SY;Idlib;SY070001
Sahl Tajriba;;36.2801;36.6455;SY;Idlib;SY070002
"""


def test_csv_gazetteer_with_configured_columns(tiny_index: Path, tmp_path: Path) -> None:
    f = tmp_path / "ocha_sy.csv"
    f.write_text(OCHA_CSV, encoding="utf-8-sig")
    cols = CsvColumns(
        name="admin3Name_en",
        alt="admin3AltNames",
        lat="latitude",
        lon="longitude",
        country="admin0Pcode",
        admin1="admin1Name_en",
        id="admin3Pcode",
    )
    st = Importer(tiny_index).import_file(f, cols)
    assert (st.kind, st.rows, st.places) == ("csv", 2, 2)  # the HXL tag row is skipped
    gz = Gazetteer.open(tiny_index)
    c = gz.candidates("كفر اختبار")[0]
    assert (c.id, c.name, c.country_code, c.admin1_name) == (
        "csv:ocha_sy:SY070001",
        "Kafr Ikhtibar",
        "SY",
        "Idlib",
    )
    assert gz.candidates("Kefr Ikhtibar")[0].matched == "Kefr Ikhtibar"
    assert "CSV gazetteer ocha_sy.csv" in c.source


def test_csv_errors_are_clear(tiny_index: Path, tmp_path: Path) -> None:
    f = tmp_path / "places.csv"
    f.write_text("name,lat,lon\nTestville,36.1,north\n", encoding="utf-8")
    imp = Importer(tiny_index)
    with pytest.raises(GazetteerInputError, match="country"):
        imp.import_file(f, CsvColumns())
    with pytest.raises(GazetteerInputError, match=r"places\.csv:2: 'lat'/'lon' must be decimal degrees"):
        imp.import_file(f, CsvColumns(default_country="SY"))
    with pytest.raises(GazetteerInputError, match=r"no column 'latitude'.*name, lat, lon"):
        imp.import_file(f, CsvColumns(lat="latitude", default_country="SY"))
    f.write_text("name,lat,lon\nTestville,136.1,36.0\n", encoding="utf-8")
    with pytest.raises(GazetteerInputError, match="out of range"):
        imp.import_file(f, CsvColumns(default_country="SY"))


def test_cli_import_search_info_and_errors(tiny_index: Path, tmp_path: Path, capsys) -> None:
    sy = write_country_zip(tmp_path / "SY.zip")
    assert main(["gazetteer", "import", "--quiet", str(sy)]) == 0
    capsys.readouterr()
    assert main(["gazetteer", "search", "Tal Tajribeh", "--country", "SY", "--json"]) == 0
    import json

    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert first["id"] == "geonames:990000002" and first["match"] == "exact"
    for k in (
        "name",
        "matched",
        "score",
        "lat",
        "lon",
        "country_code",
        "admin1_name",
        "feature_class",
        "feature_code",
        "population",
        "source",
    ):
        assert k in first
    assert main(["gazetteer", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["imported_places"] == 3
    bad = tmp_path / "broken.txt"
    bad.write_text("1\t2\t3\n", encoding="utf-8")
    assert main(["gazetteer", "import", "--quiet", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "broken.txt" in err and "Traceback" not in err
    assert main(["gazetteer", "import", "--quiet", str(tmp_path / "missing.zip")]) == 1
    assert "missing.zip: no such file" in capsys.readouterr().err
    assert main(["gazetteer", "search", "Atmeh", "--near", "north"]) == 2
    assert "LAT,LON" in capsys.readouterr().err


@pytest.fixture()
def http_dir(tmp_path: Path):
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/export/dump/"
    server.shutdown()
    server.server_close()


def test_download_from_local_server(tiny_index: Path, http_dir, capsys) -> None:
    root, url = http_dir
    (root / "export" / "dump").mkdir(parents=True)
    write_country_zip(root / "export" / "dump" / "SY.zip")
    assert main(["gazetteer", "download", "sy", "--url-base", url, "--quiet"]) == 0
    assert (tiny_index.parent / "downloads" / "SY.zip").exists()
    gz = Gazetteer.open(tiny_index)
    assert gz.candidates("Qaryat Ikhtibar")[0].id == "geonames:990000001"
    capsys.readouterr()
    assert main(["gazetteer", "download", "YE", "--url-base", url, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "YE.zip" in err and "404" in err and "Traceback" not in err
    assert not (tiny_index.parent / "downloads" / "YE.zip").exists()


def test_rebuild_when_sources_change_keeps_imports(
    tiny_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gazetteer import build, sources

    Importer(tiny_index).import_file(write_country_zip(tmp_path / "SY.zip"))
    assert not is_stale(tiny_index)
    data = tmp_path / "data"
    shutil.copytree(sources.DATA_DIR, data)
    monkeypatch.setattr(sources, "DATA_DIR", data)
    monkeypatch.setattr(build, "embedded_records", lambda **kw: sources.curated_records())
    assert not is_stale(tiny_index)  # same content, same fingerprint
    with (data / "places.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            'curated:test-camp,Mukhayyam Ikhtibar,Ikhtibar camp,36.30,36.65,SY,12,S,CMPRF,0,"test row"\n'
        )
    assert is_stale(tiny_index)
    assert ensure_index(tiny_index, in_process=True) is True
    assert not is_stale(tiny_index) and ensure_index(tiny_index, in_process=True) is False
    gz = Gazetteer.open(tiny_index)
    assert gz.candidates("Ikhtibar camp")[0].id == "curated:test-camp"
    assert gz.candidates("Qaryat Ikhtibar")[0].id == "geonames:990000001"  # the import survived


def test_corrupt_index_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gazetteer import build, sources

    monkeypatch.setattr(build, "embedded_records", lambda **kw: sources.curated_records())
    p = tmp_path / "gazetteer.sqlite"
    p.write_bytes(b"this is not sqlite")
    assert is_stale(p)
    assert ensure_index(p, in_process=True)
    assert Gazetteer(p).candidates("Atmeh")[0].id == "curated:atmeh"


def test_unusable_index_path_is_a_clear_error(tmp_path: Path, capsys) -> None:
    # a path whose parent is a file cannot hold an index: a clear error, not a traceback
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(GazetteerDataError, match="CONFLICTMAP_CACHE_DIR"):
        Gazetteer.open(blocker / "gazetteer.sqlite")
    assert main(["gazetteer", "--index", str(blocker / "gazetteer.sqlite"), "search", "Atmeh"]) == 1
    err = capsys.readouterr().err
    assert "gazetteer.sqlite" in err and "Traceback" not in err


def test_zip_without_data_member(tiny_index: Path, tmp_path: Path) -> None:
    z = tmp_path / "empty.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("readme.txt", "nothing here")
    with pytest.raises(GazetteerInputError, match="holds no .txt/.csv data file"):
        Importer(tiny_index).import_file(z)


def test_concurrent_first_use_builds_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time as _time

    from gazetteer import build, index, sources

    calls = []
    real = build.build_embedded

    def slow_build(path, progress=None):
        calls.append(path)
        _time.sleep(0.3)
        return real(path, records=list(sources.curated_records()))

    monkeypatch.setattr(index, "build_embedded", slow_build)
    p = tmp_path / "gazetteer.sqlite"
    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda: results.append(ensure_index(p, in_process=True))) for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, True] and len(calls) == 1
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary build file was renamed into place


def test_imports_are_rekeyed_when_normalisation_changes(tiny_index: Path, tmp_path: Path) -> None:
    Importer(tiny_index).import_file(write_country_zip(tmp_path / "SY.zip"))
    imports = tiny_index.with_name("gazetteer-imports.sqlite")
    conn = sqlite3.connect(imports)
    # simulate an import made under older rules: stale keys and an older version number
    conn.execute("UPDATE names SET key = 'stale ' || key, skel = NULL, loose = NULL")
    conn.execute("UPDATE meta SET v = '0' WHERE k = 'normalize'")
    conn.commit()
    conn.close()
    assert Gazetteer(tiny_index).candidates("Qaryat Ikhtibar", fuzzy=False) == []
    gz = Gazetteer.open(tiny_index)  # notices the version and re-keys
    assert gz.candidates("Qaryat Ikhtibar")[0].id == "geonames:990000001"
    assert gz.candidates("Qaryet Ikhtibaar")[0].match == "variant"
