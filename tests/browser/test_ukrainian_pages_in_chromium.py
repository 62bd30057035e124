"""Every public page a Ukrainian reader can reach, as Chromium shows it at a phone's 390 px: no English word in
what the reader sees or hears (text, titles, labels, placeholders, including what Leaflet and the atlas's
scripts write), no English hemisphere letter or decimal point in a number, nothing wider than the screen and no
word broken mid-way. What a map app must read (marked translate="no") and what another language's element
holds (lang="en" on a name, the API's English reference page) are left as they are."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from test_layout_in_chromium import LAYOUT_PROBLEMS

from lestweforget.atlas import public
from ukrainian_text import ADDRESS, ALLOWED, LATIN_WORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
LONG_QUERY = "a" * 10_000
# Reached by going to them.
PAGES = {
    "atlas": "/uk/",
    "site": "/uk/sites/izium-mass-burial-site/",
    "generalised-site": "/uk/sites/izium-police-station-basement/",
    "about": "/uk/about/",
    "suggest": "/uk/suggest/",
    "site-suggest": "/uk/sites/izium-mass-burial-site/suggest/",
    "not-found": "/uk/sites/no-such-site/",
    "unreadable-filter": f"/uk/?q={LONG_QUERY}",
    "bad-export": "/uk/export/atlas.kml?from=yesterday",
    "sign-in": "/uk/accounts/sign-in/",
    "password-reset": "/uk/accounts/password-reset/",
    "password-reset-sent": "/uk/accounts/password-reset/sent/",
}
# Swagger UI writes English only: its page says so (lang="en") and must still fit a phone.
ENGLISH_PAGES = {"api-docs": "/api/docs"}

# What the reader sees and hears in the page's own language: text and the attributes read aloud or shown on hover.
# Skipped: scripts, styles, what is hidden, what is marked translate="no" (a form a map app reads) and what sits
# inside an element of another language.
READER_TEXT = """
() => {
  const texts = [];
  const shown = (el) => {
    const style = getComputedStyle(el);
    return style.display !== "none" && style.visibility !== "hidden" && el.getClientRects().length > 0;
  };
  const ukrainian = (el) => ((el.closest("[lang]") || document.documentElement).getAttribute("lang") || "")
    .toLowerCase().startsWith("uk");
  const skipped = (el) => el.closest("script, style, noscript, [translate='no'], [aria-hidden='true'], .hp");
  // An element's own text as one string: a <wbr> in an address splits it into text nodes, not into words.
  const own = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || skipped(parent) || !shown(parent) || !ukrainian(parent)) continue;
    own.set(parent, (own.get(parent) || "") + node.textContent);
  }
  for (const text of own.values()) { if (text.trim()) texts.push(text); }
  for (const el of document.querySelectorAll("[title], [aria-label], [placeholder], [alt]")) {
    if (skipped(el) || !ukrainian(el)) continue;
    for (const name of ["title", "aria-label", "placeholder", "alt"]) {
      const value = el.getAttribute(name);
      if (value && value.trim()) texts.push(value);
    }
  }
  texts.push(document.title);
  return texts;
}
"""
# "49.22", "15.3″": a decimal point where Ukrainian writes a comma; a hemisphere letter after a coordinate.
DECIMAL_POINT = re.compile(r"\d\.\d")
# Addresses, where a point is part of the name, not a number.
WEB_ADDRESS = re.compile(r"\S*(?:https?://|www\.|@)\S*|\S+\.[a-z]{2,}\S*")
HEMISPHERE_LETTER = re.compile(r"[°′″]\s?[NSEW]\b")
# Latin letters Ukrainian text keeps: a coordinate grid's axes (SK-42's X and Y) and the search field's example.
LETTERS = {"X", "Y"}


def reader_problems(texts: list[str]) -> list[str]:
    """What a Ukrainian reader would find foreign in ``texts``: English words, decimal points, hemisphere letters."""
    problems = []
    for text in texts:
        plain = ADDRESS.sub(" ", text.replace("\u00ad", ""))
        for word in LATIN_WORD.findall(plain):
            if word not in ALLOWED and word not in LETTERS:
                problems.append(f"English {word!r} in {text.strip()[:90]!r}")
        if DECIMAL_POINT.search(WEB_ADDRESS.sub(" ", text)):
            problems.append(f"a decimal point in {text.strip()[:90]!r}")
        if HEMISPHERE_LETTER.search(text):
            problems.append(f"a hemisphere letter in {text.strip()[:90]!r}")
    return problems


def test_the_checker_finds_what_a_ukrainian_reader_would_not_write() -> None:
    assert reader_problems(["Zoom in"])
    assert reader_problems(["49°13′15.3″N 37°14′40.4″E"])
    assert reader_problems(["1.3 км"])
    assert not reader_problems(["49°13′15,3″ пн. ш. 37°14′40,4″ сх. д.", "1,3 км", "https://example.org/a.b"])
    assert not reader_problems(["Leaflet | © учасники OpenStreetMap", "MGRS", "СК-42: X 5 455 781, Y 7 372 236"])


def _visit(browser: object, url: str, act: Callable[[object], None] | None = None) -> tuple[list[str], list[str]]:
    """(reader problems, layout problems) of ``url`` at 390 px, after ``act`` (a form sent) when given."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True, locale="uk-UA"
    )
    page = context.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    try:
        page.goto(url)
        page.wait_for_load_state("load")
        if act is not None:
            act(page)
            page.wait_for_load_state("load")
        if page.locator("#atlas").count():
            page.wait_for_function("() => ['ready', 'error'].includes(document.getElementById('atlas').dataset.state)")
            page.locator(".site-marker").first.click(force=True)
            page.wait_for_selector(".leaflet-popup")
        elif page.locator(".leaflet-container").count():
            page.wait_for_selector(".leaflet-control-attribution")
        if page.locator("#swagger-ui").count():
            page.wait_for_selector("#swagger-ui .opblock")
        return page.evaluate(READER_TEXT), page.evaluate(LAYOUT_PROBLEMS)
    finally:
        context.close()


def _report(url: str, problems: list[str]) -> list[str]:
    return [f"{url.split('?')[0]}: {problem}" for problem in problems]


def test_every_ukrainian_page_reads_in_ukrainian_and_fits_a_phone(browser: object, demo_server: str) -> None:
    problems = []
    for path in PAGES.values():
        texts, layout = _visit(browser, demo_server + path)
        problems += _report(path, reader_problems(texts) + layout)
    assert not problems, "\n".join(problems)


def test_the_api_reference_is_marked_english_and_fits_a_phone(browser: object, demo_server: str) -> None:
    problems = []
    for path in ENGLISH_PAGES.values():
        texts, layout = _visit(browser, demo_server + path)
        # Nothing on it claims to be Ukrainian: the page is lang="en".
        assert texts == [texts[-1]] or not any(texts[:-1]), texts[:5]
        problems += _report(path, layout)
    assert not problems, "\n".join(problems)


def test_refusals_read_in_ukrainian(browser: object, demo_server: str, settings: object) -> None:
    """429 for one suggestion too many, and for one wrong password too many (django-axes), in Ukrainian."""
    settings.LWF_SUGGESTIONS_PER_HOUR = 0  # type: ignore[attr-defined]
    settings.AXES_FAILURE_LIMIT = 1  # type: ignore[attr-defined]

    def suggest(page: object) -> None:
        page.fill("#suggest-message", "Тут є помилка в назві.")  # type: ignore[attr-defined]
        page.click("form.suggest-form button[type=submit]")  # type: ignore[attr-defined]

    def sign_in(page: object) -> None:
        # One wrong password is the limit here: the next answer is the lock, whichever attempt it comes on.
        while page.locator("input[name=password]").count():  # type: ignore[attr-defined]
            page.fill("input[name=username]", "nobody")  # type: ignore[attr-defined]
            page.fill("input[name=password]", "wrong")  # type: ignore[attr-defined]
            page.click("#sign-in button[type=submit]")  # type: ignore[attr-defined]
            page.wait_for_load_state("load")  # type: ignore[attr-defined]

    problems = []
    for path, act, marker in (("/uk/suggest/", suggest, "годину"), ("/uk/accounts/sign-in/", sign_in, "тимчасово")):
        texts, layout = _visit(browser, demo_server + path, act)
        assert any(marker in text for text in texts), texts
        problems += _report(path, reader_problems(texts) + layout)
    assert not problems, "\n".join(problems)


def test_the_ukrainian_field_guide_reads_in_ukrainian_and_fits_a_phone(
    browser: object, demo_server: str, tmp_path: Path
) -> None:
    from lestweforget.photos.field_guide import site_guide

    problems = []
    for slug in ("izium-mass-burial-site", "izium-police-station-basement"):
        with zipfile.ZipFile(io.BytesIO(site_guide(public.public_site(slug), "uk", demo_server))) as bundle:
            bundle.extractall(tmp_path / slug)
        url = (tmp_path / slug / "index.html").as_uri()
        texts, layout = _visit(browser, url)
        problems += _report(slug, reader_problems(texts) + layout)
    assert not problems, "\n".join(problems)


def test_screenshots_of_the_atlas_and_the_izium_page(browser: object, demo_server: str, artifacts: Path) -> None:
    """For people to look at: the atlas and the Izium page in both languages at 390 and 1280 px."""
    for width in (390, 1280):
        context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": width, "height": 900}, is_mobile=width < 800, has_touch=width < 800
        )
        page = context.new_page()
        page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
        for prefix in ("", "/uk"):
            language = prefix.strip("/") or "en"
            page.goto(f"{demo_server}{prefix}/")
            page.wait_for_function("() => document.getElementById('atlas').dataset.state === 'ready'")
            page.screenshot(path=str(artifacts / f"uktext-atlas-{language}-{width}.png"), full_page=True)
            page.goto(f"{demo_server}{prefix}/sites/izium-mass-burial-site/")
            page.wait_for_function("() => document.querySelector('.uncertainty-circle').getAttribute('d')")
            page.screenshot(path=str(artifacts / f"uktext-site-{language}-{width}.png"), full_page=True)
        assert page.evaluate("() => document.documentElement.scrollWidth") == width
        context.close()
