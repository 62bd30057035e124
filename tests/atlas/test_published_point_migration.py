"""Migration 0013 gives every stored site its point as published (a generalised one rounded by the API's rule), and
register 0006 counts the viewport's cells again over those points."""

from __future__ import annotations

import pytest

from lestweforget.atlas import public
from migrating import migrate_to_latest, models_at

BEFORE = [("atlas", "0012_indexes_for_public_lists"), ("register", "0005_importedrow_place_region")]
AFTER = [("atlas", "0013_site_published_point"), ("register", "0006_view_cell_boxes_of_published_points")]


@pytest.mark.django_db(transaction=True)
def test_stored_sites_get_the_point_they_are_published_at() -> None:
    old = models_at(BEFORE)
    site_model = old.get_model("atlas", "Site")
    stored = {}
    for slug, sensitivity, latitude, longitude, radius in [
        ("plain", "public", 49.2146232280527, 37.2485123, 50.0),
        ("veiled", "generalised", 49.2146232280527, 37.2485123, 1420.0),
    ]:
        site = site_model.objects.create(
            slug=slug,
            kind="memorial",
            summary_en="S",
            is_published=True,
            latitude=latitude,
            longitude=longitude,
            uncertainty_m=radius,
            sensitivity=sensitivity,
            public_latitude=latitude,
            public_longitude=longitude,
            public_uncertainty_m=radius,
            h3_r5="852d6567fffffff",
            h3_r7="872d65670ffffff",
        )
        stored[slug] = site.pk
    new = models_at(AFTER)
    sites = new.get_model("atlas", "Site").objects
    plain, veiled = sites.get(pk=stored["plain"]), sites.get(pk=stored["veiled"])
    assert (plain.published_latitude, plain.published_longitude) == (49.2146232280527, 37.2485123)
    assert (veiled.published_latitude, veiled.published_longitude) == (49.21, 37.25)
    assert (veiled.published_latitude, veiled.published_longitude) == public.published_point(
        veiled.public_latitude, veiled.public_longitude, veiled.public_uncertainty_m, True
    )
    cell = new.get_model("register", "ViewCell").objects.get(resolution=5, cell="852d6567fffffff")
    assert (cell.count, cell.south, cell.north, cell.east) == (2, 49.21, 49.2146232280527, 37.25)
    migrate_to_latest()
