"""A sensitive site's precise point never leaves the database through a public door."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from lestweforget import geo
from lestweforget.atlas.models import Site
from lestweforget.cli import main

SLUG = "sensitive-test-site"


def _precise_fragments() -> list[str]:
    """Every way the precise point could be written, down to a precision of about 10 m."""
    point = Site.objects.get(slug=SLUG).point
    fragments = [f"{point.lat:.4f}", f"{point.lon:.4f}", geo.format_dms(point)]
    fragments.append(geo.to_mgrs(point, digits=4).replace(" ", ""))
    fragments.append(geo.to_plus_code(point))
    fragments.append("Secret directions")
    return fragments


def _assert_clean(text: str, where: str) -> None:
    compact = text.replace(" ", "")
    for fragment in _precise_fragments():
        assert fragment.replace(" ", "") not in compact, f"{where} leaks {fragment!r}"


PUBLIC_URLS = [
    "/",
    "/uk/",
    f"/sites/{SLUG}/",
    f"/uk/sites/{SLUG}/",
    f"/sites/{SLUG}/export.geojson",
    f"/sites/{SLUG}/export.kml",
    f"/sites/{SLUG}/export.gpx",
    f"/sites/{SLUG}/export.csv",
    "/export/atlas.geojson",
    "/export/atlas.kml",
    "/export/atlas.gpx",
    "/export/atlas.csv",
    "/api/sites",
    f"/api/sites/{SLUG}",
    f"/api/sites/{SLUG}/events",
    f"/api/sites/{SLUG}/claims",
    f"/api/sites/{SLUG}/sources",
    "/api/events",
    "/api/sources",
    # The map's viewport at every zoom, the list beside it and the timeline; the API's box filter; nearby sites.
    *(f"/api/viewport?bbox=22,44,40.5,52.5&zoom={zoom}" for zoom in (5, 9, 12, 18)),
    "/api/viewport/list?bbox=22,44,40.5,52.5",
    "/api/viewport/timeline?bbox=22,44,40.5,52.5",
    "/api/sites?bbox=35,48,37,49",
    "/api/sites?q=sensitive",
    "/export/atlas.geojson?bbox=35,48,37,49",
    "/sites/izium-mass-burial-site/",
]


def test_the_site_is_published_at_a_generalised_point(sensitive_site: object) -> None:
    site = Site.objects.get(slug=SLUG)
    assert site.is_generalised and site.is_published
    offset = geo.distance_m(site.point, site.public_point)
    assert 0 < offset <= 2000 * 0.71
    assert site.public_uncertainty_m >= offset


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_no_public_page_export_or_api_response_holds_the_precise_point(
    client: Client, sensitive_site: object, demo: object, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    _assert_clean(response.getvalue().decode("utf-8"), url)


@pytest.mark.parametrize("fmt", ["geojson", "kml", "gpx", "csv"])
def test_cli_exports_do_not_hold_the_precise_point(sensitive_site: object, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"atlas.{fmt}"
    assert main(["export", fmt, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Sensitive test site" in text
    _assert_clean(text, f"lwf export {fmt}")
