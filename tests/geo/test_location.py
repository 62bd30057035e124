from __future__ import annotations

import re

import pytest

from lestweforget.geo import GeoError, LatLon, distance_m, parse_coordinates, parse_location

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
    assert parse_location(text).point == PIN


def test_a_link_that_fails_reports_the_link_problem_not_a_coordinate_one() -> None:
    with pytest.raises(GeoError, match="Google Maps link has no coordinates"):
        parse_location("https://www.google.com/maps/place/Izium")


def test_text_that_is_neither_is_refused_naming_it() -> None:
    with pytest.raises(GeoError, match="'the forest by the cemetery': unexpected word 'the'"):
        parse_location("the forest by the cemetery")


def test_a_geo_uri_keeps_its_uncertainty_and_altitude() -> None:
    found = parse_location("geo:49.2209,37.2445,120.5;u=300")
    assert (found.point, found.uncertainty_m, found.altitude_m) == (PIN, 300.0, 120.5)
    assert found.read_as == "geo: URI"


@pytest.mark.parametrize(
    "text",
    [
        # CoMaps' share sheet, and Organic Maps' (a geo: URI, then the short link of the same place).
        "Follow this link https://comaps.at/w4WwVUKSVa/Site or paste these coordinates geo:49.2209,37.2445 "
        "into your maps app to see this location.",
        "Organic Maps: geo:49.2209000,37.2445000?z=16.0&q=49.2209000,37.2445000(Site%20A)\n"
        "https://omaps.app/w4WwVUKSVa/Site_A",
        "Hey, check out this pin: https://maps.google.com/?q=49.2209,37.2445 (the forest by the cemetery)",
        "Meet at geo:49.2209,37.2445.",
        "The grave is at 49.2209, 37.2445 near the pines.",
        "Координати: 49.2209, 37.2445, біля лісу.",
        "Точка 49°13′15.24″ пн. ш., 37°14′40.2″ сх. д. в лісі",
        "Site 2, 49.2209, 37.2445",
        "GPS Position                    : 49 deg 13' 15.24\" N, 37 deg 14' 40.20\" E",
        "Location: <https://www.openstreetmap.org/?mlat=49.2209&mlon=37.2445#map=17/49.2209/37.2445>",
        "[map](https://www.google.com/maps/search/?api=1&query=49.2209,37.2445) and geo:49.2209,37.2445",
        "Ціль: Х 5455779 У 7372232, уточнити.",
        "Grid 37U CQ 72173 53498, north edge of the forest",
        "Plus Code 8GXV66CV+9R7 (Izium)",
        "координати 49,2209 37,2445",
        # Organic Maps' bookmark share text, with its download link beside the pin's.
        "Hey, check out my pin at Organic Maps! https://omaps.app/w4WwVUKSVa/Site_A or geo:49.2209,37.2445 "
        "Don't have offline maps installed? Download here: https://omaps.app/get",
        "I'm here: ge0://w4WwVUKSVa/Site",
        "Location: 49.2209, 37.2445\nhttps://osmand.net/go?lat=49.2209&lon=37.2445&z=16",
        "49.2209, 37.2445\nhttps://maps.app.goo.gl/AbCdEf123",
        "📍 49.2209, 37.2445",
        "Apple Photos: 49.22090° N, 37.24450° E",
        "Ціль: X-5455779, Y-7372232",
    ],
)
def test_a_sentence_holding_one_point_yields_it(text: str) -> None:
    found = parse_location(text)
    # Grid references and codes name a cell a few metres across around the point.
    assert distance_m(found.point, PIN) < 5.0
    assert found.read_as.endswith("in a sentence")


def test_the_same_point_written_twice_is_noted_and_a_geo_uri_gives_its_uncertainty() -> None:
    found = parse_location("https://maps.google.com/?q=49.2209,37.2445 or geo:49.22090,37.24450;u=25")
    assert found.point == PIN and found.uncertainty_m == 25.0
    assert found.notes == ("the same point is also written as https://maps.google.com/?q=49.2209,37.2445",)


def test_a_short_link_whose_code_disagrees_with_the_plain_point_is_set_aside_with_a_note() -> None:
    found = parse_location("Follow this link https://comaps.at/ABCDEFGHIJ/Site or paste geo:49.2209,37.2445 here")
    assert found.point == PIN
    assert found.notes[0].startswith("set aside https://comaps.at/ABCDEFGHIJ/Site: its code points to -86.835140")


@pytest.mark.parametrize(
    "text", ["<https://maps.apple.com/?ll=49.2209,37.2445>", "(geo:49.2209,37.2445)", "geo:49.2209,37.2445."]
)
def test_a_link_in_brackets_or_before_a_full_stop_is_read(text: str) -> None:
    assert parse_location(text).point == PIN


def test_a_space_inside_a_links_query_is_tolerated() -> None:
    # Some apps write "geo:0,0?q=lat, lon": not a valid URI, but what people get and paste.
    assert parse_location("geo:0,0?q=45.4786785, 9.2473799").point == LatLon(45.4786785, 9.2473799)


def test_a_short_link_alone_in_a_sentence_is_read() -> None:
    found = parse_location("see https://comaps.at/ItdwBgeWW1/Hereford please")
    assert found.lat == pytest.approx(52.0553846, abs=1e-6)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            "From geo:49.2209,37.2445 walk to geo:50.0,36.2",
            ["49.220900, 37.244500 (geo:49.2209,37.2445)", "50.000000, 36.200000 (geo:50.0,36.2)"],
        ),
        (
            "Site A 49.2209, 37.2445; site B 49.3, 37.3",
            ["49.220900, 37.244500 (49.2209, 37.2445)", "49.300000, 37.300000 (49.3, 37.3)"],
        ),
        (
            "https://www.openstreetmap.org/?mlat=49.2209&mlon=37.2445 or https://maps.apple.com/?ll=50,36",
            ["49.220900, 37.244500 (https://www.openstreetmap.org/", "50.000000, 36.000000 (https://maps.apple"],
        ),
        (
            "https://comaps.at/ItdwBgeWW1/Hereford and https://comaps.at/ABCDEFGHIJ/Site",
            ["52.055385, -2.715191", "-86.835140, -134.084869"],
        ),
    ],
)
def test_a_sentence_with_two_different_points_is_refused_naming_both(text: str, named: list[str]) -> None:
    with pytest.raises(GeoError, match=re.escape(f"{text!r}: holds 2 different points, cannot tell which: ")) as raised:
        parse_location(text)
    for point in named:
        assert point in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no coordinates or map link given"),
        ("numbers 49.2209, 37.2445, 36.1 in a row", "ambiguous, '49.2209, 37.2445, 36.1' can be read as"),
        ("open https://www.google.com/maps/place/Izium please", "Google Maps link has no coordinates"),
        ("target X 55781 Y 72238 confirmed", "SK-42 X 55781 is an abbreviated coordinate"),
        ("see https://maps.app.goo.gl/AbCdEf123 for it", "short link hides its coordinates behind a redirect"),
        ("nothing here but 2 km and 447 bodies", "unexpected word 'nothing'"),
    ],
)
def test_sentences_without_one_readable_point_are_refused_naming_the_input(text: str, message: str) -> None:
    with pytest.raises(GeoError, match=re.escape(message)) as raised:
        parse_location(text)
    assert repr(text) in str(raised.value) or text in str(raised.value)


def test_a_sentence_reads_a_point_the_same_as_typed_alone() -> None:
    for typed in ("49 deg 13' 15.24\" N, 37 deg 14' 40.20\" E", "37U CQ 72173 53498", "X 5 455 781, Y 7 372 238"):
        assert parse_location(f"It is at {typed} today").point == parse_coordinates(typed)


def test_a_table_of_numbers_is_refused_not_searched_for_a_point() -> None:
    text = "readings " + ", ".join(f"{49 + i / 100:.4f}" for i in range(100))
    with pytest.raises(GeoError, match="is a table of numbers, not one point"):
        parse_location(text)


def test_an_unreadable_link_beside_the_point_is_noted() -> None:
    found = parse_location("49.2209, 37.2445\nhttps://maps.app.goo.gl/AbCdEf123")
    assert found.point == PIN
    assert found.notes == (
        "not read: short link hides its coordinates behind a redirect; open it and copy the full link: "
        "https://maps.app.goo.gl/AbCdEf123",
    )


@pytest.mark.parametrize(
    "text",
    [
        "The site is at MGRS 37U CQ 72173 53498.",
        "Grid 37UCQ7217353498. Then walk north.",
        "UTM 37U 372174 5453498.",
    ],
)
def test_a_grid_reference_ending_a_sentence_is_read_whole(text: str) -> None:
    assert distance_m(parse_location(text).point, PIN) < 5.0
