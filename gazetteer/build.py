"""Writing the SQLite index: the schema, a streaming writer, and the build of the embedded default.

The same schema serves the embedded index (``gazetteer.sqlite``, rebuilt whenever its
sources change) and the user's imports (``gazetteer-imports.sqlite``, kept across
rebuilds and attached at query time). Builds go to a temporary file that is renamed
into place, under a lock file, so that concurrent first uses are safe.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from gazetteer.normalize import NORMALIZE_VERSION, name_key, variant_forms
from gazetteer.sources import Record, embedded_records, fingerprint_parts

SCHEMA_VERSION = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS sources(id INTEGER PRIMARY KEY, text TEXT UNIQUE, kind TEXT, file TEXT,
    rows INTEGER DEFAULT 0, added TEXT);
CREATE TABLE IF NOT EXISTS places(id TEXT PRIMARY KEY, geonameid INTEGER, name TEXT, lat REAL, lon REAL,
    cc TEXT, a1 TEXT, a1name TEXT, fclass TEXT, fcode TEXT, pop INTEGER, src INTEGER);
CREATE TABLE IF NOT EXISTS names(key TEXT NOT NULL, skel TEXT, place TEXT NOT NULL, name TEXT, kind INTEGER,
    cc TEXT, pop INTEGER, src INTEGER, loose TEXT);
CREATE TABLE IF NOT EXISTS fz(block TEXT, n INTEGER, key TEXT, PRIMARY KEY(block, n, key)) WITHOUT ROWID;
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS names_key ON names(key, pop DESC);
CREATE INDEX IF NOT EXISTS names_skel ON names(skel, pop DESC) WHERE skel IS NOT NULL;
CREATE INDEX IF NOT EXISTS names_loose ON names(loose, pop DESC) WHERE loose IS NOT NULL;
CREATE INDEX IF NOT EXISTS places_lat ON places(lat);
"""

Progress = Callable[[int], None]
_FORMS_MAX = 500_000  # names whose keys are memoised by a writer (names repeat across places)


def fuzzy_block(key: str) -> str:
    """Fuzzy candidates share the first two characters of the key (and a similar length); see ``finish``."""
    return key[:2]


def fingerprint() -> str:
    """Hash of every embedded source's version/file hash and of the index format."""
    parts = fingerprint_parts() | {"schema": str(SCHEMA_VERSION), "normalize": str(NORMALIZE_VERSION)}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def connect_rw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    # the embedded index is built in a temporary file (no journal needed); imports keep a rollback journal
    conn.execute(
        "PRAGMA journal_mode=DELETE" if path.name.endswith("-imports.sqlite") else "PRAGMA journal_mode=OFF"
    )
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache: faster index builds, bounded memory
    if not path.name.endswith("-imports.sqlite"):
        conn.execute("PRAGMA temp_store=MEMORY")  # the embedded build sorts in memory; imports sort on disk
    conn.executescript(SCHEMA)
    cols = {r[1] for r in conn.execute("PRAGMA table_info(names)")}
    if "loose" not in cols:  # an imports file from before the loose key (re-keyed on next open)
        conn.execute("ALTER TABLE names ADD COLUMN loose TEXT")
        conn.commit()
    return conn


class IndexWriter:
    """Streams records into an index in batches (constant memory)."""

    def __init__(self, conn: sqlite3.Connection, batch: int = 20000) -> None:
        self.conn = conn
        self.batch = batch
        self._places: list[tuple] = []
        self._names: list[tuple] = []
        self._src: dict[str, int] = {r[1]: r[0] for r in conn.execute("SELECT id, text FROM sources")}
        self._src_rows: dict[int, int] = {}
        self.default_src: int | None = None  # source of names added without a place
        self._forms: dict[str, tuple[str, str | None, str | None]] = {}  # name → (key, skeleton, loose)
        self._first_rowid = conn.execute("SELECT coalesce(max(rowid), 0) FROM names").fetchone()[0]
        self.places = 0
        self.names = 0

    def source_id(self, text: str, kind: str = "embedded", file: str = "") -> int:
        sid = self._src.get(text)
        if sid is None:
            cur = self.conn.execute(
                "INSERT INTO sources(text, kind, file, added) VALUES (?,?,?,?)",
                (text, kind, file, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
            )
            sid = self._src[text] = int(cur.lastrowid or 0)
        return sid

    def add(self, rec: Record, kind: str = "embedded", file: str = "") -> None:
        """Add a place with its names."""
        if True:
            sid = self.source_id(rec.source, kind, file)
            self._src_rows[sid] = self._src_rows.get(sid, 0) + 1
            self._places.append(
                (
                    rec.id,
                    rec.geonameid,
                    rec.name,
                    rec.lat,
                    rec.lon,
                    rec.country_code,
                    rec.admin1_code,
                    rec.admin1_name,
                    rec.feature_class,
                    rec.feature_code,
                    rec.population,
                    sid,
                )
            )
            self.places += 1
        self.add_names(rec.id, rec.names, rec.country_code, rec.population, sid)
        if len(self._places) >= self.batch or len(self._names) >= 4 * self.batch:
            self.flush()

    def add_place_rows(self, rows: list[tuple]) -> None:
        """Add ready place rows (the 12 columns of ``places``; fast path of the GeoNames import)."""
        for r in rows:
            self._src_rows[r[11]] = self._src_rows.get(r[11], 0) + 1
        self._places.extend(rows)
        self.places += len(rows)
        self.flush()

    def add_rows(self, places: list[tuple], names: list[tuple]) -> None:
        """Write ready rows at once (the bulk path of GeoNames imports): ``places`` with the 12 columns of
        ``places``, ``names`` with the 9 of ``names`` (key, skel, place, name, kind, cc, pop, src, loose)."""
        self.flush()
        c = self.conn
        if places:
            c.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", places)
            counts = self._src_rows
            for r in places:
                counts[r[11]] = counts.get(r[11], 0) + 1
            self.places += len(places)
        if names:
            c.executemany(
                "INSERT INTO names(key, skel, place, name, kind, cc, pop, src, loose) VALUES (?,?,?,?,?,?,?,?,?)",
                names,
            )
            self.names += len(names)

    def add_names(
        self,
        place_id: str,
        names: Iterable[tuple[str, int]],
        cc: str = "",
        pop: int = 0,
        src: int | None = None,
    ) -> None:
        src = self.default_src if src is None else src
        memo = self._forms
        best: dict[str, tuple[int, str, tuple[str, str | None, str | None]]] = {}
        for n, kind in names:
            f = memo.get(n)
            if f is None:
                k = name_key(n)
                lo, sk = variant_forms(k) if k else ("", "")
                f = (k, sk if sk and sk != k else None, lo if lo and lo != k else None)
                if len(memo) >= _FORMS_MAX:  # bounded: memory stays flat on huge imports
                    memo.clear()
                memo[n] = f
            k = f[0]
            if k and (k not in best or kind < best[k][0]):
                best[k] = (kind, n, f)
        rows = self._names
        for k, (kind, n, f) in best.items():
            rows.append((k, f[1], place_id, n, kind, cc, pop, src, f[2]))
        self.names += len(best)

    def flush(self) -> None:
        c = self.conn
        if self._places:
            c.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", self._places)
        if self._names:
            c.executemany(
                "INSERT INTO names(key, skel, place, name, kind, cc, pop, src, loose) VALUES (?,?,?,?,?,?,?,?,?)",
                self._names,
            )
        for sid, n in self._src_rows.items():
            c.execute("UPDATE sources SET rows = rows + ? WHERE id = ?", (n, sid))
        self._places.clear()
        self._names.clear()
        self._src_rows.clear()

    def finish(self) -> None:
        """Flush, create the indexes, and fill the fuzzy-matching table from the new names.

        The exact-key index is created first so that the distinct new keys for ``fz`` are read from it
        in order (a covering-index scan) instead of being sorted from the table.
        """
        self.flush()
        c = self.conn
        c.execute(f"PRAGMA threads={min(4, os.cpu_count() or 1)}")  # the sorter of CREATE INDEX may use them
        stmts = [s for s in INDEXES.strip().split(";") if s.strip()]
        c.execute(stmts[0])  # names_key
        c.execute(
            "INSERT OR IGNORE INTO fz SELECT substr(key, 1, 2), length(key), key FROM "
            "(SELECT DISTINCT key FROM names INDEXED BY names_key "
            "WHERE rowid > ? AND length(key) >= 4 AND key NOT GLOB '*[^ -~]*') ORDER BY 1, 2, 3",
            (self._first_rowid,),
        )
        for stmt in stmts[1:]:
            c.execute(stmt)
        c.commit()


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``path`` (a ``.lock`` file beside the index)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_embedded(
    path: Path,
    records: Iterable[Record] | None = None,
    progress: Progress | None = None,
    writer_process: bool | None = None,
) -> dict:
    """Build the embedded default index at ``path`` (via a temporary file and an atomic rename).

    ``writer_process``: normalise and write in a second process while this one reads the sources
    (default: for the full embedded build on a machine with more than one core); same index either way.
    """
    t0 = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    if writer_process is None:
        writer_process = records is None and (os.cpu_count() or 1) > 1
    try:
        recs = records if records is not None else embedded_records(land_cache=path.parent)
        if writer_process:
            places, names = _write_in_child(tmp, recs, progress)
        else:
            places, names = write_records(tmp, recs, progress)
        conn = connect_rw(tmp)
        meta = {
            "fingerprint": fingerprint(),
            "schema": str(SCHEMA_VERSION),
            "normalize": str(NORMALIZE_VERSION),
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": f"{time.perf_counter() - t0:.1f}",
            "places": str(places),
            "names": str(names),
            "sources": json.dumps(fingerprint_parts(), sort_keys=True),
        }
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", meta.items())
        conn.commit()
        conn.execute("ANALYZE")
        conn.commit()
        conn.close()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return meta


def write_records(path: Path, records: Iterable[Record], progress: Progress | None = None) -> tuple[int, int]:
    """Write records into a new index file (tables, names, indexes); returns (places, names)."""
    conn = connect_rw(path)
    try:
        w = IndexWriter(conn, batch=50000)
        for i, rec in enumerate(records, 1):
            w.add(rec)
            if progress and i % 10000 == 0:
                progress(i)
        w.finish()
        return w.places, w.names
    finally:
        conn.close()


_RECORD_BATCH = 5000


def _record_tuple(r: Record) -> tuple:
    return (
        r.id,
        r.geonameid,
        r.name,
        r.lat,
        r.lon,
        r.country_code,
        r.admin1_code,
        r.admin1_name,
        r.feature_class,
        r.feature_code,
        r.population,
        r.source,
        r.names,
    )


def _writer_cli() -> None:
    """Child process of :func:`build_embedded` (``python -c``): reads length-prefixed pickled batches of
    records on stdin, writes them into the index file named by ``argv[1]``, prints ``[places, names]``."""
    import gc
    import pickle
    import sys

    gc.disable()  # a short-lived child whose memos hold millions of tuples and that makes no cycles
    inp = sys.stdin.buffer

    def records() -> Iterator[Record]:
        while len(head := inp.read(8)) == 8:
            for t in pickle.loads(inp.read(int.from_bytes(head, "little"))):
                yield Record(*t)

    print(json.dumps(write_records(Path(sys.argv[1]), records())))


def _write_in_child(path: Path, records: Iterable[Record], progress: Progress | None) -> tuple[int, int]:
    """:func:`write_records` in a child process fed through a pipe while this process reads the sources."""
    import pickle
    import subprocess
    import sys
    import tempfile

    from gazetteer.errors import GazetteerDataError

    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from gazetteer.build import _writer_cli; _writer_cli()", str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            env=env,
        )
        assert proc.stdin is not None and proc.stdout is not None

        def send(batch: list[tuple]) -> None:
            data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
            proc.stdin.write(len(data).to_bytes(8, "little"))
            proc.stdin.write(data)

        try:
            try:
                batch: list[tuple] = []
                for i, rec in enumerate(records, 1):
                    batch.append(_record_tuple(rec))
                    if len(batch) >= _RECORD_BATCH:
                        send(batch)
                        batch = []
                    if progress and i % 10000 == 0:
                        progress(i)
                send(batch)
                proc.stdin.close()
            except BrokenPipeError:
                pass  # the child died: its error is reported below
            out = proc.stdout.read()
            proc.wait()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if proc.returncode != 0:
            err.seek(0)
            tail = (err.read().decode(errors="replace").strip().splitlines() or ["no output"])[-1]
            raise GazetteerDataError(f"{path}: writing the index failed in the writer process: {tail}")
    places, names = json.loads(out)
    return int(places), int(names)


def main(argv: list[str] | None = None) -> int:
    """``python -m gazetteer.build PATH``: build the embedded index (run in a child process by
    :func:`gazetteer.index.ensure_index`, so that the caller's memory stays small)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m gazetteer.build INDEX_PATH", file=sys.stderr)
        return 2
    meta = build_embedded(Path(args[0]))
    print(json.dumps(meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
