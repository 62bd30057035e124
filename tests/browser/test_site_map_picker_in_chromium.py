"""The site form's map in Chromium: the point is placed by a click and moved by a drag, both written into the
latitude and longitude fields and saved, under the strict Content-Security-Policy, with no script error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from test_ukrainian_pages_in_chromium import reader_problems

from accounts import account, sign_in
from lestweforget.atlas.models import Site

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

SITE = "izium-mass-burial-site"
CSP_WATCH = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', function (e) {"
    "  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);"
    "});"
)


def _signed_in(page: Any, server: str) -> None:
    client = sign_in(Client(), account("editor"))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server}])


def _inputs(page: Any) -> tuple[float, float]:
    return float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude"))


@pytest.mark.django_db(transaction=True)
def test_click_places_and_drag_moves_the_point_and_the_form_saves_it(
    page: Any, live_server: Any, artifacts: Path
) -> None:
    site = Site.objects.get(slug=SITE)
    _signed_in(page, live_server.url)
    page.add_init_script(CSP_WATCH)
    page.goto(f"{live_server.url}/admin/atlas/site/{site.pk}/change/")
    picker = page.locator(".site-map-picker.leaflet-container")
    picker.wait_for()
    marker = page.locator(".site-map-picker .leaflet-marker-icon")
    marker.wait_for()
    assert _inputs(page) == pytest.approx((site.latitude, site.longitude))

    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.25)
    clicked = _inputs(page)
    # Up and to the left of the centre: north-west of the site, a few hundred metres away at zoom 15.
    assert clicked[0] > site.latitude and clicked[1] < site.longitude
    assert clicked == pytest.approx((site.latitude, site.longitude), abs=0.02)

    handle = marker.bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=8)
    page.mouse.up()
    dragged = _inputs(page)
    assert dragged[0] < clicked[0] and dragged[1] > clicked[1]
    page.screenshot(path=str(artifacts / "site-map-picker.png"), full_page=False)

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    site.refresh_from_db()
    assert (site.latitude, site.longitude) == pytest.approx(dragged, abs=1e-6)
    assert page.evaluate("() => window.__csp") == []
    assert page.js_errors == []


# Every word the picker's map shows or reads aloud: text, and the titles, labels and alternative texts Leaflet writes.
PICKER_TEXT = """
() => {
  const root = document.querySelector(".site-map-picker");
  const texts = [root.getAttribute("aria-label")];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.textContent.trim()) texts.push(node.textContent);
  }
  for (const el of root.querySelectorAll("[title], [aria-label], [alt]")) {
    for (const name of ["title", "aria-label", "alt"]) {
      const value = el.getAttribute(name);
      if (value && value.trim()) texts.push(value);
    }
  }
  return texts;
}
"""


@pytest.mark.django_db(transaction=True)
def test_the_picker_speaks_the_admin_pages_language(page: Any, live_server: Any) -> None:
    site = Site.objects.get(slug=SITE)
    _signed_in(page, live_server.url)
    page.goto(f"{live_server.url}/uk/admin/atlas/site/{site.pk}/change/")
    page.locator(".site-map-picker .leaflet-marker-icon").wait_for()
    texts = page.evaluate(PICKER_TEXT)
    assert page.locator(".site-map-picker .leaflet-control-attribution").inner_text().strip() == (
        "Leaflet | © учасники OpenStreetMap"
    )
    assert page.locator(".site-map-picker .leaflet-control-zoom-in").get_attribute("title") == "Наблизити"
    assert not reader_problems(texts), texts
    assert page.js_errors == []
