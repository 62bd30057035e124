from __future__ import annotations

import re

import pytest

from lestweforget.geo import GeoError, LatLon, from_mgrs, parse_coordinates, read_coordinates

IZIUM = LatLon(49.2209, 37.2446)


def _close(a: LatLon, b: LatLon, tolerance_deg: float = 1e-9) -> bool:
    return abs(a.lat - b.lat) <= tolerance_deg and abs(a.lon - b.lon) <= tolerance_deg


@pytest.mark.parametrize(
    "text",
    [
        "49.2209, 37.2446",
        "49.2209 37.2446",
        "49.2209,37.2446",
        "49.2209; 37.2446",
        "+49.2209, +37.2446",
        "49.2209N 37.2446E",
        "49.2209 n, 37.2446 e",
        "N49.2209 E37.2446",
        "49.2209°N 37.2446°E",
        "37.2446E 49.2209N",
        "lat 49.2209 lon 37.2446",
        "Lon: 37.2446, Lat: 49.2209",
        "latitude=49.2209 longitude=37.2446",
        "49,2209 37,2446",
        "49,2209; 37,2446",
        "49.2209\u00a0N 37.2446\u00a0E",
    ],
)
def test_decimal_degree_forms_people_type(text: str) -> None:
    assert parse_coordinates(text) == IZIUM


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("49°13′15″N 37°14′40″E", 49 + 13 / 60 + 15 / 3600, 37 + 14 / 60 + 40 / 3600),
        ("49°13'15.3\"N, 37°14'40.4\"E", 49 + 13 / 60 + 15.3 / 3600, 37 + 14 / 60 + 40.4 / 3600),
        ("49°13’15.3”N 37°14’40.4”E", 49 + 13 / 60 + 15.3 / 3600, 37 + 14 / 60 + 40.4 / 3600),
        ("49º13'15.3''N 37º14'40.4''E", 49 + 13 / 60 + 15.3 / 3600, 37 + 14 / 60 + 40.4 / 3600),
        ("49 13 15 N 37 14 40 E", 49 + 13 / 60 + 15 / 3600, 37 + 14 / 60 + 40 / 3600),
        ("49°13′15″, 37°14′40″", 49 + 13 / 60 + 15 / 3600, 37 + 14 / 60 + 40 / 3600),
        ("N49 13.255 E37 14.673", 49 + 13.255 / 60, 37 + 14.673 / 60),
        ("N 49° 13.255′ E 37° 14.673′", 49 + 13.255 / 60, 37 + 14.673 / 60),
        ("49° 13.255′ N, 37° 14.673′ E", 49 + 13.255 / 60, 37 + 14.673 / 60),
        ("Lat: 49°13′15″N, Lon: 37°14′40″E", 49 + 13 / 60 + 15 / 3600, 37 + 14 / 60 + 40 / 3600),
    ],
)
def test_degrees_minutes_seconds_and_decimal_minutes(text: str, lat: float, lon: float) -> None:
    assert _close(parse_coordinates(text), LatLon(lat, lon))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("33.8688 S, 151.2093 E", LatLon(-33.8688, 151.2093)),
        ("S33.8688 W70.6693", LatLon(-33.8688, -70.6693)),
        ("-33.8688, -70.6693", LatLon(-33.8688, -70.6693)),
        ("33°51′24″S 70°39′05″W", LatLon(-(33 + 51 / 60 + 24 / 3600), -(70 + 39 / 60 + 5 / 3600))),
        ("-33°51′24″, -70°39′05″", LatLon(-(33 + 51 / 60 + 24 / 3600), -(70 + 39 / 60 + 5 / 3600))),
        ("S 33 51.4 W 70 39.083", LatLon(-(33 + 51.4 / 60), -(70 + 39.083 / 60))),
    ],
)
def test_south_and_west_hemispheres_give_negative_values(text: str, expected: LatLon) -> None:
    assert _close(parse_coordinates(text), expected)


@pytest.mark.parametrize(
    "text",
    [
        "49°13′15″ пн. ш., 37°14′40″ сх. д.",
        "49°13′15″ пн.ш. 37°14′40″ сх.д.",
        "49°13′15″ с. ш. 37°14′40″ в. д.",
        "49°13′15″С 37°14′40″В",
    ],
)
def test_ukrainian_and_russian_hemisphere_abbreviations(text: str) -> None:
    assert _close(parse_coordinates(text), LatLon(49 + 13 / 60 + 15 / 3600, 37 + 14 / 60 + 40 / 3600))


def test_southern_and_western_cyrillic_abbreviations() -> None:
    assert _close(parse_coordinates("33°30′ пд. ш. 70°15′ зх. д."), LatLon(-33.5, -70.25))
    assert _close(parse_coordinates("33°30′ ю. ш. 70°15′ з. д."), LatLon(-33.5, -70.25))


def test_an_mgrs_reference_is_read() -> None:
    assert parse_coordinates("37U CQ 72173 53498") == from_mgrs("37UCQ7217353498")


def test_a_full_plus_code_is_read() -> None:
    point = parse_coordinates("8GXV66CV+9R7")
    assert _close(point, LatLon(49.2209125, 37.244546875))


def test_a_hemisphere_letter_and_an_axis_label_together_name_both_axes() -> None:
    assert parse_coordinates("N49.2 lon 37.2") == LatLon(49.2, 37.2)


def test_a_single_comma_between_whole_numbers_separates_them() -> None:
    assert parse_coordinates("49,37") == LatLon(49, 37)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no coordinates given"),
        ("hello", "unexpected word 'hello'"),
        ("49.2209, 37.2446 Izium", "unexpected word 'Izium'"),
        ("49.2209", "expected a latitude and a longitude, found 1 coordinate(s)"),
        ("49.2 ; 37.2 ; 5", "expected a latitude and a longitude, found 3 coordinate(s)"),
        ("49 13.255 37 14.673", "4 bare numbers can be read several ways"),
        ("49.2209N, 37.2446", "ambiguous, only one coordinate says which axis it is"),
        ("49.2N 37.2N", "both coordinates are latitudes"),
        ("lon 49.2 lon 37.2", "both coordinates are longitudes"),
        ("49,2209,37,2446", "ambiguous, commas could be decimal commas or separators"),
        ("95.0, 37.2", "latitude 95.0 is outside -90..90"),
        ("37.2, 185", "longitude 185.0 is outside -180..180"),
        ("49°75′N 37°E", "minutes 75 must be below 60"),
        ("49°13′60″N 37°E", "seconds 60 must be below 60"),
        ("49.5°13′N 37°E", "49.5 must be whole when smaller units follow it"),
        ("-49.2S 37E", "both a minus sign and hemisphere S on one coordinate"),
        ("49″ 37°", "units out of order (seconds)"),
        ("49°-13′N 37°E", "a sign belongs before the degrees, not on -13"),
        ("lat N49.2 lon W37.2 x", "unexpected word 'x'"),
        ("49.2 # 37.2", "unexpected character '#'"),
        ("49.2 : 37.2", "unexpected ':'"),
        ("lat 49.2 N lon 37.2 W E", "hemisphere letter E does not follow a coordinate"),
        ("CV+9R7", "a short Plus Code needs a reference point"),
        ("37ICQ12", "unexpected word"),
        ("37X CQ 12", "not a valid MGRS reference"),
    ],
)
def test_unreadable_or_ambiguous_text_is_refused_naming_the_input(text: str, message: str) -> None:
    with pytest.raises(GeoError, match=re.escape(f"{text!r}: ") + ".*" + re.escape(message)):
        parse_coordinates(text)


EXIF_POINT = LatLon(49 + 13 / 60 + 15.24 / 3600, 37 + 14 / 60 + 40.20 / 3600)


@pytest.mark.parametrize(
    "text",
    [
        # exiftool's GPSPosition and iPhone's "Get Info", with and without the comma.
        "49 deg 13' 15.24\" N, 37 deg 14' 40.20\" E",
        "49 deg 13' 15.24\" N 37 deg 14' 40.20\" E",
        "49 deg 13' 15.24\"N, 37 deg 14' 40.20\"E",
        "49 deg 13’ 15.24” N, 37 deg 14’ 40.20” E",
        "49 degrees 13 minutes 15.24 seconds N, 37 degrees 14 minutes 40.20 seconds E",
        # PROJ's cs2cs and GDAL's gdalinfo, longitude first with hemisphere letters.
        "37d14'40.20\"E, 49d13'15.24\"N",
        # exiftool -c "%d %d %.2f": no marks at all, hemisphere letters say what is what.
        "49 13 15.24 N, 37 14 40.20 E",
        "49 град 13 хв 15.24 сек пн. ш., 37 град 14 хв 40.20 сек сх. д.",
        "49°13′15.24″ північної широти, 37°14′40.20″ східної довготи",
        "49°13′15.24″ северной широты 37°14′40.20″ восточной долготы",
        "49°13′15.24″ North latitude, 37°14′40.20″ East longitude",
        "Lat. 49°13′15.24″ N., Long. 37°14′40.20″ E.",
        "49\u202f13\u2032\u202f15.24\u2033\u202fN 37°14′40.20″E",
    ],
)
def test_exiftool_iphone_and_gis_tool_forms(text: str) -> None:
    assert _close(parse_coordinates(text), EXIF_POINT, 1e-9)


def test_exiftool_quicktime_form_carries_the_altitude() -> None:
    read = read_coordinates("49 deg 13' 15.24\" N, 37 deg 14' 40.20\" E, 150.2 m Above Sea Level")
    assert _close(read.point, EXIF_POINT) and read.altitude_m == 150.2
    assert read_coordinates("49.2209, 37.2445, 3.5 m Below Sea Level").altitude_m == -3.5


def test_exiftool_n_forms() -> None:
    # -n prints GPSPosition as "lat lon" and QuickTime GPSCoordinates as "lat lon alt".
    assert parse_coordinates("49.2209166666667 37.2445") == LatLon(49.2209166666667, 37.2445)
    read = read_coordinates("49.2209166666667 37.2445 150.2")
    assert read.point == LatLon(49.2209166666667, 37.2445) and read.altitude_m == 150.2


@pytest.mark.parametrize(
    ("text", "lat", "lon", "altitude"),
    [
        ("+49.2209+037.2445/", 49.2209, 37.2445, None),
        ("+49.2209+037.2445+150.200/", 49.2209, 37.2445, 150.2),
        ("-33.8688+151.2093/", -33.8688, 151.2093, None),
        ("+4913.2540+03714.6700/", 49 + 13.254 / 60, 37 + 14.67 / 60, None),
        ("+491315.24+0371440.20+150CRSWGS_84/", 49 + 13 / 60 + 15.24 / 3600, 37 + 14 / 60 + 40.2 / 3600, 150.0),
    ],
)
def test_iso_6709_as_quicktime_and_exiftool_print_it(text: str, lat: float, lon: float, altitude: float | None) -> None:
    read = read_coordinates(text)
    assert _close(read.point, LatLon(lat, lon)) and read.altitude_m == altitude


@pytest.mark.parametrize(
    "text",
    [
        "49.2209,37.2446 (Site A)",
        "49.2209, 37.2446 (Піщанське кладовище)",
        "49.2209N 37.2446E (Izium)",
    ],
)
def test_a_label_after_the_point_is_set_aside(text: str) -> None:
    assert parse_coordinates(text) == IZIUM


def test_utm_and_sk42_read_as_typed_coordinates_too() -> None:
    assert _close(parse_coordinates("37U 372174 5453498"), LatLon(49.220922, 37.244553), 2e-5)
    assert read_coordinates("X 5 455 781, Y 7 372 238").read_as == "SK-42"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("49 deg 13' 15.24\" N, 37 deg", "ambiguous, only one coordinate says which axis it is"),
        ("deg 49 N 37 E", "'deg' does not follow a number"),
        ("+49.2209+037.2445+150.0+1/", "expected a latitude and a longitude, found 4 coordinate(s)"),
        ("+4975.0+03714.67/", "ISO 6709 latitude +4975.0 has minutes or seconds of 60 or more"),
        ("+91.0+037.0/", "latitude 91.0 is outside -90..90"),
        ("49.2209, 37.2445 (Site A", "unexpected character '('"),
    ],
)
def test_bad_tool_forms_are_refused_naming_the_input(text: str, message: str) -> None:
    with pytest.raises(GeoError, match=re.escape(f"{text!r}: ") + ".*" + re.escape(message)):
        parse_coordinates(text)


@pytest.mark.parametrize(
    "text",
    [
        "49.2209, 37.2446 біля лісу",
        "the grave at 49.2209 37.2446",
    ],
)
def test_prose_around_coordinates_is_not_typed_coordinates(text: str) -> None:
    # Typed coordinates are the whole text; sentences are parse_location's job (see test_location).
    with pytest.raises(GeoError, match="unexpected word"):
        parse_coordinates(text)
