"""Every form the atlas prints for a point (`lwf where`, the site page, the field guide, the exports) reads
back through `parse_location` to the same point, within what the form's rounding allows; and a form the point
lacks is marked with its reason while every other form is still given."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lestweforget.exports.notation import degrees_text
from lestweforget.geo import Form, GeoError, LatLon, distance_m, location_forms, parse_location

from .strategies import points, sk42_points

NEW_YORK = LatLon(40.7128, -74.0060)
IZIUM_SITE = LatLon(49.220922, 37.244553)

# How far (degrees per axis, or metres) each printed form may land from the point it was printed for.
DEGREES_WITHIN = {
    "decimal": 5e-7,  # six decimals
    "dms": 0.05 / 3600,  # seconds to one decimal
    "ddm": 0.0005 / 60,  # minutes to three decimals
    "plus_code": 1 / 40000,  # an 11-character code's cell, about 3 m
    "geo_uri": 5e-7,
    "osm_url": 5e-7,
    "osm_directions_url": 5e-7,
    "google_maps_url": 5e-7,
    "google_directions_url": 5e-7,
    "apple_maps_url": 5e-7,
    "apple_directions_url": 5e-7,
}
METRES_WITHIN = {"mgrs": 1.5, "utm": 1.5, "sk42": 1.5}


def _lon_gap(a: float, b: float) -> float:
    gap = abs(a - b) % 360
    return min(gap, 360 - gap)


def _reads_back(point: LatLon, name: str, form: Form) -> None:
    back = parse_location(form.value).point
    if name in METRES_WITHIN:
        assert distance_m(back, point) <= METRES_WITHIN[name], (name, form.value, back)
        return
    within = DEGREES_WITHIN[name] + 1e-9
    assert abs(back.lat - point.lat) <= within, (name, form.value, back)
    if abs(point.lat) < 90 - within:
        assert _lon_gap(back.lon, point.lon) <= within, (name, form.value, back)


@settings(max_examples=150, deadline=None)
@given(points, st.one_of(st.none(), st.floats(min_value=0, max_value=100_000)))
def test_every_printed_form_reads_back_anywhere_on_earth(point: LatLon, uncertainty_m: float | None) -> None:
    forms = location_forms(point, uncertainty_m)
    for name, form in forms.written():
        if form.available:
            _reads_back(point, name, form)
        else:
            # Only the grids with an area can be missing, and then with the reason.
            assert name in ("sk42", "utm") and form.unavailable
    geo_uri = parse_location(forms.geo_uri.value)
    if uncertainty_m is None:
        assert geo_uri.uncertainty_m is None
    else:
        assert geo_uri.uncertainty_m == pytest.approx(uncertainty_m, abs=0.05 + 1e-9)


@settings(max_examples=60, deadline=None)
@given(sk42_points)
def test_every_form_including_sk42_reads_back_where_sk42_is_defined(point: LatLon) -> None:
    forms = location_forms(point, 10.0)
    assert forms.sk42.available and forms.utm.available
    for name, form in forms.written():
        _reads_back(point, name, form)


@settings(max_examples=60, deadline=None)
@given(points)
def test_the_exports_decimal_cells_read_back(point: LatLon) -> None:
    # CSV's latitude and longitude cells (and KML's, the other way round) are written by degrees_text.
    back = parse_location(f"{degrees_text(point.lat)}, {degrees_text(point.lon)}").point
    assert abs(back.lat - point.lat) <= 5e-8 + 1e-12
    assert _lon_gap(back.lon, point.lon) <= 5e-8 + 1e-12 or abs(point.lat) == 90


def test_new_york_gets_every_form_but_sk42_which_says_why() -> None:
    forms = location_forms(NEW_YORK)
    available = {name for name, form in forms.written() if form.available}
    assert available == {name for name, _ in forms.written()} - {"sk42"}
    assert forms.decimal.value == "40.712800, -74.006000"
    assert forms.mgrs.value == "18T WL 83959 07350"
    assert forms.sk42.value == "" and str(forms.sk42) == ""
    assert "longitude -74.006 is outside SK-42 Gauss-Krüger zones 2..32" in forms.sk42.unavailable


def test_a_polar_point_has_no_utm_or_sk42_but_every_other_form() -> None:
    forms = location_forms(LatLon(89.5, 10.0))
    assert not forms.utm.available and "polar UPS grid" in forms.utm.unavailable
    assert forms.mgrs.value.startswith("Z ")


def test_the_uncertainty_is_carried_into_the_geo_uri_and_not_invented() -> None:
    assert location_forms(IZIUM_SITE, 300).geo_uri.value == "geo:49.220922,37.244553;u=300"
    assert location_forms(IZIUM_SITE).geo_uri.value == "geo:49.220922,37.244553"


@pytest.mark.parametrize("uncertainty_m", [-5.0, float("nan"), float("inf")])
def test_a_wrong_uncertainty_is_refused_not_marked(uncertainty_m: float) -> None:
    with pytest.raises(GeoError, match=re.escape(f"uncertainty {uncertainty_m!r} m is not a finite number")):
        location_forms(IZIUM_SITE, uncertainty_m)
