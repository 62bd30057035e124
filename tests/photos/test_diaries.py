"""A photo diary made from the real 9-photo GPS walk: its order, route, waypoints, exports and what stays private."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import fastkml
import gpxpy
import pytest
from diary_fixtures import (
    AUTHOR,
    DIARY,
    START_LAT,
    START_LON,
    WALK_SITE,
    assert_no_precise_fragment,
    generalise,
    import_walk,
    load_walk_site,
    walk_files,
)
from django.db.models import F
from django.test import Client
from photo_fixtures import evidence_dir, exiftool, exiftool_json

from accounts import sign_in
from lestweforget.atlas.models import Site
from lestweforget.atlas.record_ledger import unrecorded
from lestweforget.cli import main
from lestweforget.photos import diaries
from lestweforget.photos.models import Diary, DiaryEntry, Photo

__all__ = ["evidence_dir", "exiftool"]  # fixtures used by name

pytestmark = pytest.mark.usefixtures("evidence_dir")


@pytest.fixture
def walk_site(db: None, tmp_path: Path) -> Site:
    walk_files()
    return load_walk_site(tmp_path)


@pytest.fixture
def walk(walk_site: Site) -> Site:
    assert import_walk(walk_files()) == 0
    return walk_site


@pytest.fixture
def oracle(exiftool: str) -> list[dict[str, Any]]:
    """exiftool's reading of the walk, in the order the camera clock gives."""
    records = exiftool_json(exiftool, "-n", *map(str, walk_files()))
    return sorted(records, key=lambda r: r["DateTimeOriginal"])


def _name(record: dict[str, Any]) -> str:
    return Path(record["SourceFile"]).name


def _mark_all_as_waypoints() -> None:
    for entry in DiaryEntry.objects.all():
        entry.waypoint_name_en = f"Stop at {entry.photo.original_name}"
        entry.save()


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return response.content.decode("utf-8")


def test_import_with_diary_orders_the_entries_by_capture_time(
    walk_site: Site, oracle: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert import_walk(walk_files()) == 0
    walk = walk_site
    diary = Diary.objects.get()
    assert (diary.site, diary.title_en, diary.is_published) == (walk, DIARY, True)
    assert diary.author is not None and diary.author.pseudonym == AUTHOR
    first = datetime.strptime(oracle[0]["DateTimeOriginal"], "%Y:%m:%d %H:%M:%S")
    assert diary.visit_date == first.date() == date(2008, 10, 22)  # the camera's date, not the GPS's next day
    entries = list(diary.entries.select_related("photo"))
    assert [e.photo.original_name for e in entries] == [_name(r) for r in oracle]
    assert [e.position for e in entries] == list(range(1, 10))
    printed = capsys.readouterr().out
    assert "Made the diary" in printed and "Walk" in printed and "9 entries" in printed


def test_route_passes_through_the_nine_camera_positions_in_time_order(walk: Site, oracle: list[dict[str, Any]]) -> None:
    (diary,) = diaries.public_diaries(walk)
    assert diary.positional and len(diary.entries) == 9
    route = [(p.latitude, p.longitude) for p in diary.route]
    expected = [(r["GPSLatitude"], r["GPSLongitude"]) for r in oracle]
    assert route == [pytest.approx(point, abs=1e-6) for point in expected]
    # Reordering the story does not reorder the walk.
    entries = list(DiaryEntry.objects.order_by("position"))
    DiaryEntry.objects.update(position=-F("id"))
    for position, entry in enumerate(reversed(entries), start=1):
        DiaryEntry.objects.filter(pk=entry.pk).update(position=position)
    (reordered,) = diaries.public_diaries(walk)
    assert reordered.entries[0].photo_id == entries[-1].photo.pk
    assert [(p.latitude, p.longitude) for p in reordered.route] == route


def test_gps_date_a_day_off_is_mended_from_the_camera_clock(walk: Site, oracle: list[dict[str, Any]]) -> None:
    (diary,) = diaries.public_diaries(walk)
    for entry, record in zip(diary.entries, oracle, strict=True):
        assert record["GPSDateStamp"] == "2008:10:23"  # what the file says, a day after the camera's clock
        hours, minutes, seconds = (float(part) for part in record["GPSTimeStamp"].split(":"))
        assert entry.time_utc is not None and entry.time_utc.date() == date(2008, 10, 22)
        expected = hours * 3600 + minutes * 60 + seconds
        got = entry.time_utc.hour * 3600 + entry.time_utc.minute * 60 + entry.time_utc.second
        assert abs(got + entry.time_utc.microsecond / 1e6 - expected) < 0.01
        assert entry.time_label == record["DateTimeOriginal"][11:16]


def test_rerunning_the_import_with_the_diary_changes_nothing(walk: Site, capsys: pytest.CaptureFixture[str]) -> None:
    before = list(DiaryEntry.objects.values_list("id", "photo_id", "position"))
    capsys.readouterr()
    assert import_walk(walk_files()) == 0
    assert Diary.objects.count() == 1
    assert list(DiaryEntry.objects.values_list("id", "photo_id", "position")) == before
    assert "Unchanged: the diary" in capsys.readouterr().out


def test_a_later_import_adds_only_the_new_photos_after_the_last_entry(db: None, tmp_path: Path) -> None:
    files = walk_files()
    load_walk_site(tmp_path)
    assert import_walk(files[5:]) == 0
    assert import_walk(files) == 0
    names = [e.photo.original_name for e in Diary.objects.get().entries.select_related("photo")]
    assert names == [f.name for f in files[5:]] + [f.name for f in files[:5]]


def test_diary_without_a_photo_of_the_site_is_refused(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_walk_site(tmp_path)
    assert import_walk([tmp_path / "missing.jpg"]) == 2
    assert "no photo of this run belongs to the site" in capsys.readouterr().err
    assert Diary.objects.count() == 0


def test_site_gpx_holds_the_site_the_start_nine_waypoints_and_the_route(
    client: Client, walk: Site, oracle: list[dict[str, Any]]
) -> None:
    _mark_all_as_waypoints()
    gpx = gpxpy.parse(_get(client, f"/sites/{WALK_SITE}/export.gpx"))
    assert gpx.version == "1.1"
    waypoints = [w for w in gpx.waypoints if w.type == "waypoint"]
    assert len(waypoints) == 9
    assert [w.name for w in waypoints] == [f"{n}. Stop at {_name(r)}" for n, r in enumerate(oracle, start=1)]
    for waypoint, record in zip(waypoints, oracle, strict=True):
        assert (waypoint.latitude, waypoint.longitude) == pytest.approx(
            (record["GPSLatitude"], record["GPSLongitude"]), abs=1e-6
        )
        assert waypoint.link and waypoint.link.startswith(f"http://testserver/sites/{WALK_SITE}/#diary-")
        assert waypoint.time is not None and waypoint.time.astimezone(UTC).date() == date(2008, 10, 22)
    site = next(w for w in gpx.waypoints if w.type == "memorial")
    assert (site.latitude, site.longitude) == pytest.approx((walk.public_latitude, walk.public_longitude))
    start = next(w for w in gpx.waypoints if w.type == "start_point")
    assert (start.latitude, start.longitude) == pytest.approx((START_LAT, START_LON))
    assert start.symbol == "Trail Head" and start.description.startswith("Stay on the marked paths.")
    (track,) = gpx.tracks
    (segment,) = track.segments
    assert track.name == DIARY
    assert [(p.latitude, p.longitude) for p in segment.points] == [
        pytest.approx((r["GPSLatitude"], r["GPSLongitude"]), abs=1e-6) for r in oracle
    ]
    times = [p.time for p in segment.points]
    assert all(t is not None for t in times) and times == sorted(times)  # type: ignore[type-var]


def _placemarks(text: str) -> list[fastkml.Placemark]:
    found: list[fastkml.Placemark] = []

    def walk(node: object) -> None:
        for child in getattr(node, "features", []) or []:
            if isinstance(child, fastkml.Placemark):
                found.append(child)
            walk(child)

    walk(fastkml.KML.from_string(text.encode("utf-8")))
    return found


def test_site_kml_holds_the_waypoints_with_their_thumbnails_and_the_route(client: Client, walk: Site) -> None:
    _mark_all_as_waypoints()
    placemarks = _placemarks(_get(client, f"/sites/{WALK_SITE}/export.kml"))
    photos = {p.original_name: p for p in Photo.objects.all()}
    waypoints = [p for p in placemarks if p.name and re.match(r"\d+\. Stop at ", p.name)]
    assert len(waypoints) == 9
    for placemark in waypoints:
        photo = photos[placemark.name.split("Stop at ")[1]]
        thumbnail = f"http://testserver/photos/{photo.thumb_sha256}/thumb.jpg"
        assert f'<img src="{thumbnail}"' in placemark.description
        image = client.get(thumbnail.removeprefix("http://testserver"))
        assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    lines = [p for p in placemarks if p.geometry is not None and p.geometry.geom_type == "LineString"]
    assert len(lines) == 1 and len(lines[0].geometry.coords) == 9


def test_a_graphic_photo_is_a_waypoint_without_its_thumbnail(client: Client, walk: Site) -> None:
    _mark_all_as_waypoints()
    graphic = DiaryEntry.objects.order_by("position")[2].photo
    with unrecorded():
        Photo.objects.filter(pk=graphic.pk).update(content_note=Photo.ContentNote.HUMAN_REMAINS)
    text = _get(client, f"/sites/{WALK_SITE}/export.kml")
    (placemark,) = [p for p in _placemarks(text) if p.name and p.name.startswith("3. ")]
    assert "<img" not in placemark.description and "human remains" in placemark.description
    assert f"/photos/{graphic.thumb_sha256}/thumb.jpg" not in text


def test_a_photo_held_back_never_appears_and_the_waypoints_close_up(client: Client, walk: Site) -> None:
    _mark_all_as_waypoints()
    hidden = DiaryEntry.objects.order_by("position")[3].photo
    with unrecorded():
        Photo.objects.filter(pk=hidden.pk).update(is_published=False)
    for url in (f"/sites/{WALK_SITE}/", f"/sites/{WALK_SITE}/export.gpx", f"/sites/{WALK_SITE}/export.kml"):
        text = _get(client, url)
        assert hidden.sha256 not in text, url
        assert f"{hidden.latitude:.6f}" not in text, url
    gpx = gpxpy.parse(_get(client, f"/sites/{WALK_SITE}/export.gpx"))
    assert [w.name.split(".")[0] for w in gpx.waypoints if w.type == "waypoint"] == [str(n) for n in range(1, 9)]
    assert len(gpx.tracks[0].segments[0].points) == 8


def test_an_unpublished_diary_is_not_shown_or_exported(client: Client, walk: Site) -> None:
    _mark_all_as_waypoints()
    Diary.objects.update(is_published=False)
    page = _get(client, f"/sites/{WALK_SITE}/")
    assert 'id="diaries"' not in page and "diary-entry" not in page
    gpx = gpxpy.parse(_get(client, f"/sites/{WALK_SITE}/export.gpx"))
    assert [w.type for w in gpx.waypoints] == ["memorial", "start_point"] and gpx.tracks == []


def test_site_page_tells_the_diary_as_a_story(client: Client, walk: Site, oracle: list[dict[str, Any]]) -> None:
    entry = DiaryEntry.objects.order_by("position").first()
    assert entry is not None
    entry.caption_en, entry.text_en, entry.waypoint_name_en = "The lane", "We set off here.", "Entrance"
    entry.save()
    page = _get(client, f"/sites/{WALK_SITE}/")
    assert "<h3" in page and f">{DIARY}</h3>" in page
    assert f"By {AUTHOR}" in page and "visited on 22 October 2008" in page
    assert page.count('class="diary-entry') == 9 and page.count('class="entry-map"') == 9
    assert "The lane" in page and "We set off here." in page
    assert re.search(r'<span class="waypoint-number">1</span>\s*Entrance', page)
    assert ">16:28</time>" in page
    for photo in Photo.objects.all():
        assert f"/photos/{photo.web_sha256}/web.jpg" in page
        assert photo.sha256 not in page  # the original's hash would let a holder of the file confirm it as the source
        assert photo.original_name not in page  # the original's file name and device stay restricted
    maps = json.loads(re.search(r'<script id="diary-maps" type="application/json">(.*?)</script>', page, re.S)[1])
    ((_anchor, data),) = maps
    assert [tuple(point) for point in data["route"]] == [
        pytest.approx((r["GPSLatitude"], r["GPSLongitude"]), abs=1e-6) for r in oracle
    ]
    assert [w["number"] for w in data["waypoints"]] == [1] and len(data["entries"]) == 9
    # The approach card: start, mode and now the distance and bearing from the start to the site.
    assert re.search(r"From the start, the site is \d+ m south-west", page)
    assert f'href="/sites/{WALK_SITE}/guide.zip"' in page


def test_ukrainian_page_shows_ukrainian_captions(client: Client, walk: Site) -> None:
    entry = DiaryEntry.objects.order_by("position").first()
    assert entry is not None
    with unrecorded():
        Photo.objects.filter(pk=entry.photo_id).update(caption_en="Lane", caption_uk="Провулок")
    Diary.objects.update(title_uk="Прогулянка")
    page = _get(client, f"/uk/sites/{WALK_SITE}/")
    assert "Провулок" in page and "Прогулянка" in page
    assert 'href="/uk/sites/walk-test-site/guide.zip"' in page


def test_generalised_site_publishes_no_position_from_its_diary(client: Client, walk: Site) -> None:
    _mark_all_as_waypoints()
    generalise(walk)
    (diary,) = diaries.public_diaries(walk)
    assert not diary.positional and diary.route == () and diary.waypoints == ()
    assert all(e.place is None for e in diary.entries)
    urls = [f"/sites/{WALK_SITE}/", f"/uk/sites/{WALK_SITE}/", "/", f"/api/sites/{WALK_SITE}"]
    urls += [f"/sites/{WALK_SITE}/export.{fmt}" for fmt in ("gpx", "kml", "geojson", "csv")]
    for url in urls:
        text = _get(client, url)
        assert_no_precise_fragment(text, walk, url)
    page = _get(client, f"/sites/{WALK_SITE}/")
    # The photos and their words stay; the maps go.
    assert page.count('class="diary-entry') == 9 and "Stop at DSCN0010.jpg" in page
    assert 'class="entry-map"' not in page
    assert 'class="map diary-map"' not in page
    gpx = gpxpy.parse(_get(client, f"/sites/{WALK_SITE}/export.gpx"))
    assert [w.type for w in gpx.waypoints] == ["memorial"] and gpx.tracks == []


def test_admin_reorders_entries_by_swapping_positions(client: Client, walk: Site, django_user_model: Any) -> None:
    user = django_user_model.objects.create_superuser("editor", password="a long test password")
    sign_in(client, user)
    diary = Diary.objects.get()
    entries = list(diary.entries.order_by("position"))
    data: dict[str, Any] = {
        "site": walk.pk,
        "is_published": "on",
        "title_en": diary.title_en,
        "title_uk": "",
        "author": diary.author_id,
        "visit_date": diary.visit_date.isoformat() if diary.visit_date else "",
        "introduction_en": "",
        "introduction_uk": "",
        "entries-TOTAL_FORMS": len(entries),
        "entries-INITIAL_FORMS": len(entries),
        "entries-MIN_NUM_FORMS": 0,
        "entries-MAX_NUM_FORMS": 1000,
    }
    for index, entry in enumerate(entries):
        position = {0: 2, 1: 1}.get(index, entry.position)
        data |= {
            f"entries-{index}-id": entry.pk,
            f"entries-{index}-diary": diary.pk,
            f"entries-{index}-position": position,
            f"entries-{index}-photo": entry.photo_id,
            f"entries-{index}-caption_en": "First, now second" if index == 0 else "",
            f"entries-{index}-waypoint_name_en": "Gate" if index == 1 else "",
        }
    response = client.post(f"/admin/photos/diary/{diary.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    reordered = list(diary.entries.order_by("position").values_list("id", flat=True))
    assert reordered[:2] == [entries[1].pk, entries[0].pk] and reordered[2:] == [e.pk for e in entries[2:]]
    (public,) = diaries.public_diaries(walk)
    assert (public.entries[0].waypoint_name, public.entries[1].caption) == ("Gate", "First, now second")


def test_lwf_export_of_the_site_holds_the_diary_too(walk: Site, tmp_path: Path) -> None:
    _mark_all_as_waypoints()
    out = tmp_path / "walk.gpx"
    assert main(["export", "gpx", "--site", WALK_SITE, "-o", str(out), "--base-url", "https://atlas.example"]) == 0
    gpx = gpxpy.parse(out.read_text(encoding="utf-8"))
    waypoints = [w for w in gpx.waypoints if w.type == "waypoint"]
    assert len(waypoints) == 9 and all(w.link.startswith("https://atlas.example/sites/") for w in waypoints)
    assert len(gpx.tracks[0].segments[0].points) == 9
    # The atlas-wide export stays one waypoint per site.
    assert main(["export", "gpx", "-o", str(out)]) == 0
    assert [w.type for w in gpxpy.parse(out.read_text(encoding="utf-8")).waypoints] == ["memorial"]
