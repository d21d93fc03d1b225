"""The local gazetteer: an offline, transliteration-aware place index (imports nothing from ``geo``)."""
