"""`lwf import photos` against real camera files, checked with exiftool; bad input; tracks; re-runs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import gpxpy.gpx
import pytest
from photo_fixtures import (
    NEAR_SITE,
    SITE,
    camera,
    decompression_bomb_png,
    evidence_dir,
    exiftool,
    exiftool_json,
    jpeg,
    run_import,
)
from PIL import Image

from lestweforget.atlas import evidence_records
from lestweforget.cli import main
from lestweforget.geo.track import position_at, read_track
from lestweforget.photos.ingest import IngestError
from lestweforget.photos.models import Contributor, Photo, QuarantinedFile

__all__ = ["camera", "evidence_dir", "exiftool"]  # fixtures used by name

pytestmark = pytest.mark.usefixtures("demo", "evidence_dir")

GPS_WALK = "jpg/gps"
HEIC = ("heic/IMG_5195.HEIC", "heic/mobile/HMD_Nokia_8.3_5G.heif", "heic/mobile/iphone_13_pro_max.HEIC")
OTHERS = (
    "jpg/Kodak_CX7530.jpg",
    "jpg/mobile/HMD_Nokia_8.3_5G.jpg",
    "jpg/tests/45-gps_ifd.jpg",
    "jpg/Canon_40D.jpg",
    "jpg/tests/67-0_length_string.jpg",
    "jpg/tests/87_OSError.jpg",
    "jpg/corrupted.jpg",
    "jpg/xmp/no_exif.jpg",
)
# The only exiftool family-1 groups a clean JPEG has: about the file and its JPEG coding, nothing about the
# capture (anything else, such as ExifIFD, IFD0, GPS, XMP-*, IPTC, ICC_Profile or MakerNotes, is metadata).
CLEAN_GROUPS = frozenset({"ExifTool", "System", "File", "JFIF", "Composite"})


def _entries(action: str | None = None) -> list[dict[str, object]]:
    entries = evidence_records.open_ledger().entries()
    return [e.fields() for e in entries if action is None or e.action == action]


def test_real_photos_import_with_the_times_and_positions_exiftool_reads(camera: Path, exiftool: str) -> None:
    walk = sorted((camera / GPS_WALK).glob("DSCN00*.jpg"))
    others = [camera / name for name in (*OTHERS, *HEIC)]
    report = run_import([*walk, *others], workers=2)

    assert report.ok, [f.message for f in report.problems]
    assert report.count("imported") == len(walk) + len(others) == 20
    oracle = {Path(r["SourceFile"]).name: r for r in exiftool_json(exiftool, "-n", *map(str, walk + others))}
    photos = {p.original_name: p for p in Photo.objects.all()}
    assert set(photos) == set(oracle)
    for name, record in oracle.items():
        photo = photos[name]
        assert (
            photo.sha256 == hashlib.sha256((camera / _relative(camera, name, walk + others)).read_bytes()).hexdigest()
        )
        if "GPSLatitude" in record and "GPSLongitude" in record:
            assert photo.position_source == Photo.PositionSource.EXIF, name
            assert photo.latitude == pytest.approx(record["GPSLatitude"], abs=1e-6), name
            assert photo.longitude == pytest.approx(record["GPSLongitude"], abs=1e-6), name
        else:
            assert (photo.position_source, photo.latitude, photo.longitude) == ("none", None, None), name
        if "DateTimeOriginal" in record:
            camera_clock = datetime.strptime(record["DateTimeOriginal"], "%Y:%m:%d %H:%M:%S")
            assert photo.capture_time_local[:19] == camera_clock.isoformat(), name
    # What PROVENANCE.md says of the awkward files.
    assert photos["Kodak_CX7530.jpg"].latitude is not None and photos["Kodak_CX7530.jpg"].latitude < 0
    assert "gps-present-but-empty" in photos["Canon_40D.jpg"].flags
    assert photos["45-gps_ifd.jpg"].position_source == "none"
    assert {photos[Path(h).name].format for h in HEIC} == {"HEIF"}
    assert all("gps-time-disagrees" in photos[p.name].flags for p in walk)
    # Every photo with a position is far from Izium, so held back; none is published without --publish.
    for photo in photos.values():
        assert not photo.is_published
        assert bool(photo.held_back_reason) == (photo.latitude is not None), photo.original_name
    assert len(report.held_back) == sum(1 for p in photos.values() if p.latitude is not None)


def _relative(camera: Path, name: str, paths: list[Path]) -> Path:
    return next(p for p in paths if p.name == name).relative_to(camera)


def test_every_step_is_one_ledger_entry_and_a_second_run_changes_nothing(camera: Path) -> None:
    walk = sorted((camera / GPS_WALK).glob("DSCN00*.jpg"))
    first = run_import(walk, workers=2)
    assert first.count("imported") == 9 and first.checkpoint_made
    ledger = evidence_records.open_ledger()
    size, checkpoints = ledger.size(), len(ledger.checkpoints())
    photos = list(Photo.objects.order_by("sha256").values())

    stored = [e["object"] for e in _entries("original.stored")]
    assert sorted(stored) == sorted(f"sha256:{p['sha256']}" for p in photos)
    assert sorted(e["object"] for e in _entries("metadata.read")) == sorted(stored)
    derivatives = sorted(f"sha256:{p[k]}" for p in photos for k in ("thumb_sha256", "web_sha256"))
    assert sorted(e["object"] for e in _entries("derivative.made")) == derivatives
    assert first.ledger_entries_added == size == 9 * 4
    assert _entries("metadata.read")[0]["details"]["device_model"] == "COOLPIX P6000"  # type: ignore[index]

    again = run_import([camera / GPS_WALK])  # the folder this time: the README in it is quarantined
    assert again.count("duplicate") == 9 and again.count("imported") == 0
    assert [f.path for f in again.problems] == [str(camera / GPS_WALK / "README")]
    assert list(Photo.objects.order_by("sha256").values()) == photos
    third = run_import([camera / GPS_WALK])
    assert third.ledger_entries_added == 0 and not third.checkpoint_made
    assert ledger.size() == size + 1  # only the README's quarantine
    assert len(ledger.checkpoints()) == checkpoints + 1


def test_near_duplicates_are_reported_with_the_photo_they_resemble(camera: Path) -> None:
    report = run_import([camera / "jpg/hdr/iphone_hdr_NO.jpg", camera / "jpg/hdr/iphone_hdr_YES.jpg"])
    assert report.count("imported") == 2
    (near,) = report.near_duplicates
    assert near.path.endswith("iphone_hdr_YES.jpg")
    assert near.near_duplicate_of is not None and near.near_duplicate_of.startswith("iphone_hdr_NO.jpg")
    assert near.near_duplicate_bits is not None and near.near_duplicate_bits <= 10


def test_exact_duplicates_are_stored_once_whatever_their_names(tmp_path: Path) -> None:
    original = jpeg(tmp_path / "card" / "IMG_0001.JPG", taken=datetime(2024, 5, 1, 13, 5), offset="+03:00")
    shutil.copy(original, tmp_path / "card" / "IMG_0001 (copy).JPG")
    report = run_import([tmp_path / "card"])
    assert [f.status for f in report.files] == ["imported", "duplicate"]
    assert "the same bytes as" in report.files[1].message and "IMG_0001.JPG" in report.files[1].message
    assert Photo.objects.count() == 1
    assert len(_entries("original.stored")) == 1


def test_published_derivatives_carry_no_metadata_and_are_upright(camera: Path, exiftool: str) -> None:
    files = sorted((camera / "jpg/orientation").glob("landscape_*.jpg"))
    report = run_import([*files, camera / "jpg/gps/DSCN0010.jpg"], publish=True, max_distance_km=20_000)
    assert report.count("imported") == 5
    store = evidence_records.open_store()
    published = list(Photo.objects.filter(is_published=True))
    assert len(published) == 5
    paths = [str(store.path_for(getattr(p, f"{k}_sha256"))) for p in published for k in ("thumb", "web")]
    originals = [str(store.path_for(p.sha256)) for p in published]
    for record in exiftool_json(exiftool, "-a", "-G1", *originals, *paths):
        groups = {key.split(":")[0] for key in record if ":" in key}
        leaked = groups - CLEAN_GROUPS
        if record["SourceFile"] in originals:
            assert leaked, record["SourceFile"]  # the oracle does see metadata where there is some
        else:
            assert not leaked, (record["SourceFile"], sorted(groups))
    upright = {}
    for photo in published:
        if photo.original_name.startswith("landscape_"):
            with Image.open(store.path_for(photo.web_sha256)) as web:
                assert web.width > web.height, photo.original_name
                upright[photo.original_name] = web.convert("L").resize((32, 24))
    reference = upright["landscape_1.jpg"]
    for name, image in upright.items():
        difference = sum(abs(a - b) for a, b in zip(image.tobytes(), reference.tobytes(), strict=True))
        assert difference / (32 * 24) < 12, name  # the same picture, turned the same way
    assert {e["object"] for e in _entries("photo.published")} == {f"sha256:{p.sha256}" for p in published}


def test_bad_input_gets_a_message_naming_the_file_and_the_rest_is_imported(tmp_path: Path, camera: Path) -> None:
    card = tmp_path / "card"
    jpeg(card / "good.jpg", position=NEAR_SITE, taken=datetime(2024, 5, 1, 13, 5), offset="+03:00")
    (card / "empty.jpg").write_bytes(b"")
    whole = (camera / "jpg/gps/DSCN0010.jpg").read_bytes()
    (card / "truncated.jpg").write_bytes(whole[: len(whole) // 2])
    (card / "bomb.png").write_bytes(decompression_bomb_png())
    (card / "notes.jpg").write_text("Not a photo: coordinates scribbled in a text file.\n", encoding="utf-8")
    os.mkfifo(card / "pipe.jpg")
    (card / "gone.jpg").symlink_to(card / "nowhere.jpg")
    secret = tmp_path / "elsewhere" / "home.jpg"
    jpeg(secret, colour=(10, 200, 10))
    (card / "escape.jpg").symlink_to(Path("..") / "elsewhere" / "home.jpg")
    (card / "folder.jpg").mkdir()
    jpeg(card / "folder.jpg" / "inside.jpg", colour=(10, 10, 200))
    (card / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")

    report = run_import([card, tmp_path / "no-such-card"])
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["good.jpg"].status == "imported" and by_name["inside.jpg"].status == "imported"
    expected = {
        "empty.jpg": ("quarantined", "the file is empty"),
        "truncated.jpg": ("quarantined", "truncated"),
        "bomb.png": ("quarantined", "decompression bomb"),
        "notes.jpg": ("quarantined", "not an image in a supported format"),
        "pipe.jpg": ("failed", "named pipe"),
        "gone.jpg": ("failed", "broken symbolic link"),
        "escape.jpg": ("failed", "symbolic link leading outside"),
        "no-such-card": ("failed", "no such file or folder"),
        ".DS_Store": ("skipped", "hidden file"),
    }
    for name, (status, words) in expected.items():
        outcome = by_name[name]
        assert outcome.status == status, (name, outcome)
        assert words in outcome.message and name in outcome.message, outcome.message
    assert not report.ok

    store = evidence_records.open_store()
    rows = {q.original_name: q for q in QuarantinedFile.objects.all()}
    assert set(rows) == {"empty.jpg", "truncated.jpg", "bomb.png", "notes.jpg"}
    for name, row in rows.items():
        kept = (store.quarantine_dir / row.sha256).read_bytes()
        assert hashlib.sha256(kept).hexdigest() == row.sha256
        assert kept == (card / name).read_bytes()
        assert store.quarantine_record(row.sha256)["error"] == row.error
    assert {e["object"] for e in _entries("original.quarantined")} == {f"sha256:{r.sha256}" for r in rows.values()}
    assert Photo.objects.filter(original_name="home.jpg").count() == 0
    assert Photo.objects.count() == 2
    assert evidence_records.verify_atlas().ok


def test_unknown_site_is_refused_before_anything_is_written(tmp_path: Path, evidence_dir: Path) -> None:
    photo = jpeg(tmp_path / "a.jpg")
    with pytest.raises(IngestError, match="--site 'nowhere': no site has that slug"):
        run_import([photo], site_slug="nowhere")
    assert not evidence_dir.exists()
    assert main(["import", "photos", str(photo), "--site", "nowhere"]) == 2
    assert not evidence_dir.exists() and Photo.objects.count() == 0


def _walk_track(path: Path, start: datetime) -> Path:
    """A documenter's phone log: a point every 30 s, walking north-east from the site's edge."""
    gpx = gpxpy.gpx.GPX()
    track = gpxpy.gpx.GPXTrack()
    segment = gpxpy.gpx.GPXTrackSegment()
    gpx.tracks.append(track)
    track.segments.append(segment)
    for step in range(21):
        segment.points.append(
            gpxpy.gpx.GPXTrackPoint(
                49.2200 + step * 0.0001, 37.2430 + step * 0.00015, time=start + timedelta(seconds=30 * step)
            )
        )
    path.write_text(gpx.to_xml(), encoding="utf-8")
    return path


def test_photos_without_gps_are_placed_from_the_track_by_their_utc_time(tmp_path: Path) -> None:
    start = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    track = _walk_track(tmp_path / "walk.gpx", start)
    card = tmp_path / "card"
    # Camera clock in Kyiv summer time (UTC+3), written with its offset.
    jpeg(card / "a.jpg", taken=datetime(2024, 5, 1, 13, 3, 10), offset="+03:00", pattern=1)
    # No offset in the file: placed only when --track-offset says what the clock was.
    jpeg(card / "b.jpg", taken=datetime(2024, 5, 1, 13, 7, 40), pattern=2)
    # Two hours after the walk ended.
    jpeg(card / "c.jpg", taken=datetime(2024, 5, 1, 15, 30, 0), offset="+03:00", pattern=3)
    # Its own GPS wins over the track.
    jpeg(card / "d.jpg", taken=datetime(2024, 5, 1, 13, 5, 0), offset="+03:00", position=NEAR_SITE, pattern=4)

    report = run_import([card], track=track)
    placed = {Path(f.path).name: f for f in report.placed_from_track}
    assert set(placed) == {"a.jpg"}
    fixes = read_track(track)
    expected = position_at(fixes, datetime(2024, 5, 1, 10, 3, 10, tzinfo=UTC))
    a = Photo.objects.get(original_name="a.jpg")
    assert expected is not None and (a.latitude, a.longitude) == (expected.latitude, expected.longitude)
    assert a.track_gap_s == placed["a.jpg"].track_gap_s == 10.0
    assert a.position_source == "track" and not a.held_back_reason
    assert a.track_sha256 == hashlib.sha256(track.read_bytes()).hexdigest()
    notes = {Path(f.path).name: f.message for f in report.files if f.message}
    assert "--track-offset" in notes["b.jpg"] and "not within the track" in notes["c.jpg"]
    assert Photo.objects.get(original_name="d.jpg").position_source == "exif"
    assert evidence_records.open_store().exists(a.track_sha256)

    with_offset = run_import([card / "b.jpg"], track=track, track_offset_hours=3)
    assert with_offset.count("duplicate") == 1  # already imported: a later run does not move it
    assert evidence_records.verify_atlas().ok


def test_track_offset_places_a_photo_whose_file_gives_no_offset(tmp_path: Path) -> None:
    start = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    track = _walk_track(tmp_path / "walk.gpx", start)
    photo = jpeg(tmp_path / "b.jpg", taken=datetime(2024, 5, 1, 13, 7, 40))
    report = run_import([photo], track=track, track_offset_hours=3)
    assert len(report.placed_from_track) == 1
    row = Photo.objects.get()
    assert row.capture_time_utc == datetime(2024, 5, 1, 10, 7, 40, tzinfo=UTC)
    assert row.capture_time_utc_source == "assumed" and row.position_source == "track"
    interpolated = _entries("position.interpolated")
    assert len(interpolated) == 1 and interpolated[0]["details"]["utc_from"] == "assumed"  # type: ignore[index]


def test_a_track_without_times_is_refused_before_the_import(tmp_path: Path, evidence_dir: Path) -> None:
    line = tmp_path / "line.kml"
    line.write_text(
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><LineString><coordinates>'
        "37.24,49.22 37.25,49.23</coordinates></LineString></Placemark></kml>",
        encoding="utf-8",
    )
    with pytest.raises(IngestError, match=r"line\.kml: the track has no times"):
        run_import([jpeg(tmp_path / "a.jpg")], track=line)
    assert not evidence_dir.exists()


def test_photo_far_from_the_site_is_held_back_even_when_publishing(tmp_path: Path) -> None:
    near = jpeg(tmp_path / "near.jpg", position=NEAR_SITE, pattern=1)
    far = jpeg(tmp_path / "far.jpg", position=(50.4501, 30.5234), pattern=2)  # Kyiv, 480 km away
    report = run_import([near, far], publish=True)
    (held,) = report.held_back
    assert held.path.endswith("far.jpg") and "km from the site (more than 5 km)" in held.held_back_reason
    assert Photo.objects.get(original_name="near.jpg").is_published
    far_photo = Photo.objects.get(original_name="far.jpg")
    assert not far_photo.is_published and far_photo.held_back_reason == held.held_back_reason
    assert [e["object"] for e in _entries("photo.published")] == [
        f"sha256:{Photo.objects.get(original_name='near.jpg').sha256}"
    ]


def test_a_rerun_publishes_what_was_imported_unpublished_but_not_what_an_editor_unpublished(tmp_path: Path) -> None:
    first = jpeg(tmp_path / "first.jpg", position=NEAR_SITE, pattern=1)
    second = jpeg(tmp_path / "second.jpg", position=NEAR_SITE, pattern=2)
    run_import([first, second])
    run_import([first, second], publish=True)
    assert all(Photo.objects.values_list("is_published", flat=True))
    withdrawn = Photo.objects.get(original_name="second.jpg")
    withdrawn.is_published = False
    withdrawn.save()  # as the admin does: the edit is a ledger entry
    run_import([first, second], publish=True)
    withdrawn.refresh_from_db()
    assert not withdrawn.is_published
    assert Photo.objects.get(original_name="first.jpg").is_published


def test_author_is_recorded_by_pseudonym_only(tmp_path: Path) -> None:
    run_import([jpeg(tmp_path / "a.jpg")], author="Field Team North")
    contributor = Contributor.objects.get()
    photo = Photo.objects.get()
    assert photo.contributor == contributor and photo.credit == "Field Team North"
    assert {e["actor"] for e in _entries()} == {f"contributor:{contributor.pk}"}


def test_cli_import_prints_a_summary_and_fails_when_a_file_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = jpeg(tmp_path / "card" / "good.jpg", position=NEAR_SITE)
    (tmp_path / "card" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 cut short")
    code = main(["import", "photos", str(tmp_path / "card"), "--site", SITE, "--workers", "1", "--publish"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "broken.jpg" in err and "truncated" in err
    assert "Import into izium-mass-burial-site" in out and "Published: 1" in out
    assert Photo.objects.get().original_name == good.name

    assert main(["photos", "--site", SITE, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [p["original_name"] for p in listed] == ["good.jpg"]
    assert listed[0]["position"]["source"] == "exif" and listed[0]["published"] is True
    assert set(listed[0]["derivatives"]) == {"thumb", "web"}
    assert Path(listed[0]["derivatives"]["web"]["file"]).is_file()
    assert "device" not in listed[0]
    assert main(["photos", "--site", SITE]) == 0
    assert "good.jpg" in capsys.readouterr().out


def test_ledger_command_prints_the_signed_checkpoint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_import([jpeg(tmp_path / "a.jpg")])
    capsys.readouterr()
    assert main(["ledger", "--json", "--all"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["size"] == 4 and document["checkpoint"]["size"] == 4
    assert document["checkpoint_verifies"] is True
    assert [e["action"] for e in document["entries"]] == [
        "original.stored",
        "metadata.read",
        "derivative.made",
        "derivative.made",
    ]
    assert main(["ledger"]) == 0
    assert "signature verifies" in capsys.readouterr().out


def test_a_second_import_while_one_runs_is_refused(tmp_path: Path) -> None:
    photo = jpeg(tmp_path / "a.jpg")
    with (
        evidence_records.only_writer("the running import"),
        pytest.raises(IngestError, match="another import is running"),
    ):
        run_import([photo])
    assert Photo.objects.count() == 0
    assert run_import([tmp_path / "a.jpg"]).count("imported") == 1
