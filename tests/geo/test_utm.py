from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Transformer

from lestweforget.geo import GeoError, LatLon, distance_m, from_utm, to_mgrs, to_utm

from .strategies import longitudes

IZIUM_SITE = LatLon(49.220922, 37.244553)


def test_izium_site_in_zone_37_band_u_agrees_with_proj() -> None:
    assert to_utm(IZIUM_SITE) == "37U 372174 5453498"
    easting, northing = Transformer.from_crs("EPSG:4326", "EPSG:32637", always_xy=True).transform(
        IZIUM_SITE.lon, IZIUM_SITE.lat
    )
    assert (round(easting), round(northing)) == (372174, 5453498)


@pytest.mark.parametrize(
    "text",
    [
        "37U 372174 5453498",
        "37 U 372174 5453498",
        "UTM 37U 372174 5453498",
        "37U 0372174 5453498",  # Garmin pads the easting to seven digits
        "37U 372174E 5453498N",
        "37U E 372174 N 5453498",
        "37U 372174mE 5453498mN",
        "37u 372174 5453498",
        "37N 372174 5453498",  # N for the northern hemisphere: band N (0..8°N) does not hold it
    ],
)
def test_utm_as_receivers_and_people_write_it(text: str) -> None:
    assert distance_m(from_utm(text), IZIUM_SITE) < 1.0


def test_s_is_a_band_first_and_the_southern_hemisphere_only_when_the_band_does_not_fit() -> None:
    # Band S is 32..40°N; 4 000 000 m north lands in it. 7 460 000 m north does not: that is Rio de Janeiro, 23°S.
    assert 32 < from_utm("33S 500000 4000000").lat < 40
    rio = from_utm("23S 683000 7460000")
    assert rio.lat == pytest.approx(-22.96, abs=0.01)
    assert from_utm("23K 683000 7460000") == rio


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("61U 372174 5453498", "UTM zone 61 is outside 1..60"),
        ("37C 372174 5453498", "outside band C"),
        ("37U 372174", "not a UTM reference"),
    ],
)
def test_bad_utm_is_refused_naming_the_input(text: str, message: str) -> None:
    with pytest.raises(GeoError, match=re.escape(f"{text!r}: ") + ".*" + re.escape(message)):
        from_utm(text)


@pytest.mark.parametrize("lat", [84.5, -80.5, 90.0])
def test_polar_points_have_no_utm_reference(lat: float) -> None:
    with pytest.raises(GeoError, match=re.escape("outside UTM's 80°S..84°N; the polar UPS grid covers it")):
        to_utm(LatLon(lat, 10.0))


@given(st.builds(LatLon, st.floats(min_value=-80, max_value=84), longitudes))
def test_utm_round_trips_within_a_metre_and_agrees_with_mgrs_on_the_zone(point: LatLon) -> None:
    reference = to_utm(point)
    assert distance_m(from_utm(reference), point) < 1.0
    assert reference.split()[0] == to_mgrs(point, digits=0).split()[0]
