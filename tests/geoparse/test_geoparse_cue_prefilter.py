"""The fast location-cue test agrees with the regular expression it guards."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from geo.geoparse.context import LOCATION_CUES_BEFORE, location_cue_before

_WORDS = sorted(set(re.findall(r"[a-z]+(?:-[a-z]+)?", LOCATION_CUES_BEFORE.pattern.lower())) - {"s", "ern"}) + [
    "north-western", "Berlin", "within", "the", "of", "said", "(in", "Of", "IN", "town", "Town",
]
_SEPS = [" ", "  ", "\n", "-", ", ", "(", ""]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPS)), max_size=7))
def test_prefilter_matches_the_regex(parts: list[tuple[str, str]]) -> None:
    before = "".join(w + sep for w, sep in parts)[-60:]
    assert bool(location_cue_before(before)) == bool(LOCATION_CUES_BEFORE.search(before))


def test_known_cues() -> None:
    assert location_cue_before("fighting in the northern town of ").group(0).strip() == "in the northern town of"
    assert location_cue_before("clashes near ")
    assert location_cue_before("20 km north of ")
    assert location_cue_before("he visited Berlin ") is None
    assert location_cue_before("") is None
