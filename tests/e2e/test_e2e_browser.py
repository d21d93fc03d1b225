"""The seeds' map.html in headless Chromium with networking disabled: click the marker, follow a source link."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import click_marker

pytestmark = pytest.mark.browser


def test_seed_map_offline_marker_popup_and_source_link(page, seeds_out: Path, seed_incident: dict) -> None:
    page.open_map(seeds_out / "map.html")
    p = page.page
    assert page.errors == [] and page.blocked == [], (page.errors, page.blocked)
    assert p.evaluate("conflictmap.visibleCount()") == 1
    click_marker(page, seed_incident["properties"]["id"])
    text = p.text_content(".leaflet-popup .cm-popup")
    for needle in ("Atmeh", "Idlib", "Syria", "2022-02-03", "Battles", "12–13", "children 4", "women 3",
                   "Turkey (TR)", "omim-data-borders", "less than a kilometer", "reference point"):
        assert needle in text, (needle, text)
    links = p.locator(".leaflet-popup a.cm-source")
    assert links.count() == 2
    href = links.nth(0).get_attribute("href")
    assert href.startswith("sources/") and "#ev-" in href
    links.nth(0).click()
    p.wait_for_load_state()
    target = p.evaluate("(function(){var e=document.querySelector(':target'); return e && [e.tagName, e.id]})()")
    assert target and target[0] == "MARK" and href.endswith("#" + target[1])
    assert page.errors == [] and page.blocked == [] and page.dialogs == []
