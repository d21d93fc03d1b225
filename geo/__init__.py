"""conflictmap: news reports of violent incidents → places, incidents, border distances, maps.

The package is organised along the data flow (see docs/architecture.md):
``articles`` → ``geoparse`` → ``extract`` → ``pipeline`` (incidents, borders, merge)
→ ``store`` / ``query`` → ``render`` / ``export``.
"""

__version__ = "0.1.0"


def read_incidents(source, **filters):  # type: ignore[no-untyped-def]
    """Incidents of a GeoJSON file, GeoPackage store or PostGIS URL as a GeoDataFrame.

    Filters: ``near=(lat, lon)``, ``radius_km``, ``bbox``, ``date_from``, ``date_to``,
    ``country``, ``event_type``, ``min_fatalities`` (see :func:`geo.query.read_incidents`).
    """
    from geo.query import read_incidents as _read

    return _read(source, **filters)
