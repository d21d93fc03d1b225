"""Headless Debian Chromium driven by Playwright, with every network request blocked and recorded.

Playwright's own browser download is never used: the browser is ``/usr/bin/chromium``
(Debian package ``chromium``, installed by ``python3 bootstrap.py test``).
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND",
]


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


def click_marker(page, incident_id: str) -> None:
    """Zoom until the incident's own marker shows, then click it with the mouse (no JS click)."""
    p = page.page
    k = p.evaluate(f"conflictmap.indexOf({incident_id!r})")
    assert k >= 0
    assert p.evaluate(f"new Promise(function(res){{conflictmap.reveal({k}, function(ok){{res(ok)}})}})")
    p.wait_for_timeout(300)
    x, y = p.evaluate(f"conflictmap.markerPoint({k})")
    p.mouse.click(x, y)
    p.wait_for_selector(".leaflet-popup .cm-popup", timeout=5000)
