"""Anonymous readers' pages are kept a few seconds and shared; each reader still gets a CSRF token of their own;
editors, the admin and downloads are never kept; hiding or moving something clears every kept page at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts import sign_in
from lestweforget.atlas.models import Site

SITE = "izium-mass-burial-site"
PAGE = f"/sites/{SITE}/"


@pytest.fixture
def kept(settings: object, tmp_path: Path, demo: object) -> None:
    settings.PAGE_CACHE_SECONDS = 600  # type: ignore[attr-defined]
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)},
    }


def test_a_page_is_built_once_and_then_served_kept_with_every_header(kept: None) -> None:
    first = Client().get(PAGE)
    assert first.status_code == 200 and "X-Page-Cache" not in first
    again = Client().get(PAGE)
    assert again["X-Page-Cache"] == "hit"
    assert (
        again.content.decode().split("csrfmiddlewaretoken")[0] == first.content.decode().split("csrfmiddlewaretoken")[0]
    )
    for header in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "Content-Type"):
        assert again[header] == first[header], header


def _token(html: str) -> str:
    return html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def test_each_reader_gets_a_token_of_their_own_and_the_language_switch_works(kept: None) -> None:
    Client().get(PAGE)
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(PAGE)
    assert page["X-Page-Cache"] == "hit"
    token = _token(page.content.decode())
    assert "\x00" not in token and len(token) == 64
    assert reader.cookies["csrftoken"].value
    switched = reader.post("/i18n/setlang/", {"language": "uk", "next": PAGE, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302


def test_languages_are_kept_apart(kept: None) -> None:
    Client().get(PAGE)
    ukrainian = Client().get("/uk" + PAGE)
    assert 'lang="uk"' in ukrainian.content.decode() and "X-Page-Cache" not in ukrainian


def test_editors_the_admin_and_downloads_are_never_kept(kept: None) -> None:
    editor = Client()
    sign_in(editor, User.objects.create_superuser("editor", "e@example.org", "a long passphrase 3"))
    for _ in range(2):
        assert "X-Page-Cache" not in editor.get(PAGE)
        assert "X-Page-Cache" not in Client().get(f"/sites/{SITE}/export.kml")
        assert "X-Page-Cache" not in Client().get("/admin/login/")


def test_withdrawing_a_site_clears_every_kept_page_at_once(kept: None) -> None:
    reader = Client()
    reader.get(PAGE)
    reader.get("/")
    assert reader.get(PAGE)["X-Page-Cache"] == "hit"
    site = Site.objects.get(slug=SITE)
    site.is_published = False
    site.save()
    assert reader.get(PAGE).status_code == 404
    assert SITE not in reader.get("/").content.decode()


def test_a_change_of_sensitivity_clears_them_and_a_plain_text_edit_waits_for_expiry(kept: None) -> None:
    reader = Client()
    reader.get(PAGE)
    site = Site.objects.get(slug=SITE)
    site.summary_en = "An edited summary."
    site.save()
    assert "An edited summary." not in reader.get(PAGE).content.decode()  # kept until it expires
    site.sensitivity = Site.Sensitivity.GENERALISED
    site.save()
    page = reader.get(PAGE)
    assert "X-Page-Cache" not in page and "An edited summary." in page.content.decode()


def test_off_when_the_setting_is_0(kept: None, settings: object) -> None:
    settings.PAGE_CACHE_SECONDS = 0  # type: ignore[attr-defined]
    Client().get(PAGE)
    assert "X-Page-Cache" not in Client().get(PAGE)
