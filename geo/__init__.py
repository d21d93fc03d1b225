"""conflictmap: news reports of violent incidents → places, incidents, border distances, maps.

The package is organised along the data flow (see docs/architecture.md):
``articles`` → ``geoparse`` → ``extract`` → ``pipeline`` (incidents, borders, merge)
→ ``store`` / ``query`` → ``render`` / ``export``.
"""

__version__ = "0.1.0"
