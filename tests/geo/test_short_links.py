from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lestweforget.geo import (
    GeoError,
    LatLon,
    decode_ge0,
    decode_geohash,
    decode_osm_shortlink,
    distance_m,
    encode_ge0,
    encode_osm_shortlink,
)

from .strategies import points


@pytest.mark.parametrize(
    ("code", "lat", "lon", "zoom"),
    [
        # Examples from the OpenStreetMap wiki's Shortlink page and the encoder's own documentation.
        ("0GAjIv8h", 50.671530961990356, 6.09715461730957, 16),
        ("0EEQjE==", 51.510772705078125, 0.054931640625, 9),  # the legacy "=" spelling
        ("0EEQjE--", 51.510772705078125, 0.054931640625, 9),
        ("wAAA--", 0.0, 0.0, 3),
    ],
)
def test_osm_short_link_codes_decode_as_openstreetmap_org_does(code: str, lat: float, lon: float, zoom: int) -> None:
    decoded = decode_osm_shortlink(code)
    assert decoded.point == LatLon(lat, lon) and decoded.zoom == zoom


@pytest.mark.parametrize("code", ["", "0GAj!v8h", "0GAjIv8hé", "-", "0GAjIv8h---"])
def test_malformed_osm_codes_are_refused(code: str) -> None:
    with pytest.raises(GeoError, match=re.escape(repr(code)) + ": not an OpenStreetMap short link code"):
        decode_osm_shortlink(code)


@given(points, st.integers(min_value=12, max_value=22))
def test_osm_short_links_round_trip_within_their_cell(point: LatLon, zoom: int) -> None:
    decoded = decode_osm_shortlink(encode_osm_shortlink(point, zoom))
    # The code keeps at least zoom + 8 bits per axis; the decoded corner is within one cell of the point.
    bits = zoom + 8
    assert abs(decoded.point.lat - point.lat) <= 180 / 2**bits + 1e-9
    lon_gap = abs(decoded.point.lon - point.lon)
    if abs(point.lat) < 90 - 180 / 2**bits:  # at a pole every longitude is the same point
        assert min(lon_gap, 360 - lon_gap) <= 360 / 2**bits + 1e-9


def test_ge0_code_of_a_real_comaps_link() -> None:
    # "https://comaps.at/ItdwBgeWW1/Hereford": CoMaps writes geo:52.0553846,-2.7151898 beside it.
    decoded = decode_ge0("ItdwBgeWW1")
    assert decoded.point.lat == pytest.approx(52.0553846, abs=1e-6)
    assert decoded.point.lon == pytest.approx(-2.7151898, abs=1e-6)
    assert decoded.zoom == 6.0
    assert encode_ge0(LatLon(52.0553846, -2.7151898), zoom=6) == "ItdwBgeWW1"


@pytest.mark.parametrize("code", ["I", "Itdw!geWW1", "ItdwBgeWW1xyz", "Itdw geWW1"])
def test_malformed_ge0_codes_are_refused(code: str) -> None:
    with pytest.raises(GeoError, match=re.escape(repr(code)) + ": not a CoMaps / Organic Maps / MAPS.ME short link"):
        decode_ge0(code)


@given(points, st.sampled_from([4.0, 10.5, 16.0, 19.75]))
def test_ge0_round_trips_within_half_a_metre(point: LatLon, zoom: float) -> None:
    code = encode_ge0(point, zoom)
    decoded = decode_ge0(code)
    assert decoded.zoom == zoom
    assert distance_m(decoded.point, point) < 0.5


def test_geohash_decodes_to_its_cell_centre() -> None:
    # Geohash "u8pvzwbp" (Waze writes "waze.com/ul/hu8pvzwbp").
    decoded = decode_geohash("u8pvzwbp")
    assert decoded.point.lat == pytest.approx(46.0491085, abs=1e-6)
    assert decoded.point.lon == pytest.approx(33.7281990, abs=1e-6)


@pytest.mark.parametrize("code", ["", "u8pvzwbpa", "U8PV"])
def test_malformed_geohashes_are_refused(code: str) -> None:
    with pytest.raises(GeoError, match="not a Geohash"):
        decode_geohash(code)
