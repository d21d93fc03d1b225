"""map.html and source pages in headless Debian Chromium with all networking blocked."""

from __future__ import annotations

import pytest

from tests.browser import click_marker

pytestmark = pytest.mark.browser

ATMEH = "inc-atmeh-2022-02-03"


def _atmeh_first_evidence(article_id):
    from render_fixtures import all_fixtures

    incs, _ = all_fixtures()
    return incs[0].first_evidence(article_id)


def test_map_loads_offline_without_errors_and_counts_markers(page, written_map):
    page.open_map(written_map)
    p = page.page
    assert page.errors == [] and page.blocked == [] and page.dialogs == []
    assert p.evaluate("conflictmap.visibleCount()") == 3
    assert p.text_content("#cm-count") == "3 of 3 incidents shown"
    # zoomed out, Atmeh and Baghdad share a cluster; zoomed in, each marker is its own
    p.evaluate("void conflictmap.map.setView([40, 30], 2, {animate: false})")
    p.wait_for_timeout(300)
    assert p.evaluate("conflictmap.view()") == {"clusters": 1, "singles": 1, "total": 3}
    assert p.locator(".marker-cluster").inner_text() == "2"
    alone = p.evaluate("[0, 1, 2].map(function(k){return conflictmap.shownAlone(k)})")
    assert alone.count(False) == 2
    # clicking the cluster zooms in until it splits
    p.locator(".marker-cluster").click()
    p.wait_for_timeout(500)
    assert p.evaluate("conflictmap.view().clusters") == 0
    for k in range(3):
        assert p.evaluate(f"new Promise(function(r){{conflictmap.reveal({k}, function(ok){{r(ok)}})}})")
        assert p.evaluate(f"conflictmap.shownAlone({k})")
    # offline basemap drawn, OpenStreetMap tiles off, scale bar and legend present
    assert p.evaluate("document.querySelectorAll('.leaflet-tile').length") == 0
    assert p.evaluate("document.querySelectorAll('canvas').length") >= 4
    assert p.locator(".leaflet-control-scale").count() == 1
    assert "Violence against civilians (1)" in p.text_content(".cm-panel.cm-legend")
    attribution = p.text_content(".leaflet-control-attribution")
    assert "OpenStreetMap contributors" in attribution and "GeoNames" in attribution and "test-borders" in attribution
    assert page.blocked == [] and page.errors == []


def test_popup_shows_values_and_source_link_lands_on_mark(page, written_map):
    page.open_map(written_map)
    click_marker(page, ATMEH)
    p = page.page
    text = p.text_content(".leaflet-popup .cm-popup")
    for needle in ("Atmeh", "Idlib, Syria (SY)", "precision 1", "2022-02-03 (precision: day)", "Battles — Armed clash",
                   "US forces (perpetrator)", "12–13–13 (low–best–high)", "children 4", "women 3",
                   "0.98 km to the border with Turkey (TR) ± 0.60 km", "omim-data-borders 10.3.0rc2",
                   "less than a kilometer away from Turkey's border", "plausible (reference point)"):
        assert needle in text, needle
    links = p.locator(".leaflet-popup a.cm-source")
    assert links.count() == 2
    hrefs = [links.nth(i).get_attribute("href") for i in range(2)]
    assert hrefs[0].startswith("sources/000_f18772d31dee92f8.html#ev-")
    assert all(links.nth(i).get_attribute("rel") == "noopener noreferrer" for i in range(2))
    anchor = hrefs[1].split("#", 1)[1]
    links.nth(1).click()
    p.wait_for_load_state()
    assert p.url.endswith("/sources/004_23a385800a3f30d7.html#" + anchor)
    target = p.evaluate("(function(){var e=document.querySelector(':target'); return e && [e.tagName, e.id,"
                        " e.textContent, e.closest('.sent') !== null]})()")
    first = _atmeh_first_evidence("004_23a385800a3f30d7")
    assert anchor == first.anchor
    assert target == ["MARK", anchor, first.text, True]
    assert "Incidents reported in this article (1)" in p.text_content("body")
    assert page.errors == [] and page.blocked == []


def test_hostile_article_stays_inert(page, written_map):
    page.open_map(written_map, "#incident=" + "inc-%3Chostile%3E")
    p = page.page
    p.wait_for_selector(".leaflet-popup .cm-popup", timeout=5000)
    popup = p.locator(".leaflet-popup .cm-popup")
    text = popup.inner_text()
    assert "Testville <b>bold</b> ${alert(1)}" in text and "<img src=x onerror=alert(2)>" in text
    assert "`Baghdad` {{7*7}}, Iraq (IQ)" in text and "<script>alert(3)</script>" in text
    assert popup.locator("img, b, script").count() == 0
    title = p.locator(".leaflet-popup a.cm-source").inner_text()
    assert title == "<script>alert('title')</script>"
    p.locator(".leaflet-popup a.cm-source").click()
    p.wait_for_load_state()
    body = p.inner_text("body")
    for needle in ("<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>", "${alert(1)}", "{{7*7}}",
                   "`rm -rf`"):
        assert needle in body
    assert p.evaluate("document.querySelectorAll('script, img').length") == 0
    assert p.evaluate("window.__calls") == [] and page.dialogs == []
    assert page.errors == [] and page.blocked == []


def test_date_filter_and_place_search(page, written_map):
    page.open_map(written_map)
    p = page.page
    p.fill("#cm-date-from", "2023-01-01")
    p.dispatch_event("#cm-date-from", "change")
    p.wait_for_selector("body[data-ready='1']", state="attached")
    assert p.evaluate("conflictmap.visibleCount()") == 2
    assert p.text_content("#cm-count") == "2 of 3 incidents shown"
    p.fill("#cm-date-to", "2023-03-01")
    p.dispatch_event("#cm-date-to", "change")
    p.wait_for_selector("body[data-ready='1']", state="attached")
    assert p.evaluate("conflictmap.visibleCount()") == 1
    p.click(".cm-dates button")
    p.wait_for_selector("body[data-ready='1']", state="attached")
    assert p.evaluate("conflictmap.visibleCount()") == 3
    p.fill("#cm-search", "atm")
    results = p.locator(".cm-results button")
    assert results.count() == 1 and results.inner_text() == "Atmeh, Idlib, Syria (1)"
    results.click()
    p.wait_for_selector(".leaflet-popup .cm-popup", timeout=5000)
    assert p.evaluate("document.querySelector('.leaflet-popup .cm-popup').dataset.incident") == ATMEH
    p.fill("#cm-search", "nowhere-at-all")
    assert "no incident at a matching place" in p.text_content(".cm-results")
    assert page.errors == [] and page.blocked == []


def test_event_type_layer_toggle_filters_markers(page, written_map):
    page.open_map(written_map)
    p = page.page
    p.hover(".leaflet-control-layers")
    p.locator(".leaflet-control-layers-overlays label", has_text="Battles (1)").locator("input").click()
    p.wait_for_selector("body[data-ready='1']", state="attached")
    assert p.evaluate("conflictmap.visibleCount()") == 2
    assert p.text_content("#cm-count") == "2 of 3 incidents shown"
    assert page.errors == []


def test_compressed_blobs_decode_in_the_browser(page, tmp_path, real_basemap, fixtures):
    """Large maps store their data gzip+base64; force that path on the small fixture."""
    from geo.render.map import render_map_html

    incs, arts = fixtures
    text = render_map_html(incs, arts, basemap=real_basemap, compress_over=0)
    assert text.count('data-encoding="gzip+base64"') == 2
    path = tmp_path / "map.html"
    path.write_text(text, encoding="utf-8")
    page.open_map(path, "#incident=inc-asym")
    p = page.page
    assert p.evaluate("conflictmap.visibleCount()") == 3
    p.wait_for_selector(".leaflet-popup .cm-popup", timeout=5000)
    assert "Somewhere" in p.inner_text(".leaflet-popup .cm-popup")
    assert "50.00000 N, 10.00000 E" in p.inner_text(".leaflet-popup .cm-popup")  # lat 50, lon 10: no axis swap
    assert page.errors == [] and page.blocked == []


def test_incidents_sharing_a_coordinate_are_listed(page, tmp_path, fixtures):
    """Two incidents at one town stay clustered at every zoom; clicking lists both."""
    import dataclasses

    from geo.render import write_map
    from geo.render.basemap import Basemap

    incs, arts = fixtures
    twin = dataclasses.replace(incs[0], id="inc-atmeh-twin", event_type="Protests")
    path = write_map([incs[0], twin], arts, tmp_path, basemap=Basemap())
    page.open_map(path)
    p = page.page
    p.evaluate("void conflictmap.map.setView([36.31111, 36.68639], 18, {animate: false})")
    assert p.evaluate("conflictmap.view()") == {"clusters": 1, "singles": 0, "total": 2}
    p.locator(".marker-cluster").click()
    items = p.locator(".cm-list .cm-results button")
    assert items.count() == 2 and "Atmeh" in items.nth(0).inner_text()
    items.nth(1).click()
    p.wait_for_selector(".leaflet-popup .cm-popup[data-incident]", timeout=5000)
    assert page.errors == [] and page.blocked == []


def test_empty_and_untyped_maps_open_cleanly(page, tmp_path, fixtures):
    import dataclasses

    from geo.render import write_map
    from geo.render.basemap import Basemap

    incs, arts = fixtures
    empty = write_map([], arts, tmp_path / "empty", basemap=Basemap(notes=["no border lines (test)"]))
    page.open_map(empty)
    p = page.page
    assert p.text_content("#cm-count") == "0 of 0 incidents shown"
    assert "no border lines (test)" in p.text_content("#cm-notes")
    untyped = dataclasses.replace(incs[1], event_type=None, sub_event_type=None)
    path = write_map([untyped], arts, tmp_path / "untyped", basemap=Basemap())
    page.open_map(path, "#incident=inc-asym")
    p.wait_for_selector(".leaflet-popup .cm-popup", timeout=5000)
    assert "Event\tUnspecified event type" in p.inner_text(".leaflet-popup .cm-popup")
    assert "Unspecified event type (1)" in p.text_content(".cm-panel.cm-legend")
    assert page.errors == [] and page.blocked == []
