"""Fixtures of the render/export tests: hand-built incidents, a real basemap, headless Chromium.

The browser is Debian's ``/usr/bin/chromium`` driven by Playwright (Playwright's own
browser download is never used). Every request that is not ``file:`` or ``data:``
is aborted and recorded, so a test can assert that nothing left the machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from render_fixtures import all_fixtures  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND",
]


class TinyBorders:
    """A ``geo.borders.Borders``-shaped object over a hand-made line (test data, not a real border):
    a zig-zag line 1 km west of Atmeh and a disputed line far away."""

    name = "test-borders"
    version = "0"
    licence = "hand-made test line"
    uncertainty_km = 0.5

    def lines(self):
        import geopandas as gpd
        from shapely.geometry import LineString

        zigzag = LineString([(36.67 + (0.001 if k % 2 else 0.0), 36.25 + k * 0.002) for k in range(60)])
        far = LineString([(0.0, 0.0), (0.5, 0.3), (1.0, 0.0), (1.5, 0.3)])
        return gpd.GeoDataFrame({"a": ["SY", "AA"], "b": ["TR", "BB"], "disputed": [False, True]},
                                geometry=[zigzag, far], crs="EPSG:4326")


@pytest.fixture
def fixtures():
    return all_fixtures()


@pytest.fixture(scope="session")
def real_basemap():
    """Basemap from the real omim polygons (per-user cache; built once, ~1 min) + the tiny test border line."""
    from geo.render.basemap import build_basemap

    incs, _ = all_fixtures()
    return build_basemap(incs, TinyBorders())


@pytest.fixture(scope="session")
def written_map(tmp_path_factory, real_basemap):
    from geo.render import write_map

    incs, arts = all_fixtures()
    out = tmp_path_factory.mktemp("map")
    path = write_map(incs, arts, out, title="Test <map> & ${x}", basemap=real_basemap)
    return path


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A page with network blocked and console errors, dialogs and attempted requests recorded."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1200, "height": 800}, offline=True)
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        # alert/confirm/prompt are replaced before any page script runs: a call is recorded, not shown
        self.context.add_init_script(
            "window.__calls = [];"
            "['alert','confirm','prompt'].forEach(function(n){window[n]=function(){window.__calls.push(n)}});"
        )
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open_map(self, path: Path, fragment: str = "") -> None:
        self.page.goto(path.resolve().as_uri() + fragment)
        self.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=30000)

    def close(self):
        self.context.close()


@pytest.fixture
def page(browser):
    p = Page(browser)
    yield p
    p.close()
