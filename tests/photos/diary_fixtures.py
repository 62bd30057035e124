"""A site beside the real GPS walk (9 photos near Arezzo, Italy, 2008-10-22) and its diary, made as users make it:
`lwf load` for the record, `lwf import photos --diary` for the photos.

Imported by the diary tests (`from diary_fixtures import ...`); tests/atlas is on sys.path while they run.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pytest
from photo_fixtures import CAMERA

from lestweforget import geo
from lestweforget.atlas.demo import load_record_file
from lestweforget.atlas.models import Site
from lestweforget.cli import main
from lestweforget.photos.models import Photo

WALK = CAMERA / "jpg" / "gps"
WALK_SITE = "walk-test-site"
DIARY = "Walk"
AUTHOR = "Field Team West"
# A made-up memorial in the middle of the walk, so every photo lies well within the import's 5 km.
SITE_LAT, SITE_LON = 43.466250, 11.882300
START_LAT, START_LON = 43.470000, 11.887000
WALK_RECORD = textwrap.dedent(
    f"""
    sources:
      - key: walk-test-record
        kind: report
        title: "[Test record beside a real photo walk]"
        publisher: "Test NGO"
        url: "https://example.org/walk"
        published: "2024-01-02"
        language: en
    settlements: []
    sites:
      - slug: {WALK_SITE}
        kind: memorial
        names:
          - {{language: en, name: "Walk test site", primary: true}}
          - {{language: uk, name: "Тестове місце прогулянки", primary: true}}
        summary:
          en: "A test memorial beside a real photo walk."
          uk: "Тестовий меморіал біля справжньої прогулянки."
        location:
          latitude: {SITE_LAT}
          longitude: {SITE_LON}
          uncertainty_m: 20
          method: {{en: "GPS fix", uk: "GPS-точка"}}
          source: walk-test-record
        approach:
          start_name: {{en: "Station square", uk: "Привокзальна площа"}}
          start_latitude: {START_LAT}
          start_longitude: {START_LON}
          mode: walk
          directions:
            en: "Walk south-west along the lane to the memorial."
            uk: "Ідіть провулком на південний захід."
          safety: {{en: "Stay on the marked paths.", uk: "Тримайтеся позначених стежок."}}
          last_checked: "2024-01-10"
          sources: [walk-test-record]
    events: []
    """
)


def walk_files() -> list[Path]:
    files = sorted(WALK.glob("DSCN00*.jpg"))
    if len(files) != 9:
        pytest.skip(f"the 9-photo GPS walk was not found at {WALK} (see shared/testdata/camera/PROVENANCE.md)")
    return files


def load_walk_site(folder: Path) -> Site:
    record = folder / "walk-site.yaml"
    record.write_text(WALK_RECORD, encoding="utf-8")
    load_record_file(record)
    return Site.objects.get(slug=WALK_SITE)


def import_walk(files: list[Path], *extra: str) -> int:
    """`lwf import photos WALK... --site walk-test-site --diary Walk --publish --author ...`, one worker."""
    args = ["import", "photos", *map(str, files), "--site", WALK_SITE, "--diary", DIARY]
    return main([*args, "--publish", "--author", AUTHOR, "--workers", "1", *extra])


def generalise(site: Site, grid_m: int = 2000) -> Site:
    site.sensitivity = Site.Sensitivity.GENERALISED
    site.generalise_m = grid_m
    site.save()
    return site


def precise_fragments(site: Site) -> list[str]:
    """Every way a restricted position could be written, to about 10 m: the site's point, the start point and
    each photo's camera position."""
    points = [site.point, geo.LatLon(START_LAT, START_LON)]
    points += [
        geo.LatLon(p.latitude, p.longitude)
        for p in Photo.objects.filter(site=site)
        if p.latitude is not None and p.longitude is not None
    ]
    fragments = []
    for point in points:
        for value in (point.lat, point.lon):
            # Rounded and cut to 4 decimals, so a longer number written either way is caught too.
            for digits in (f"{value:.4f}", f"{math.trunc(value * 10_000) / 10_000:.4f}"):
                fragments += [digits, digits.replace(".", ",")]
        fragments += [geo.format_dms(point), geo.to_mgrs(point, digits=4).replace(" ", "")]
        fragments.append(geo.to_plus_code(point))
    return sorted(set(fragments))


def assert_no_precise_fragment(text: str, site: Site, where: str) -> None:
    compact = text.replace(" ", "")
    for fragment in precise_fragments(site):
        assert fragment.replace(" ", "") not in compact, f"{where} leaks {fragment!r}"
