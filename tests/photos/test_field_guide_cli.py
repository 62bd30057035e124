"""`lwf guide` and the site page's download: a ZIP of public data only, with clean derivatives and no original."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from diary_fixtures import (
    DIARY,
    WALK_SITE,
    assert_no_precise_fragment,
    generalise,
    import_walk,
    load_walk_site,
    walk_files,
)
from django.test import Client
from photo_fixtures import evidence_dir, exiftool, exiftool_json

from lestweforget.atlas.models import Site
from lestweforget.atlas.record_ledger import unrecorded
from lestweforget.cli import main
from lestweforget.photos.models import DiaryEntry, Photo

__all__ = ["evidence_dir", "exiftool"]  # fixtures used by name

pytestmark = pytest.mark.usefixtures("evidence_dir")

# exiftool's family-1 groups that any JPEG has; anything else (IFD0, ExifIFD, GPS, XMP-*, ICC_Profile...) is metadata.
CLEAN_GROUPS = frozenset({"ExifTool", "System", "File", "JFIF", "Composite"})


@pytest.fixture
def walk(db: None, tmp_path: Path) -> Site:
    files = walk_files()
    site = load_walk_site(tmp_path)
    assert import_walk(files) == 0
    for entry in DiaryEntry.objects.all():
        entry.waypoint_name_en = f"Stop {entry.position}"
        entry.save()
    return site


def _guide(tmp_path: Path, *extra: str) -> zipfile.ZipFile:
    out = tmp_path / "guide.zip"
    assert main(["guide", WALK_SITE, "-o", str(out), *extra]) == 0
    return zipfile.ZipFile(out)


def test_guide_holds_index_and_clean_derivatives_only(
    walk: Site, tmp_path: Path, exiftool: str, capsys: pytest.CaptureFixture[str]
) -> None:
    guide = _guide(tmp_path)
    assert "Wrote the field guide" in capsys.readouterr().out
    names = guide.namelist()
    assert {"index.html", "guide.css", "guide.js"} <= set(names)
    images = [n for n in names if n.startswith("images/")]
    assert len(images) == 2 * 9 and all(n.endswith(".jpg") for n in images)
    assert set(names) == {"index.html", "guide.css", "guide.js", *images}
    photos = list(Photo.objects.all())
    derivatives = {getattr(p, f"{label}_sha256") for p in photos for label in ("thumb", "web")}
    originals = {p.sha256 for p in photos}
    for name in names:
        digest = hashlib.sha256(guide.read(name)).hexdigest()
        assert digest not in originals, f"{name} is an original"
        assert not any(sha in name for sha in originals), name
        if name in images:
            assert digest in derivatives, f"{name} is not one of the photos' derivatives"
    index = guide.read("index.html").decode("utf-8")
    assert "Walk test site" in index and DIARY in index and "Stay on the marked paths." in index
    assert "Station square" in index and index.count('class="entry') >= 9
    assert not any(sha in index for sha in originals)
    assert not any(p.original_name in index for p in photos)
    unpacked = tmp_path / "unpacked"
    guide.extractall(unpacked)
    records = exiftool_json(exiftool, "-a", "-G1", *(str(unpacked / n) for n in images))
    for record in records:
        groups = {key.split(":")[0] for key in record if ":" in key}
        assert not groups - CLEAN_GROUPS, (record["SourceFile"], sorted(groups - CLEAN_GROUPS))


def test_a_held_back_photo_stays_out_of_the_guide(walk: Site, tmp_path: Path) -> None:
    hidden = Photo.objects.get(original_name="DSCN0021.jpg")
    with unrecorded():
        Photo.objects.filter(pk=hidden.pk).update(is_published=False)
    guide = _guide(tmp_path)
    digests = {hashlib.sha256(guide.read(n)).hexdigest() for n in guide.namelist()}
    assert not {hidden.thumb_sha256, hidden.web_sha256} & digests
    assert len([n for n in guide.namelist() if n.startswith("images/")]) == 2 * 8


def test_generalised_site_guide_holds_no_restricted_position(walk: Site, tmp_path: Path) -> None:
    generalise(walk)
    guide = _guide(tmp_path)
    index = guide.read("index.html").decode("utf-8")
    assert "Walk test site" in index and DIARY in index and "Stay on the marked paths." in index
    assert "Station square" not in index and "south-west along the lane" not in index
    for name in guide.namelist():
        text = guide.read(name).decode("utf-8", errors="replace")
        assert_no_precise_fragment(text, walk, f"guide {name}")
    assert len([n for n in guide.namelist() if n.startswith("images/")]) == 2 * 9


def test_ukrainian_guide_from_the_command(walk: Site, tmp_path: Path) -> None:
    index = _guide(tmp_path, "--language", "uk").read("index.html").decode("utf-8")
    assert '<html lang="uk">' in index
    assert "Тестове місце прогулянки" in index and "Насамперед безпека" in index
    assert "Тримайтеся позначених стежок." in index


def _download(client: Client, url: str) -> zipfile.ZipFile:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_site_page_offers_the_guide_in_english_and_ukrainian(client: Client, walk: Site) -> None:
    english = _download(client, f"/sites/{WALK_SITE}/guide.zip").read("index.html").decode("utf-8")
    assert '<html lang="en">' in english and "Field guide" in english and "Walk test site" in english
    assert f"http://testserver/sites/{WALK_SITE}/" in english
    ukrainian = _download(client, f"/uk/sites/{WALK_SITE}/guide.zip").read("index.html").decode("utf-8")
    assert '<html lang="uk">' in ukrainian and "Путівник" in ukrainian
    assert "Тестове місце прогулянки" in ukrainian and f"http://testserver/uk/sites/{WALK_SITE}/" in ukrainian


def test_unknown_or_unpublished_site_gets_no_guide(
    client: Client, walk: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["guide", "nowhere", "-o", str(tmp_path / "g.zip")]) == 2
    assert "no published site has that slug" in capsys.readouterr().err
    assert not (tmp_path / "g.zip").exists()
    Site.objects.filter(pk=walk.pk).update(is_published=False)
    assert client.get(f"/sites/{WALK_SITE}/guide.zip").status_code == 404


def test_guide_of_the_demo_site_without_photos(demo: Any, tmp_path: Path) -> None:
    out = tmp_path / "izium.zip"
    assert main(["guide", "izium-mass-burial-site", "-o", str(out)]) == 0
    index = zipfile.ZipFile(out).read("index.html").decode("utf-8")
    assert "mined" in index.lower() and "49.220922" in index
