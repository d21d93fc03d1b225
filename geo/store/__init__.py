"""The incident store: an embedded GeoPackage by default, PostGIS for a ``postgresql://`` URL.

    from geo.store import open_store
    with open_store("output/incidents.gpkg") as st:
        report = st.ingest(articles, incidents_by_article)
        for incident, km in st.query(near=(36.311, 36.686), radius_km=25):
            ...
"""

from __future__ import annotations

from pathlib import Path

from geo.errors import InputError
from geo.store.base import Filters, IncidentStore, IngestReport

__all__ = ["Filters", "IncidentStore", "IngestReport", "is_store_url", "open_store"]


def is_store_url(db: str | Path) -> bool:
    """True for a PostgreSQL connection URL (``postgresql://…`` or ``postgres://…``)."""
    return str(db).startswith(("postgresql://", "postgres://"))


def open_store(db: str | Path) -> IncidentStore:
    """Open (creating if needed) the store at ``db``: a ``.gpkg`` path or a ``postgresql://`` URL."""
    text = str(db)
    if is_store_url(text):
        from geo.store.postgis import PostGISStore

        return PostGISStore(text)
    if "://" in text:
        raise InputError(f"--db {text!r}: unknown scheme; give a .gpkg file path or a postgresql:// URL")
    path = Path(text)
    if path.suffix.lower() != ".gpkg":
        raise InputError(f"--db {text!r}: the embedded store is a GeoPackage; give a file name ending in .gpkg")
    from geo.store.gpkg import GeoPackageStore

    return GeoPackageStore(path)
