"""Imports the user runs on files they obtained: GeoNames dumps, GeoNames alternate names, CSV gazetteers.

Imported places and names go to ``gazetteer-imports.sqlite`` beside the index. That file is
never touched by the automatic rebuilds of the embedded index and is attached at query
time, so imports persist. Files are streamed row by row (constant memory); a bad row stops
the import with the file name, line and problem, and the whole file's import is rolled back.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from gazetteer.build import SCHEMA_VERSION, IndexWriter, connect_rw, file_lock
from gazetteer.errors import GazetteerDataError, GazetteerInputError
from gazetteer.normalize import NORMALIZE_VERSION, name_key, variant_forms
from gazetteer.sources import ABBR, ALT, NAME, Record

GEONAMES_URL_BASE = "https://download.geonames.org/export/dump/"
GEONAMES_COLUMNS = 19
#: alternate-name "languages" that are not names (links, postcodes, airport codes, …)
_ALT_SKIP = {"link", "post", "iata", "icao", "faac", "tcid", "unlc", "wkdt", "fr_1793"}

Progress = Callable[[int, int], None]  # (bytes read, total bytes)


@dataclass
class ImportStats:
    file: str
    kind: str  # "geonames" | "alternatenames" | "csv"
    rows: int = 0
    places: int = 0
    names: int = 0
    skipped: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class CsvColumns:
    """Column names of a CSV gazetteer (e.g. an OCHA place-code list)."""

    name: str = "name"
    alt: str | None = None
    lat: str = "lat"
    lon: str = "lon"
    country: str | None = None
    admin1: str | None = None
    id: str | None = None
    alt_sep: str = "|;"
    default_country: str | None = None  # for files without a country column


class _Counting(io.RawIOBase):
    """Wraps a binary stream and reports the bytes read (for the progress bar)."""

    def __init__(self, raw: IO[bytes], total: int, progress: Progress | None) -> None:
        self.raw, self.total, self.progress, self.n = raw, total, progress, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        data = self.raw.read(len(b))
        k = len(data)
        b[:k] = data
        self.n += k
        if self.progress:
            self.progress(self.n, self.total)
        return k


@contextmanager
def open_text(path: Path, progress: Progress | None = None) -> Iterator[tuple[IO[str], str]]:
    """Open a ``.txt``/``.csv`` file or the data member of a GeoNames ``.zip`` as text; yields (stream, member name)."""
    if not path.exists():
        raise GazetteerInputError(f"{path}: no such file")
    if path.suffix.lower() == ".zip":
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise GazetteerInputError(f"{path}: not a readable zip file ({exc}); download it again") from exc
        with zf:
            members = [
                i
                for i in zf.infolist()
                if i.filename.endswith((".txt", ".csv"))
                and Path(i.filename).name.lower() not in ("readme.txt", "iso-languagecodes.txt")
            ]
            if not members:
                raise GazetteerInputError(
                    f"{path}: the zip holds no .txt/.csv data file (found: "
                    f"{', '.join(zf.namelist()) or 'nothing'})"
                )
            info = max(members, key=lambda i: i.file_size)
            with zf.open(info) as raw:
                counted = io.BufferedReader(_Counting(raw, info.file_size, progress), 1 << 20)
                yield io.TextIOWrapper(counted, encoding="utf-8-sig", newline=""), info.filename
    else:
        with path.open("rb") as raw:
            counted = io.BufferedReader(_Counting(raw, path.stat().st_size, progress), 1 << 20)
            yield io.TextIOWrapper(counted, encoding="utf-8-sig", newline=""), path.name


def detect_kind(path: Path) -> str:
    """``geonames`` (19-column dump), ``alternatenames`` (alternateNames[V2]) or ``csv``."""
    low = path.name.lower()
    if "alternatename" in low:
        return "alternatenames"
    if low.endswith(".csv"):
        return "csv"
    with open_text(path) as (fh, member):
        if member.lower().endswith(".csv"):
            return "csv"
        if "alternatename" in member.lower():
            return "alternatenames"
        first = fh.readline()
    n = len(first.rstrip("\r\n").split("\t"))
    if n == GEONAMES_COLUMNS:
        return "geonames"
    if 4 <= n <= 10 and first.split("\t")[0].isdigit():
        return "alternatenames"
    raise GazetteerInputError(
        f"{path}: line 1 has {n} tab-separated columns; a GeoNames dump has {GEONAMES_COLUMNS} and an "
        "alternateNames file 4–10. For a CSV gazetteer use a .csv file and --name-col/--lat-col/--lon-col"
    )


#: GeoNames dumps at least this large are parsed in a second process (see ``Importer.import_geonames``)
WORKER_MIN_BYTES = 16 << 20
#: who parses each block of a cycle of blocks of lines: a child process (0, 1, …) or the importing
#: process itself (-1), which also writes SQLite. Default: one child parses everything. Measured on
#: 2 cores (2 M rows): giving the importing process 1 block in 5 was slower (75.6 vs 67.8 s; it reads
#: the whole file too and its memo is smaller), and so were two children (3 processes on 2 cores).
PARSE_OWNERS: tuple[int, ...] = (0,)
_BATCH_ROWS = 20_000
_MEMO_MAX = 200_000  # names memoised per generation of _Memo (bounded: memory stays flat on any file)


def geonames_batches(
    path: str,
    feature_classes: str | None,
    sid: int,
    admin1: dict[tuple[str, str], str],
    progress: Progress | None = None,
    batch_rows: int = _BATCH_ROWS,
    part: int | tuple[int, ...] = 0,
    parts: int = 1,
    memo_size: int | None = None,
) -> Iterator[tuple[list[tuple], list[tuple], int, int]]:
    """Parse and normalise a GeoNames dump in batches: ``(place rows, name rows, rows read, rows skipped)``.

    One batch per block of ``batch_rows`` lines; with ``parts`` > 1 only the blocks whose number
    modulo ``parts`` is ``part`` (or in ``part``) are parsed (the others are read past), so that
    several processes can share a file and their batches be written in file order by taking them in turn.

    Place rows are the 12 columns of ``places``, name rows the 9 of ``names`` (in ``IndexWriter``
    order: key, skeleton, place, name, kind, cc, pop, src, loose), each name of a place under its
    distinct exact key once (the main name first). Names repeat heavily in GeoNames: their keys are
    memoised (bounded).
    """
    keep = set(feature_classes.upper()) if feature_classes else None
    memo = _Memo(memo_size or _MEMO_MAX)
    own = {part} if isinstance(part, int) else set(part)
    p = Path(path)
    with open_text(p, progress) as (fh, member):
        places: list[tuple] = []
        names: list[tuple] = []
        rows = skipped = 0
        block, mine = -1, False
        for line_no, line in enumerate(fh, 1):
            if line_no > (block + 1) * batch_rows:  # the first line of the next block
                if mine:
                    yield places, names, rows, skipped
                    places, names, rows, skipped = [], [], 0, 0
                block += 1
                mine = block % parts in own
            if not mine:
                continue
            cols = line.split("\t")  # the last column (modification date) keeps the line end: unused
            if len(cols) != GEONAMES_COLUMNS:
                if not line.strip():
                    continue
                raise GazetteerInputError(
                    f"{p}:{line_no}: expected {GEONAMES_COLUMNS} tab-separated columns of a GeoNames "
                    f"dump ({member}), got {len(cols)}; check that this is an unmodified GeoNames file"
                )
            rows += 1
            if keep is not None and cols[6] not in keep:
                skipped += 1
                continue
            try:
                gid = int(cols[0])
                lat, lon = float(cols[4]), float(cols[5])
                pop = int(cols[14] or 0)
            except ValueError as exc:
                raise GazetteerInputError(
                    f"{p}:{line_no}: bad number in a GeoNames row ({exc}); expected geonameid, "
                    "latitude, longitude and population as numbers"
                ) from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise GazetteerInputError(f"{p}:{line_no}: coordinates out of range: lat {lat}, lon {lon}")
            name, cc, a1 = cols[1], cols[8], cols[10]
            pid = f"geonames:{gid}"
            places.append(
                (pid, gid, name, lat, lon, cc, a1, admin1.get((cc, a1), ""), cols[6], cols[7], pop, sid)
            )
            # the place's names: main name (NAME), then ASCII name and alternate names (ALT); one row per exact key
            f = memo.get(name) or memo.add(name)
            k = f[0]
            if k:
                names.append((k, f[1], pid, name, NAME, cc, pop, sid, f[2]))
            asc, alts = cols[2], cols[3]
            if alts or (asc and asc != name):
                seen = {k}
                for n in [asc, *alts.split(",")] if asc and asc != name else alts.split(","):
                    if n:
                        f = memo.get(n) or memo.add(n)
                        k = f[0]
                        if k and k not in seen:
                            seen.add(k)
                            names.append((k, f[1], pid, n, ALT, cc, pop, sid, f[2]))
        if mine:
            yield places, names, rows, skipped


class _Memo:
    """Keys of names, ``name → (key, skeleton or None, loose or None)`` (None where equal to the key).

    Bounded in two generations: when the current dict is full it becomes the old one (and the
    previous old one is dropped), so frequent names stay memoised while memory stays flat.
    """

    def __init__(self, size: int = _MEMO_MAX) -> None:
        self.size = size
        self.new: dict[str, tuple[str, str | None, str | None]] = {}
        self.old: dict[str, tuple[str, str | None, str | None]] = {}
        self.get = self.new.get

    def add(self, name: str) -> tuple[str, str | None, str | None]:
        """The forms of a name missing from the current generation (from the old one, or computed)."""
        f = self.old.get(name)
        if f is None:
            k = name_key(name)
            lo, sk = variant_forms(k) if k else ("", "")
            f = (k, sk if sk and sk != k else None, lo if lo and lo != k else None)
        if len(self.new) >= self.size:
            self.old, self.new = self.new, {}
            self.get = self.new.get
        self.new[name] = f
        return f


def _worker_cli() -> None:
    """Child process of a GeoNames import (``python -c``): reads its arguments as JSON on stdin,
    parses and normalises, and writes length-prefixed pickled batches (with the bytes read) to stdout."""
    import gc
    import json
    import pickle
    import sys

    gc.disable()  # a short-lived child that makes no reference cycles: no collector passes over its batches
    a = json.loads(sys.stdin.read())
    args = (a["path"], a["feature_classes"], a["sid"], {(cc, a1): n for cc, a1, n in a["admin1"]})
    out = sys.stdout.buffer
    read = [0, 0]

    def progress(n: int, total: int) -> None:
        read[0], read[1] = n, total

    def send(msg: tuple) -> None:
        data = pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(len(data).to_bytes(8, "little"))
        out.write(data)

    try:
        for batch in geonames_batches(
            *args, progress=progress, batch_rows=a["batch_rows"], part=tuple(a["part"]), parts=a["parts"]
        ):
            send(("rows", batch, read[0], read[1]))
        send(("done",))
    except GazetteerInputError as exc:
        send(("error", str(exc)))
    except Exception as exc:  # noqa: BLE001 - reported by the parent as one line
        send(("fail", f"{type(exc).__name__}: {exc}"))
    out.flush()


def _batches_in_worker(
    args: tuple,
    progress: Progress | None,
    owners: tuple[int, ...] = (0,),
    batch_rows: int = _BATCH_ROWS,
) -> Iterator[tuple[list, list, int, int]]:
    """:func:`geonames_batches` shared between child processes and this one, in file order.

    Blocks of ``batch_rows`` lines are dealt in a cycle: block ``b`` is parsed by child
    ``owners[b % len(owners)]``, or here when that is ``-1`` (this process also writes SQLite, so it
    takes a smaller share). Plain ``python -c`` children (not ``multiprocessing``), so that callers need
    no ``__main__`` guard; the pipes' buffers bound what waits between the processes (memory stays flat).
    """
    import json
    import pickle
    import subprocess
    import sys
    import tempfile

    path, feature_classes, sid, admin1 = args
    cycle = len(owners)
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    procs: list[tuple[subprocess.Popen, IO[bytes]]] = []
    mine = tuple(i for i, o in enumerate(owners) if o == -1)
    here = (
        geonames_batches(
            *args, progress=progress, batch_rows=batch_rows, part=mine, parts=cycle, memo_size=_MEMO_MAX // 4
        )
        if mine
        else None
    )
    try:
        for child in range(max(owners) + 1):
            err = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
            proc = subprocess.Popen(
                [sys.executable, "-c", "from gazetteer.imports import _worker_cli; _worker_cli()"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                env=env,
            )
            procs.append((proc, err))
            assert proc.stdin is not None
            proc.stdin.write(
                json.dumps(
                    {
                        "path": path,
                        "feature_classes": feature_classes,
                        "sid": sid,
                        "admin1": [[cc, a1, n] for (cc, a1), n in admin1.items()],
                        "part": [i for i, o in enumerate(owners) if o == child],
                        "parts": cycle,
                        "batch_rows": batch_rows,
                    }
                ).encode()
            )
            proc.stdin.close()
        block = 0
        while True:
            owner = owners[block % cycle]
            block += 1
            if owner == -1:
                assert here is not None
                batch = next(here, None)
                if batch is None:  # the file ended before this block
                    break
                yield batch
                continue
            proc, err = procs[owner]
            assert proc.stdout is not None
            head = proc.stdout.read(8)
            if len(head) < 8:
                proc.wait()
                err.seek(0)
                tail = (err.read().decode(errors="replace").strip().splitlines() or ["no output"])[-1]
                raise GazetteerDataError(
                    f"{path}: the parsing process stopped unexpectedly (exit code {proc.returncode}: "
                    f"{tail}); try again, or import with worker=False"
                )
            msg = pickle.loads(proc.stdout.read(int.from_bytes(head, "little")))
            if msg[0] == "rows":
                if progress and here is None:
                    progress(msg[2], msg[3])
                yield msg[1]
            elif msg[0] == "error":
                raise GazetteerInputError(msg[1])
            elif msg[0] == "fail":
                raise GazetteerDataError(f"{path}: parsing failed: {msg[1]}")
            else:  # "done": the file ended before this block
                break
    finally:
        for proc, err in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            err.close()


class Importer:
    """Writes imports into ``gazetteer-imports.sqlite`` (one transaction per file)."""

    def __init__(self, index_path: Path) -> None:
        from gazetteer.index import ensure_index, imports_path_for

        self.index_path = Path(index_path)
        ensure_index(self.index_path)
        self.path = imports_path_for(self.index_path)
        self._admin1 = self._admin1_names()

    def _admin1_names(self) -> dict[tuple[str, str], str]:
        conn = sqlite3.connect(f"file:{self.index_path}?mode=ro", uri=True)
        try:
            return {
                (cc, a1): name
                for cc, a1, name in conn.execute("SELECT cc, a1, name FROM places WHERE fcode = 'ADM1'")
            }
        finally:
            conn.close()

    @contextmanager
    def _writer(self, source: str, kind: str, file: str) -> Iterator[IndexWriter]:
        with file_lock(self.path.with_name(self.path.name + ".lock")):
            conn = connect_rw(self.path)
            conn.isolation_level = None  # explicit transactions: one per imported file
            try:
                conn.execute("BEGIN")
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('normalize', ?)", (str(NORMALIZE_VERSION),))
                self._forget(conn, file, kind)
                w = IndexWriter(conn)
                w.default_src = w.source_id(source, kind, file)
                yield w
                w.finish()
            except BaseException:
                conn.rollback()
                raise
            finally:
                conn.close()

    @staticmethod
    def _forget(conn: sqlite3.Connection, file: str, kind: str) -> None:
        """Re-importing a file replaces what it imported before."""
        for (sid,) in conn.execute(
            "SELECT id FROM sources WHERE file = ? AND kind = ?", (file, kind)
        ).fetchall():
            conn.execute("DELETE FROM names WHERE src = ?", (sid,))
            conn.execute("DELETE FROM places WHERE src = ?", (sid,))
            conn.execute("DELETE FROM sources WHERE id = ?", (sid,))

    # ------------------------------------------------------------------ GeoNames dumps

    def import_geonames(
        self,
        path: Path,
        progress: Progress | None = None,
        feature_classes: str | None = None,
        worker: bool | None = None,
    ) -> ImportStats:
        """Import a GeoNames dump (``allCountries.zip``, ``SY.zip``, ``cities500.txt``, …).

        ``worker``: parse and normalise in a child process (see :data:`PARSE_OWNERS`) while this one
        writes SQLite (default: for files over :data:`WORKER_MIN_BYTES`); the rows are the same either way.
        """
        path = Path(path)
        st = ImportStats(path.name, "geonames")
        t0 = time.perf_counter()
        source = f"GeoNames dump {path.name} (imported {time.strftime('%Y-%m-%d')}, CC BY 4.0)"
        if worker is None:
            worker = path.exists() and path.stat().st_size >= WORKER_MIN_BYTES and (os.cpu_count() or 1) > 1
        with self._writer(source, "geonames", path.name) as w:
            sid = w.default_src
            args = (str(path), feature_classes, sid, self._admin1)
            batches = (
                _batches_in_worker(args, progress, PARSE_OWNERS)
                if worker
                else geonames_batches(*args, progress=progress)
            )
            for places, names, rows, skipped in batches:
                w.add_rows(places, names)
                st.rows += rows
                st.skipped += skipped
                st.places += len(places)
            st.names = w.names
        st.seconds = time.perf_counter() - t0
        return st

    def import_alternate_names(self, path: Path, progress: Progress | None = None) -> ImportStats:
        """Import GeoNames ``alternateNamesV2`` (or ``alternateNames``) rows for places already in the index.

        Names of places that are in neither the embedded index nor the imports are skipped
        (import the places first, e.g. ``SY.zip``, then the alternate names).
        """
        path = Path(path)
        st = ImportStats(path.name, "alternatenames")
        t0 = time.perf_counter()
        source = f"GeoNames alternate names {path.name} (imported {time.strftime('%Y-%m-%d')}, CC BY 4.0)"
        with (
            self._writer(source, "alternatenames", path.name) as w,
            open_text(path, progress) as (fh, member),
        ):
            conn = w.conn
            conn.execute("ATTACH DATABASE ? AS emb", (f"file:{self.index_path}?mode=ro",))
            # the places a name may attach to: (id → cc, pop), looked up per batch
            batch: list[tuple[int, str, int]] = []

            def flush() -> None:
                ids = sorted({f"geonames:{g}" for g, _, _ in batch})
                found: dict[str, tuple[str, int]] = {}
                for db in ("emb", "main"):
                    for i in range(0, len(ids), 900):
                        chunk = ids[i : i + 900]
                        q = f"SELECT id, cc, pop FROM {db}.places WHERE id IN ({','.join('?' * len(chunk))})"
                        for pid, cc, pop in conn.execute(q, chunk):
                            found[pid] = (cc, pop)
                for gid, name, kind in batch:
                    pid = f"geonames:{gid}"
                    if pid in found:
                        cc, pop = found[pid]
                        w.add_names(pid, [(name, kind)], cc or "", pop or 0)
                    else:
                        st.skipped += 1
                batch.clear()
                w.flush()

            for line_no, line in enumerate(fh, 1):
                cols = line.rstrip("\r\n").split("\t")
                if len(cols) < 4 or not cols[1].isdigit():
                    if not line.strip():
                        continue
                    raise GazetteerInputError(
                        f"{path}:{line_no}: expected a GeoNames alternateNames row (alternateNameId, geonameid, "
                        f"isolanguage, alternate name, …) in {member}, got {len(cols)} columns"
                    )
                st.rows += 1
                lang = cols[2]
                if lang in _ALT_SKIP or (len(cols) > 7 and cols[7] == "1"):  # not a name, or historic
                    st.skipped += 1
                    continue
                batch.append((int(cols[1]), cols[3], ABBR if lang == "abbr" else ALT))
                if len(batch) >= 20000:
                    flush()
            flush()
            st.names = w.names
        st.seconds = time.perf_counter() - t0
        return st

    # ------------------------------------------------------------------ CSV gazetteers

    def import_csv(self, path: Path, cols: CsvColumns, progress: Progress | None = None) -> ImportStats:
        """Import a CSV gazetteer with configurable columns (delimiter sniffed; HXL tag rows skipped)."""
        path = Path(path)
        st = ImportStats(path.name, "csv")
        t0 = time.perf_counter()
        source = f"CSV gazetteer {path.name} (imported {time.strftime('%Y-%m-%d')})"
        with self._writer(source, "csv", path.name) as w, open_text(path, progress) as (fh, _member):
            head = fh.readline()
            try:
                dialect = csv.Sniffer().sniff(head, delimiters=",;\t|")
            except csv.Error:
                dialect = csv.excel
            reader = csv.reader(fh, dialect)
            header = next(csv.reader([head], dialect), [])
            header = [h.strip() for h in header]
            want = {
                "name": cols.name,
                "lat": cols.lat,
                "lon": cols.lon,
                "alt": cols.alt,
                "country": cols.country,
                "admin1": cols.admin1,
                "id": cols.id,
            }
            idx: dict[str, int] = {}
            for role, col in want.items():
                if col is None:
                    continue
                if col not in header:
                    raise GazetteerInputError(
                        f"{path}:1: no column {col!r} (for --{role}-col); the columns are: {', '.join(header)}"
                    )
                idx[role] = header.index(col)
            if "country" not in idx and not cols.default_country:
                raise GazetteerInputError(
                    f"{path}: say which country the places are in: --country-col COLUMN or --country CC"
                )
            stem = path.stem
            for line_no, row in enumerate(reader, 2):
                if not row or not any(c.strip() for c in row):
                    continue
                if row[idx["lat"]].strip().startswith("#"):  # HXL hashtag row (OCHA lists)
                    continue
                st.rows += 1
                try:
                    name = row[idx["name"]].strip()
                    lat, lon = float(row[idx["lat"]]), float(row[idx["lon"]])
                except IndexError:
                    raise GazetteerInputError(
                        f"{path}:{line_no}: the row has {len(row)} fields, fewer than the header's {len(header)}"
                    ) from None
                except ValueError:
                    raise GazetteerInputError(
                        f"{path}:{line_no}: {cols.lat!r}/{cols.lon!r} must be decimal degrees, got "
                        f"{row[idx['lat']]!r}, {row[idx['lon']]!r}"
                    ) from None
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise GazetteerInputError(
                        f"{path}:{line_no}: coordinates out of range (lat {lat}, lon {lon}); are the "
                        "latitude and longitude columns swapped?"
                    )
                if not name:
                    st.skipped += 1
                    continue
                cc = row[idx["country"]].strip().upper() if "country" in idx else cols.default_country or ""
                a1 = row[idx["admin1"]].strip() if "admin1" in idx else ""
                rid = row[idx["id"]].strip() if "id" in idx else str(line_no)
                names = [(name, NAME)]
                if "alt" in idx and row[idx["alt"]].strip():
                    alts = row[idx["alt"]]
                    for sep in cols.alt_sep:
                        alts = alts.replace(sep, "\x00")
                    names += [(a.strip(), ALT) for a in alts.split("\x00") if a.strip()]
                w.add(
                    Record(
                        f"csv:{stem}:{rid}",
                        None,
                        name,
                        lat,
                        lon,
                        cc[:2],
                        a1,
                        self._admin1.get((cc, a1), a1),
                        "P",
                        "PPL",
                        0,
                        source,
                        names,
                    ),
                    kind="csv",
                    file=path.name,
                )
                st.places += 1
            st.names = w.names
        st.seconds = time.perf_counter() - t0
        return st

    def import_file(
        self,
        path: Path,
        csv_columns: CsvColumns | None = None,
        progress: Progress | None = None,
        feature_classes: str | None = None,
    ) -> ImportStats:
        kind = detect_kind(Path(path))
        if kind == "geonames":
            return self.import_geonames(path, progress, feature_classes)
        if kind == "alternatenames":
            return self.import_alternate_names(path, progress)
        return self.import_csv(path, csv_columns or CsvColumns(), progress)

    def clear(self) -> None:
        """Forget every import."""
        with file_lock(self.path.with_name(self.path.name + ".lock")):
            for p in (
                self.path,
                self.path.with_name(self.path.name + "-wal"),
                self.path.with_name(self.path.name + "-shm"),
            ):
                p.unlink(missing_ok=True)


def rekey_imports(path: Path) -> bool:
    """Recompute the keys of imported names after a change of the normalisation rules.

    Returns True when the imports file was re-keyed (its ``normalize`` version differed).
    """
    from gazetteer.normalize import name_key, variant_forms

    if not path.exists():
        return False
    with file_lock(path.with_name(path.name + ".lock")):
        conn = connect_rw(path)
        conn.isolation_level = None
        try:
            row = conn.execute("SELECT v FROM meta WHERE k = 'normalize'").fetchone()
            if row is not None and row[0] == str(NORMALIZE_VERSION):
                return False
            conn.execute("BEGIN")
            last = 0
            while True:
                rows = conn.execute(
                    "SELECT rowid, name FROM names WHERE rowid > ? ORDER BY rowid LIMIT 50000", (last,)
                ).fetchall()
                if not rows:
                    break
                upd = []
                for rid, name in rows:
                    k = name_key(name or "")
                    lo, sk = variant_forms(k)
                    upd.append((k, sk if sk and sk != k else None, lo if lo and lo != k else None, rid))
                conn.executemany("UPDATE names SET key = ?, skel = ?, loose = ? WHERE rowid = ?", upd)
                last = rows[-1][0]
            conn.execute("DELETE FROM fz")
            conn.execute(
                "INSERT OR IGNORE INTO fz SELECT DISTINCT substr(key, 1, 2), length(key), key FROM names "
                "WHERE length(key) >= 4 AND key NOT GLOB '*[^ -~]*' ORDER BY 1, 2, 3"
            )
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('normalize', ?)", (str(NORMALIZE_VERSION),))
            conn.execute("COMMIT")
            return True
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()


def download(
    name: str,
    dest_dir: Path,
    url_base: str = GEONAMES_URL_BASE,
    progress: Progress | None = None,
    timeout: float = 60.0,
) -> Path:
    """Fetch a GeoNames dump file (``SY`` → ``SY.zip``; ``allCountries``, ``alternateNamesV2`` …) into ``dest_dir``."""
    name = name.strip()
    if len(name) == 2 and name.isalpha():
        fname = f"{name.upper()}.zip"
    elif name.replace("_", "").replace("-", "").isalnum():
        fname = name if name.endswith((".zip", ".txt")) else f"{name}.zip"
    else:
        raise GazetteerInputError(
            f"download needs an ISO2 country code such as SY (or a GeoNames file name), got {name!r}"
        )
    url = url_base.rstrip("/") + "/" + fname
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / fname
    tmp = dest.with_name(dest.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp, tmp.open("wb") as out:
            total = int(resp.headers.get("Content-Length") or 0)
            n = 0
            while chunk := resp.read(1 << 20):
                out.write(chunk)
                n += len(chunk)
                if progress:
                    progress(n, total)
    except urllib.error.HTTPError as exc:
        tmp.unlink(missing_ok=True)
        raise GazetteerDataError(
            f"could not download {url}: HTTP {exc.code} {exc.reason}; check the code/file name"
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        tmp.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        raise GazetteerDataError(
            f"could not download {url}: {reason}; check the network or use --url-base"
        ) from None
    tmp.replace(dest)
    return dest
