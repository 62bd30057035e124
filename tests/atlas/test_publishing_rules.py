"""Rules enforced where an editor decides to publish: every event cites a source; a site that looks wrong (at 0°, 0°,
far from its settlement, nameless) is published only once confirmed. Each is checked in the admin and the record
loader, and a refusal names the problem and changes nothing stored."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts import sign_in
from admin_form import form_values
from lestweforget.atlas import public
from lestweforget.atlas.demo import RecordFileError, demo_path, load_record_file
from lestweforget.atlas.models import Event, Site
from lestweforget.exports import FORMATS

SITE = "izium-mass-burial-site"
# The site's point as a slip of the keyboard writes it: latitude and longitude swapped.
SWAPPED = (37.244553, 49.220922)


@pytest.fixture
def editor(db: None) -> Client:
    user = User.objects.create_superuser("editor", "editor@example.org", "a long passphrase 1")
    client = Client()
    sign_in(client, user)
    return client


def _site_form(editor: Client, site: Site) -> tuple[str, dict[str, list[str]]]:
    url = f"/admin/atlas/site/{site.pk}/change/"
    return url, form_values(editor.get(url).content.decode(), "site_form")


def _stored(site: Site) -> tuple[float, float, bool, str]:
    site.refresh_from_db()
    return (site.latitude, site.longitude, site.is_published, site.confirmed_problems)


# Every fact needs a source.


def test_the_demo_events_all_cite_a_source(demo: object) -> None:
    assert Event.objects.count() > 0
    assert not Event.objects.exclude(Event.sourced()).exists()


def test_the_admin_refuses_an_event_without_a_source_naming_the_field(demo: object, editor: Client) -> None:
    site = Site.objects.get(slug=SITE)
    count = Event.objects.count()
    response = editor.post(
        "/admin/atlas/event/add/",
        {"site": site.pk, "kind": "exhumation", "date": "2022-09-16", "precision": "day", "title_en": "Unsourced"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "An event must cite at least one source." in page
    assert 'class="form-row errors field-sources' in page or "errorlist" in page
    assert Event.objects.count() == count


def test_the_admin_keeps_an_events_sources_and_saves_with_one(demo: object, editor: Client) -> None:
    event = Event.objects.filter(site__slug=SITE).first()
    assert event is not None
    url = f"/admin/atlas/event/{event.pk}/change/"
    data = form_values(editor.get(url).content.decode(), "event_form")
    sources = set(event.sources.values_list("pk", flat=True))
    data.pop("sources", None)
    assert editor.post(url, data).status_code == 200
    assert set(event.sources.values_list("pk", flat=True)) == sources
    data["sources"] = [str(next(iter(sources)))]
    data["title_en"] = ["Edited title"]
    assert editor.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.title_en == "Edited title"


def test_the_loader_refuses_an_event_without_a_source_and_stores_nothing(db: None, tmp_path: Path) -> None:
    text = demo_path().read_text(encoding="utf-8")
    record = tmp_path / "record.yaml"
    record.write_text(
        text
        + textwrap.indent(
            textwrap.dedent(
                """
                - site: izium-mass-burial-site
                  kind: other
                  date: "2022-09-20"
                  title: {en: "An unsourced event"}
                """
            ),
            "  ",
        ),
        encoding="utf-8",
    )
    with pytest.raises(RecordFileError, match=r"event '2022-09-20' 'An unsourced event': .*at least one source"):
        load_record_file(record)
    assert Site.objects.count() == 0 and Event.objects.count() == 0


def test_an_unsourced_event_never_reaches_a_public_page_export_or_the_api(demo: object, client: Client) -> None:
    site = Site.objects.get(slug=SITE)
    Event.objects.create(site=site, kind="other", date="2022-09-20", title_en="Unsourced rumour ZX81")
    assert not public.public_events(site).filter(title_en__contains="ZX81").exists()
    urls = [f"/sites/{SITE}/", f"/uk/sites/{SITE}/", "/", f"/api/sites/{SITE}/events", "/api/events"]
    urls += [f"/sites/{SITE}/export.{fmt}" for fmt in FORMATS]
    urls += [f"/export/atlas.{fmt}" for fmt in FORMATS]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert "ZX81" not in body.decode(), url


# Implausible sites.


def test_swapped_coordinates_are_refused_naming_the_distance_and_the_swap(demo: object, editor: Client) -> None:
    site = Site.objects.get(slug=SITE)
    before = _stored(site)
    url, data = _site_form(editor, site)
    data["latitude"], data["longitude"] = [str(SWAPPED[0])], [str(SWAPPED[1])]
    response = editor.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "1642.7 km south-east of central Izium, more than 50.0 km from the settlement" in page
    assert "Latitude and longitude look swapped" in page
    assert _stored(site) == before


def test_a_confirmed_implausible_site_is_published_and_the_confirmation_kept(demo: object, editor: Client) -> None:
    site = Site.objects.get(slug=SITE)
    url, data = _site_form(editor, site)
    data["latitude"], data["longitude"] = [str(SWAPPED[0])], [str(SWAPPED[1])]
    data["confirm_implausible"] = ["on"]
    assert editor.post(url, data).status_code == 302
    assert _stored(site) == (SWAPPED[0], SWAPPED[1], True, "far-from-settlement")
    # Saved again without the box: the problem is the same one, already confirmed.
    url, data = _site_form(editor, site)
    data["summary_en"] = ["Edited again."]
    assert "confirm_implausible" not in data
    assert editor.post(url, data).status_code == 302


def test_null_island_is_refused_and_an_unpublished_site_may_be_there(demo: object, editor: Client) -> None:
    site = Site.objects.get(slug=SITE)
    before = _stored(site)
    url, data = _site_form(editor, site)
    data["latitude"], data["longitude"] = ["0"], ["0"]
    page = editor.post(url, data).content.decode()
    assert "The point is at 0°, 0°" in page
    assert _stored(site) == before
    data.pop("is_published")
    assert editor.post(url, data).status_code == 302
    assert _stored(site)[:3] == (0.0, 0.0, False)


def test_a_published_site_with_no_name_needs_confirmation(demo: object, editor: Client) -> None:
    site = Site.objects.get(slug=SITE)
    names = site.names.count()
    url, data = _site_form(editor, site)
    for index in range(int(data["names-TOTAL_FORMS"][0])):
        if data.get(f"names-{index}-id", [""])[0]:
            data[f"names-{index}-DELETE"] = ["on"]
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "The site has no name in any language." in response.content.decode()
    assert site.names.count() == names
    data["confirm_implausible"] = ["on"]
    assert editor.post(url, data).status_code == 302
    assert site.names.count() == 0 and _stored(site)[3] == "no-name"


def test_the_loader_refuses_swapped_coordinates_unless_confirmed(db: None, tmp_path: Path) -> None:
    text = demo_path().read_text(encoding="utf-8")
    swapped = text.replace(
        "latitude: 49.220922\n      longitude: 37.244553", "latitude: 37.244553\n      longitude: 49.220922"
    )
    assert swapped != text
    record = tmp_path / "record.yaml"
    record.write_text(swapped, encoding="utf-8")
    with pytest.raises(RecordFileError, match=r"site 'izium-mass-burial-site': The point is 1642.7 km south-east"):
        load_record_file(record)
    assert Site.objects.count() == 0
    record.write_text(
        swapped.replace(
            "  - slug: izium-mass-burial-site\n", "  - slug: izium-mass-burial-site\n    confirm_implausible: true\n"
        ),
        encoding="utf-8",
    )
    load_record_file(record)
    assert Site.objects.get(slug=SITE).confirmed_problems == "far-from-settlement"


# The editors' tools for a site.


def test_the_site_list_shows_names_and_finds_a_site_by_any_of_its_names(demo: object, editor: Client) -> None:
    page = editor.get("/admin/atlas/site/").content.decode()
    assert "Izium mass burial site" in page
    assert f">{SITE}<" not in page
    found = editor.get("/admin/atlas/site/", {"q": "Піщанське"}).content.decode()
    assert "Izium mass burial site" in found and "Izium police station basement" not in found


@pytest.mark.parametrize(
    "text",
    [
        "37U CQ 72173 53498",
        "49°13′15.3″N 37°14′40.4″E",
        "8GXV66CV+9R7",
        "https://www.openstreetmap.org/?mlat=49.220922&mlon=37.244553#map=16/49.220922/37.244553",
        "X 5 455 781, Y 7 372 236",
    ],
)
def test_a_point_typed_in_any_form_lwf_where_reads_places_the_site(demo: object, editor: Client, text: str) -> None:
    site = Site.objects.get(slug=SITE)
    url, data = _site_form(editor, site)
    data["latitude"], data["longitude"] = ["49.1"], ["37.1"]
    data["place_text"] = [text]
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    site.refresh_from_db()
    assert site.latitude == pytest.approx(49.220922, abs=2e-4)
    assert site.longitude == pytest.approx(37.244553, abs=2e-4)


def test_unreadable_place_text_is_refused_naming_the_text(demo: object, editor: Client) -> None:
    site = Site.objects.get(slug=SITE)
    before = _stored(site)
    url, data = _site_form(editor, site)
    data["place_text"] = ["somewhere near the forest"]
    response = editor.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cannot read a point from this text" in page and "somewhere near the forest" in page
    assert _stored(site) == before


def test_the_site_form_has_the_map_without_inline_script(demo: object, editor: Client) -> None:
    site = Site.objects.get(slug=SITE)
    response = editor.get(f"/admin/atlas/site/{site.pk}/change/")
    page = response.content.decode()
    assert 'class="site-map-picker"' in page and 'data-latitude-input="id_latitude"' in page
    assert 'src="/static/leaflet/leaflet.js"' in page and 'src="/static/atlas/site_map_picker.js"' in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert " onclick=" not in page
