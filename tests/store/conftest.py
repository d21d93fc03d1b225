"""Fixtures of the store tests: a throw-away PostgreSQL/PostGIS server and store factories.

The server is a real PostgreSQL 15 with PostGIS 3 from Debian packages
(``postgresql-15``, ``postgresql-15-postgis-3``), initialised in a temporary
directory, listening on 127.0.0.1 on a free port, and removed at the end of
the session. PostgreSQL refuses to run as root, so when the tests run as root
the server runs as the ``postgres`` user. Tests that need it are skipped with
the reason when no server can be started.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from geo.model import (
    Actor,
    Article,
    Casualties,
    DateInfo,
    Evidence,
    Figure,
    Incident,
    Place,
    Range,
    SourceRef,
)

PG_BIN = Path(os.environ.get("CONFLICTMAP_PG_BIN", "/usr/lib/postgresql/15/bin"))
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _PgServer:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="conflictmap-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, user="postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        self.started = False

    def _run(self, *cmd: str) -> None:
        proc = subprocess.run([*self.as_postgres, *cmd], capture_output=True, text=True, timeout=120, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:1])} failed: {proc.stderr.strip() or proc.stdout.strip()}")

    def start(self) -> None:
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"), "-w", "start")
        self.started = True

    def url(self, db: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        if self.started:
            subprocess.run(
                [*self.as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                capture_output=True, timeout=60, check=False,
            )
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[_PgServer]:
    """A running PostgreSQL with a ``cm_template`` database that has PostGIS."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL 15 binaries not found in {PG_BIN} (install postgresql-15 postgresql-15-postgis-3)")
    psycopg = pytest.importorskip("psycopg", reason="psycopg not installed (pip install 'conflictmap[postgis]')")
    server = _PgServer()
    try:
        server.start()
        with psycopg.connect(server.url("postgres"), autocommit=True) as con:
            con.execute("CREATE DATABASE cm_template")
        with psycopg.connect(server.url("cm_template"), autocommit=True) as con:
            con.execute("CREATE EXTENSION postgis")
    except Exception as exc:  # noqa: BLE001 - any failure to start means: skip with the reason
        server.stop()
        pytest.skip(f"cannot start a PostgreSQL/PostGIS server: {exc}")
    yield server
    server.stop()


_db_counter = itertools.count(1)


@pytest.fixture
def pg_url(pg_server: _PgServer) -> str:
    """URL of a fresh, empty PostGIS database."""
    import psycopg

    name = f"cm_test_{os.getpid()}_{next(_db_counter)}"
    with psycopg.connect(pg_server.url("postgres"), autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name} TEMPLATE cm_template")
    return pg_server.url(name)


@pytest.fixture(params=["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)])
def store_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty store of each backend: a .gpkg path, then a postgresql:// URL."""
    if request.param == "gpkg":
        return str(tmp_path / "store.gpkg")
    return request.getfixturevalue("pg_url")


# ----- hand-made articles and incidents ------------------------------------------------------------


def make_article(aid: str, text: str | None = None, published: dt.date | None = dt.date(2022, 2, 3)) -> Article:
    return Article(
        id=aid, text=text if text is not None else f"Report {aid}: clashes were reported.", title=f"Title {aid}",
        publisher="Test Wire", url=f"https://example.org/{aid}", published=published,
    )


def make_incident(
    aid: str,
    place: str = "Atmeh",
    lat: float = 36.31111,
    lon: float = 36.68639,
    day: str | None = "2022-02-03",
    killed: int | None = 13,
    low: int | None = None,
    event_type: str = "Battles",
    sub_event_type: str | None = "Armed clash",
    country: str = "SY",
    n: int = 1,
) -> Incident:
    """An incident one article reports, with evidence spans and a source."""
    ev = Evidence(article_id=aid, kind="place", start=0, end=len(place), text=place, sentence_start=0, sentence_end=40)
    figures = []
    if killed is not None:
        fev = Evidence(article_id=aid, kind="killed", start=50, end=60, text=f"{killed} killed", sentence_start=41,
                       sentence_end=80)
        lo = low if low is not None else killed
        figures.append(Figure(kind="killed", low=lo, best=killed, high=killed, evidence=fev,
                              qualifier="at least" if lo != killed else None))
    return Incident(
        id=f"{aid}-{n}",
        place=Place(name=place, lat=lat, lon=lon, country_code=country, source="test fixture"),
        location_text=place,
        date=DateInfo(date=dt.date.fromisoformat(day), precision=1) if day else None,
        event_type=event_type,
        sub_event_type=sub_event_type,
        actors=[Actor(name="US forces", alias="US forces")],
        casualties=Casualties(killed=Range(low if low is not None else killed, killed, killed), figures=figures),
        sources=[SourceRef(article_id=aid, title=f"Title {aid}", publisher="Test Wire")],
        evidence=[ev],
    )


@pytest.fixture
def article() -> Callable[..., Article]:
    return make_article


@pytest.fixture
def incident() -> Callable[..., Incident]:
    return make_incident
