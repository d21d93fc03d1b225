"""The local gazetteer: an offline, transliteration-aware place index (imports nothing from ``geo``).

>>> from gazetteer import Gazetteer
>>> gz = Gazetteer.open()                       # builds the per-user index on first use
>>> gz.candidates("Atmeh", country="SY")[0].name
'Atmeh'
"""

from gazetteer.errors import GazetteerDataError, GazetteerError, GazetteerInputError
from gazetteer.index import Candidate, Gazetteer, cache_dir

__all__ = [
    "Candidate",
    "Gazetteer",
    "GazetteerDataError",
    "GazetteerError",
    "GazetteerInputError",
    "cache_dir",
]
