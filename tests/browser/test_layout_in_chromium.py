"""Every public page and the field guide, in English and Ukrainian, at 360, 390 and 1280 px: nothing wider than
the screen, no element sticking out of its container, no word broken mid-way (a coordinate wraps only at its own
spaces, a web address only where it offers a break), and each uncertainty circle whole on its map."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from lestweforget.atlas import public

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 390, 1280)
LANGUAGES = ("en", "uk")
PAGES = {
    "atlas": "/",
    "site": "/sites/izium-mass-burial-site/",
    "generalised-site": "/sites/izium-police-station-basement/",
    "about": "/about/",
    "suggest": "/suggest/",
    "site-suggest": "/sites/izium-mass-burial-site/suggest/",
    "suggest-thanks": "/suggest/thanks/",
    "not-found": "/sites/no-such-site/",
    "bad-request": "/sites/izium-mass-burial-site/export.nope",
}
GUIDES = ("izium-mass-burial-site", "izium-police-station-basement")
# Looked at by people: the pages at a phone's width and a desktop's, in both languages.
SCREENSHOT_WIDTHS = (390, 1280)

# Runs in the page. Returns a list of problems, each naming the element and what is wrong.
LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const viewport = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  if (document.documentElement.scrollWidth > viewport) {
    problems.push(`page is ${document.documentElement.scrollWidth}px wide on a ${viewport}px screen`);
  }
  const shown = (el) => {
    const style = getComputedStyle(el);
    return style.display !== "none" && style.visibility !== "hidden" && el.getClientRects().length > 0;
  };
  for (const el of document.body.querySelectorAll("*")) {
    // Leaflet lays its tiles and panes out beyond the map on purpose; the map itself is checked.
    if (el.closest(".leaflet-container") && !el.matches(".leaflet-container")) continue;
    if (el.closest("svg") && !el.matches("svg")) continue;
    if (["SCRIPT", "STYLE", "BR", "WBR"].includes(el.tagName) || !shown(el)) continue;
    const box = el.getBoundingClientRect();
    // Wholly off to the left is the visually-hidden technique (a form's honeypot field), not an overflow.
    if (box.right <= 0) continue;
    if (box.right > viewport + 0.5 || box.left < -0.5) {
      problems.push(`${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)}px of ${viewport}px`);
    }
    const parent = el.parentElement;
    if (parent && parent !== document.body && getComputedStyle(el).position !== "absolute") {
      const outer = parent.getBoundingClientRect();
      const style = getComputedStyle(parent);
      const right = outer.right - parseFloat(style.borderRightWidth);
      if (box.right > right + 1 && style.overflowX === "visible") {
        problems.push(`${name(el)} sticks out of ${name(parent)} by ${Math.round(box.right - right)}px`);
      }
    }
    if (el.scrollWidth > el.clientWidth + 1 && ["auto", "scroll"].includes(getComputedStyle(el).overflowX)) {
      problems.push(`${name(el)} scrolls sideways (${el.scrollWidth}px in ${el.clientWidth}px)`);
    }
  }
  // A word (split at spaces, and after a hyphen, dash or slash, where a line may break) must sit on one line.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !shown(parent) || parent.closest("script, style, svg, .leaflet-control-container")) continue;
    const text = node.textContent;
    const pieces = /[^\\s\\-\\u2010-\\u2014\\/]+[\\-\\u2010-\\u2014\\/]*/g;
    for (let match = pieces.exec(text); match; match = pieces.exec(text)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].replace(/[\\-\\u2010-\\u2014\\/]+$/, "").length);
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0.5);
      const lines = new Set(rects.map((r) => Math.round(r.top)));
      if (lines.size > 1) {
        problems.push(`"${match[0]}" in ${name(parent)} is broken over ${lines.size} lines`);
      }
    }
  }
  // Every uncertainty circle whole inside its map.
  for (const circle of document.querySelectorAll(".uncertainty-circle")) {
    const map = circle.closest(".leaflet-container").getBoundingClientRect();
    const box = circle.getBoundingClientRect();
    if (box.left < map.left - 1 || box.right > map.right + 1 || box.top < map.top - 1 || box.bottom > map.bottom + 1) {
      problems.push(`an uncertainty circle (${Math.round(box.width)}px) is cut off by its map`);
    }
  }
  return problems;
}
"""


@pytest.fixture
def guides(demo_server: str, tmp_path: Path) -> dict[tuple[str, str], str]:
    """Each guide unpacked, as a phone keeps it: {(slug, language): file:// URL of its index.html}."""
    from lestweforget.photos.field_guide import site_guide

    urls = {}
    for slug in GUIDES:
        for language in LANGUAGES:
            folder = tmp_path / f"{slug}-{language}"
            data = site_guide(public.public_site(slug), language, demo_server)
            with zipfile.ZipFile(io.BytesIO(data)) as bundle:
                bundle.extractall(folder)
            urls[(slug, language)] = (folder / "index.html").as_uri()
    return urls


def _check(browser: object, url: str, width: int, shot: Path | None) -> list[str]:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": 900}, is_mobile=width < 800, has_touch=width < 800
    )
    page = context.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    try:
        page.goto(url)
        page.wait_for_load_state("load")
        if page.locator(".uncertainty-circle").count():
            page.wait_for_function("() => document.querySelector('.uncertainty-circle').getAttribute('d')")
        problems = page.evaluate(LAYOUT_PROBLEMS)
        if shot is not None:
            page.screenshot(path=str(shot), full_page=True)
        return [f"{url} at {width}px: {problem}" for problem in problems]
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_fits_the_screen_and_breaks_no_word(
    browser: object, demo_server: str, artifacts: Path, language: str, width: int
) -> None:
    problems = []
    prefix = "" if language == "en" else f"/{language}"
    for label, path in PAGES.items():
        shot = artifacts / f"layout-{label}-{language}-{width}.png" if width in SCREENSHOT_WIDTHS else None
        problems += _check(browser, demo_server + prefix + path, width, shot)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_field_guide_fits_the_screen_and_breaks_no_word(
    browser: object, guides: dict[tuple[str, str], str], artifacts: Path, width: int
) -> None:
    problems = []
    for (slug, language), url in guides.items():
        shot = artifacts / f"layout-guide-{slug}-{language}-{width}.png" if width in SCREENSHOT_WIDTHS else None
        problems += _check(browser, url, width, shot)
    assert not problems, "\n".join(problems)


def test_findings_cards_keep_their_labels_on_a_phone(browser: object, demo_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    for prefix, labels in (("", ("Asserted by", "When", "Source")), ("/uk", ("Хто стверджує", "Коли", "Джерело"))):
        page.goto(f"{demo_server}{prefix}/sites/izium-mass-burial-site/")
        card = page.locator("tr.claim").first
        text = card.inner_text()
        for label in labels:
            assert label in text, (prefix, label, text)
    context.close()


DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


def test_readme_screenshot_of_the_ukrainian_site_page_on_a_phone(
    browser: object, demo_server: str, artifacts: Path
) -> None:
    """The README's phone screenshot: the Ukrainian site page at 390 px, its first two screens. Written to
    test-artifacts/ on every run; `LWF_UPDATE_DOCS_IMAGES=1` also writes docs/images/site-page-uk-phone.png."""
    import os

    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto(f"{demo_server}/uk/sites/izium-mass-burial-site/")
    page.wait_for_function("() => document.querySelector('.uncertainty-circle').getAttribute('d')")
    # From the location panel on: what a visitor on the way opens the page for.
    page.locator("#location").scroll_into_view_if_needed()
    top = page.evaluate("() => document.getElementById('location').getBoundingClientRect().top + window.scrollY")
    clip = {"x": 0, "y": top - 8, "width": 390, "height": 1400}
    targets = [artifacts / "site-page-uk-phone.png"]
    if os.environ.get("LWF_UPDATE_DOCS_IMAGES") == "1":
        targets.append(DOCS_IMAGES / "site-page-uk-phone.png")
    for target in targets:
        page.screenshot(path=str(target), clip=clip, full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") == 390
    context.close()
