"""Real Chromium (Debian's) driven by Playwright; screenshots land in test-artifacts/ for people to look at."""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own database calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LWF_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# A 1×1 grey PNG stands in for map tiles, so tests neither reach the network nor log failed loads.
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mO8e/fufwAIkgOcFMBrJgAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")  # type: ignore[attr-defined]
    page = context.new_page()
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(body=TILE_PNG, content_type="image/png"),
    )
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.on("console", lambda msg: page.js_errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def grey_tiles() -> Callable[[object], None]:
    """Routes a browser context's map tiles to the grey stand-in (aborted tiles would log console errors)."""

    def route(context: object) -> None:
        context.route(  # type: ignore[attr-defined]
            "https://tile.openstreetmap.org/**",
            lambda route: route.fulfill(body=TILE_PNG, content_type="image/png"),
        )

    return route


# The crowd the atlas-at-scale tests look at: enough sites to cluster at the country view and page the list.
REGISTER_SITES = 600


@pytest.fixture
def demo_server(live_server: object) -> str:
    """A live server holding the Izium demo record."""
    from lestweforget.atlas.demo import load_demo

    load_demo()
    return live_server.url  # type: ignore[attr-defined, no-any-return]


@pytest.fixture
def register_server(live_server: object) -> str:
    """A live server holding the demo record and REGISTER_SITES synthetic sites over Ukraine (seed 7)."""
    from lestweforget.atlas.demo import load_demo
    from lestweforget.register import synthetic

    load_demo()
    synthetic.generate(REGISTER_SITES, seed=7)
    return live_server.url  # type: ignore[attr-defined, no-any-return]
