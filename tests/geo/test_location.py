from __future__ import annotations

import pytest

from lestweforget.geo import GeoError, LatLon, parse_location

PIN = LatLon(49.2209, 37.2445)


@pytest.mark.parametrize(
    "text",
    [
        "https://www.openstreetmap.org/?mlat=49.2209&mlon=37.2445",
        "  www.google.com/maps/@49.2209,37.2445,17z  ",
        "maps.apple.com/?ll=49.2209,37.2445",
        "maps.apple.com?ll=49.2209,37.2445",
        "geo:49.2209,37.2445",
        "49.2209, 37.2445",
        "49.2209N 37.2445E",
        "lat: 49.2209 lon: 37.2445",
        "49.2209/37.2445",
    ],
)
def test_links_and_typed_coordinates_both_read(text: str) -> None:
    assert parse_location(text) == PIN


def test_a_link_that_fails_reports_the_link_problem_not_a_coordinate_one() -> None:
    with pytest.raises(GeoError, match="Google Maps link has no coordinates"):
        parse_location("https://www.google.com/maps/place/Izium")


def test_text_that_is_neither_is_refused_naming_it() -> None:
    with pytest.raises(GeoError, match="'the forest by the cemetery': unexpected word 'the'"):
        parse_location("the forest by the cemetery")
