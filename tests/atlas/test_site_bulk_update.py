"""`Site.objects.filter(...).update(...)` of what the public point is derived from goes through `Site.save()`: the
public point, the published point a bounding box matches, the H3 cells, the viewport's cell sums and the search
index all follow, on SQLite and PostgreSQL alike; an expression it cannot derive from is refused, naming the call."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.test import Client

from lestweforget import geo
from lestweforget.atlas import public
from lestweforget.atlas.models import Site
from lestweforget.register import view_cells
from lestweforget.register.models import ViewCell

pytestmark = pytest.mark.usefixtures("demo")

GRAVE = "izium-mass-burial-site"
BASEMENT = "izium-police-station-basement"
KYIV = (50.4501, 30.5234)
KYIV_BOX = "30.4,50.4,30.6,50.5"
IZIUM_BOX = "37.1,49.1,37.4,49.3"


def _in_view(client: Client, bbox: str) -> tuple[int, set[str]]:
    body = client.get("/api/viewport", {"bbox": bbox, "zoom": 14}).json()
    return body["total"], {point["slug"] for point in body.get("points", [])}


def _cells_as_a_recount_gives() -> bool:
    fields = ("resolution", "cell", "count", "latitude_sum", "longitude_sum", "south", "west", "north", "east")
    kept = sorted(ViewCell.objects.values_list(*fields))
    view_cells.rebuild()
    return kept == sorted(ViewCell.objects.values_list(*fields))


def _listed(client: Client, bbox: str) -> set[str]:
    return {item["slug"] for item in client.get("/api/sites", {"bbox": bbox, "limit": 100}).json()["items"]}


@pytest.mark.parametrize("slug", [GRAVE, BASEMENT])
def test_moving_a_site_by_queryset_update_moves_its_public_point_bbox_and_viewport(client: Client, slug: str) -> None:
    assert slug in _listed(client, IZIUM_BOX) and slug in _in_view(client, IZIUM_BOX)[1]
    assert Site.objects.filter(slug=slug).update(latitude=KYIV[0], longitude=KYIV[1]) == 1
    site = Site.objects.get(slug=slug)
    expected = Site(**{f.attname: getattr(site, f.attname) for f in Site._meta.concrete_fields})
    expected.derive_public_location()
    assert (site.public_latitude, site.public_longitude) == (expected.public_latitude, expected.public_longitude)
    assert (site.published_latitude, site.published_longitude) == public.published_coordinates(expected)
    assert geo.distance_m(site.public_point, geo.LatLon(*KYIV)) <= site.public_uncertainty_m
    assert (site.h3_r5, site.h3_r7, site.h3_r9) == (expected.h3_r5, expected.h3_r7, expected.h3_r9)
    # The list, the bounding box filter and the viewport's clusters and points agree on where it is now.
    assert slug in _listed(client, KYIV_BOX) and slug not in _listed(client, IZIUM_BOX)
    assert _in_view(client, KYIV_BOX) == (1, {slug})
    assert slug not in _in_view(client, IZIUM_BOX)[1]
    country = client.get("/api/viewport", {"bbox": "22.0,44.0,40.5,52.5", "zoom": 5}).json()
    assert country["total"] == Site.objects.filter(is_published=True).count()
    assert _cells_as_a_recount_gives()


def test_unpublishing_by_queryset_update_takes_the_site_out_of_every_view(client: Client) -> None:
    total, _ = _in_view(client, IZIUM_BOX)
    assert Site.objects.filter(slug=GRAVE).update(is_published=False) == 1
    assert _in_view(client, IZIUM_BOX)[0] == total - 1
    assert GRAVE not in _listed(client, IZIUM_BOX)
    assert _cells_as_a_recount_gives()


def test_an_update_of_other_fields_stays_one_query(django_assert_max_num_queries: object) -> None:
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        assert Site.objects.filter(slug=GRAVE).update(summary_uk="Підсумок") == 1


def test_an_expression_for_a_location_field_is_refused_naming_the_right_call() -> None:
    before = Site.objects.values_list("latitude", "public_latitude").get(slug=GRAVE)
    with pytest.raises(TypeError, match=r"update\(latitude=<expression>\).*call site\.save\(\)"):
        Site.objects.filter(slug=GRAVE).update(latitude=F("latitude") + 0.1)
    assert Site.objects.values_list("latitude", "public_latitude").get(slug=GRAVE) == before


@pytest.mark.parametrize("how", ["bulk_update", "save(update_fields)"])
def test_bulk_update_and_save_of_some_fields_move_the_public_point_too(client: Client, how: str) -> None:
    site = Site.objects.get(slug=GRAVE)
    site.latitude, site.longitude = KYIV
    if how == "bulk_update":
        assert Site.objects.bulk_update([site], ["latitude", "longitude"]) == 1
    else:
        site.save(update_fields=["latitude", "longitude"])
    stored = Site.objects.get(slug=GRAVE)
    assert (stored.public_latitude, stored.public_longitude) == KYIV
    assert (stored.published_latitude, stored.published_longitude) == KYIV
    assert _in_view(client, KYIV_BOX) == (1, {GRAVE}) and GRAVE in _listed(client, KYIV_BOX)
    assert _cells_as_a_recount_gives()
