"""Photos on the web: the public gets clean derivatives of published photos; editors also those of unpublished
ones; investigators (and admins) also get originals, each download in the ledger."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from photo_fixtures import NEAR_SITE, SITE, evidence_dir, jpeg, run_import

from accounts import account, sign_in
from lestweforget.atlas.evidence_records import open_ledger
from lestweforget.atlas.models import Site
from lestweforget.atlas.record_ledger import unrecorded
from lestweforget.photos.models import Photo

__all__ = ["evidence_dir"]  # a fixture, used by name

pytestmark = [pytest.mark.urls("photo_urls"), pytest.mark.usefixtures("demo", "evidence_dir")]


@dataclass(frozen=True)
class Photos:
    plain: Photo
    graphic: Photo
    unpublished: Photo


@pytest.fixture
def photos(tmp_path: Path) -> Photos:
    run_import(
        [
            jpeg(tmp_path / "plain.jpg", position=NEAR_SITE, pattern=1),
            jpeg(tmp_path / "graphic.jpg", position=NEAR_SITE, pattern=2, colour=(90, 10, 10)),
        ],
        publish=True,
        author="Field Team North",
    )
    run_import([jpeg(tmp_path / "draft.jpg", position=NEAR_SITE, pattern=3, colour=(10, 90, 10))])
    with unrecorded():
        Photo.objects.filter(original_name="plain.jpg").update(
            caption_en="The pine forest at the cemetery's edge", caption_uk="Сосновий ліс на краю кладовища"
        )
        Photo.objects.filter(original_name="graphic.jpg").update(content_note=Photo.ContentNote.HUMAN_REMAINS)
    return Photos(*(Photo.objects.get(original_name=n) for n in ("plain.jpg", "graphic.jpg", "draft.jpg")))


@pytest.fixture
def editor(client: Client) -> Client:
    return sign_in(client, account("editor"))


@pytest.fixture
def investigator() -> Client:
    return sign_in(Client(), account("investigator"))


def _thumb(photo: Photo) -> str:
    return f"/photos/{photo.thumb_sha256}/thumb.jpg"


def test_public_page_shows_derivatives_with_caption_credit_and_licence_only(client: Client, photos: Photos) -> None:
    html = client.get(f"/test-photos/{SITE}/").content.decode()
    assert f'src="{_thumb(photos.plain)}"' in html
    assert "The pine forest at the cemetery&#x27;s edge" in html
    assert "Photo: Field Team North" in html and "CC BY 4.0" in html
    assert _thumb(photos.unpublished) not in html and photos.unpublished.sha256 not in html
    assert "/evidence/" not in html
    assert "Field-7" not in html and "TestCam" not in html
    assert "plain.jpg" not in html


def test_caption_follows_the_readers_language(client: Client, photos: Photos) -> None:
    html = client.get(f"/uk/test-photos/{SITE}/").content.decode()
    assert "Сосновий ліс на краю кладовища" in html


def test_graphic_photo_is_not_loaded_until_the_reader_chooses_to_see_it(client: Client, photos: Photos) -> None:
    html = client.get(f"/test-photos/{SITE}/").content.decode()
    tag = re.search(rf"<img[^>]*{re.escape(_thumb(photos.graphic))}[^>]*>", html)
    assert tag is not None
    assert f'data-src="{_thumb(photos.graphic)}"' in tag.group(0)
    assert " src=" not in tag.group(0) and 'class="withheld"' in tag.group(0)
    assert "This photo shows human remains." in html and "Show this photo" in html
    assert "localStorage" not in html and "cookie" not in html


def test_investigator_sees_the_original_link_and_the_device(investigator: Client, photos: Photos) -> None:
    html = investigator.get(f"/test-photos/{SITE}/").content.decode()
    assert f'href="/evidence/{photos.plain.sha256}"' in html
    assert "TestCam Field-7" in html and "plain.jpg" in html


def test_editor_sees_neither_the_original_link_nor_the_device(editor: Client, photos: Photos) -> None:
    html = editor.get(f"/test-photos/{SITE}/").content.decode()
    assert "/evidence/" not in html and "TestCam" not in html and "plain.jpg" not in html


def test_published_derivative_is_served_with_an_hour_of_caching(client: Client, photos: Photos) -> None:
    response = client.get(_thumb(photos.plain))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=3600"  # short, so unpublishing takes effect in caches
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == photos.plain.thumb_sha256
    web = client.get(f"/photos/{photos.plain.web_sha256}/web.jpg")
    assert hashlib.sha256(b"".join(web.streaming_content)).hexdigest() == photos.plain.web_sha256


def test_unpublished_photo_is_404_for_the_public_and_private_for_editors(
    client: Client, editor: Client, photos: Photos
) -> None:
    assert Client().get(_thumb(photos.unpublished)).status_code == 404
    response = editor.get(_thumb(photos.unpublished))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_photos_of_an_unpublished_site_are_404_for_the_public(client: Client, photos: Photos) -> None:
    Site.objects.filter(slug=SITE).update(is_published=False)
    assert client.get(_thumb(photos.plain)).status_code == 404
    assert client.get(f"/test-photos/{SITE}/").status_code == 404


def test_original_is_for_investigators_only_and_unknown_looks_the_same_as_forbidden(
    client: Client, photos: Photos, django_user_model: Any
) -> None:
    public = Client()
    forbidden = public.get(f"/evidence/{photos.plain.sha256}")
    unknown = public.get(f"/evidence/{'0' * 64}")
    assert forbidden.status_code == unknown.status_code == 404
    # The same page either way (apart from the path it names and its fresh CSRF token).
    assert len(forbidden.content) == len(unknown.content)
    assert forbidden.get("Content-Type") == unknown.get("Content-Type")

    reader = django_user_model.objects.create_user("reader", password="a long test password")
    client.force_login(reader)
    assert client.get(f"/evidence/{photos.plain.sha256}").status_code == 404

    # is_staff alone, or an editor's role, no longer reaches originals.
    reader.is_staff = True
    reader.save()
    assert client.get(f"/evidence/{photos.plain.sha256}").status_code == 404
    assert sign_in(Client(), account("editor")).get(f"/evidence/{photos.plain.sha256}").status_code == 404

    client = sign_in(Client(), account("investigator"))
    before = len(open_ledger().entries())
    response = client.get(f"/evidence/{photos.plain.sha256}")
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == photos.plain.sha256
    assert response["Content-Disposition"].startswith("attachment;") and "plain.jpg" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(f"/evidence/{'0' * 64}").status_code == 404
    downloads = open_ledger().entries()[before:]
    assert [(e.action, e.object, e.details["what"]) for e in downloads] == [
        ("evidence.downloaded", f"sha256:{photos.plain.sha256}", "original")
    ]
    assert downloads[0].actor.startswith("user:")


def test_an_investigator_without_the_second_factor_is_sent_to_it(photos: Photos) -> None:
    client = sign_in(Client(), account("investigator"), second_factor=False)
    response = client.get(f"/evidence/{photos.plain.sha256}")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/?next=")


def test_a_wrong_size_or_a_malformed_hash_is_404(client: Client, photos: Photos) -> None:
    assert client.get(f"/photos/{photos.plain.sha256}/original.jpg").status_code == 404
    assert client.get(f"/photos/{photos.plain.sha256[:-1]}/thumb.jpg").status_code == 404
    assert client.post(_thumb(photos.plain)).status_code == 405


def test_admin_shows_what_was_recorded_read_only_and_links_the_original(
    client: Client, photos: Photos, django_user_model: Any
) -> None:
    admin = django_user_model.objects.create_superuser("chief", password="a long test password")
    sign_in(client, admin)
    listing = client.get("/admin/photos/photo/")
    assert listing.status_code == 200 and "plain.jpg" in listing.content.decode()
    page = client.get(f"/admin/photos/photo/{photos.plain.pk}/change/").content.decode()
    assert f'href="/evidence/{photos.plain.sha256}"' in page
    assert 'name="caption_en"' in page and 'name="sha256"' not in page and 'name="device_model"' not in page
    assert "Field-7" in page
    assert client.get("/admin/photos/photo/add/").status_code == 403
    assert client.get("/admin/photos/quarantinedfile/").status_code == 200
    assert client.get("/admin/photos/contributor/").status_code == 200
