"""Geoparsing of English news: recognise place mentions, resolve them through the local
gazetteer, and rank the incident's own location (with reasons).

    from geo.geoparse import Geoparser
    gp = Geoparser()                # opens gazetteer.Gazetteer.open(); build once, reuse
    res = gp.parse(text, article_id="a1", title="…")
    res.toponyms                    # every mention, offsets into text, place or None (unresolved)
    res.focus                       # ranked incident locations, best first, with reasons
"""

from geo.geoparse.parser import Geoparser, to_place

__all__ = ["Geoparser", "to_place"]
