"""Links pasted with raw spaces, map views that are not pins, every map site's query text, and grid
references outside their area (issue 8, kinds 1 and 7; black-box findings 1, 25, 26, 27)."""

from __future__ import annotations

import pytest

from lestweforget.geo import GeoError, LatLon, parse_location, read_map_link
from lestweforget.geo.maplinks import MAX_VIEW_UNCERTAINTY_M, view_uncertainty_m

DMS_LAT = 49 + 13 / 60 + 15.2 / 3600
DMS_LON = 37 + 14 / 60 + 40.2 / 3600
PIN = LatLon(49.2209, 37.2445)


def _close(found: LatLon, lat: float, lon: float) -> None:
    assert found.lat == pytest.approx(lat, abs=1e-6)
    assert found.lon == pytest.approx(lon, abs=1e-6)


@pytest.mark.parametrize(
    "text",
    [
        # The tester's two examples, then every kind of link whose query holds text, pasted with raw spaces.
        "https://www.google.com/maps?q=49 13 15.2N, 37 14 40.2E",
        "https://www.google.com/maps?q=49 13 15.2N 37 14 40.2E",
        "https://www.google.com/maps/search/?api=1&query=49 13 15.2N 37 14 40.2E",
        "https://www.google.com/maps/dir/?api=1&destination=49°13'15.2\" N, 37°14'40.2\" E",
        "https://maps.google.com/maps?daddr=49 13 15.2N 37 14 40.2E",
        "https://www.google.com/maps/search/49 13 15.2N, 37 14 40.2E",
        "https://maps.apple.com/?q=49 13 15.2N, 37 14 40.2E",
        "https://maps.apple.com/?ll=49 13 15.2N, 37 14 40.2E",
        "https://www.openstreetmap.org/search?query=49 13 15.2N 37 14 40.2E",
        "https://yandex.ru/maps/?text=49 13 15.2N, 37 14 40.2E",
        "geo:0,0?q=49 13 15.2N, 37 14 40.2E",
        "https://www.bing.com/maps?where1=49 13 15.2N 37 14 40.2E",
        "https://mapy.cz/zakladni?q=49 13 15.2N, 37 14 40.2E",
        "https://www.waze.com/ul?ll=49 13 15.2N, 37 14 40.2E&navigate=yes",
        "https://wego.here.com/?q=49 13 15.2N 37 14 40.2E",
        "https://2gis.ua/kyiv/search/49 13 15.2N 37 14 40.2E",
    ],
)
def test_a_link_pasted_with_raw_spaces_is_read_whole(text: str) -> None:
    found = parse_location(text)
    _close(found.point, DMS_LAT, DMS_LON)
    assert not [note for note in found.notes if note.startswith("not read")]


@pytest.mark.parametrize(
    "text",
    [
        "The grave: https://www.google.com/maps?q=49 13 15.2N, 37 14 40.2E. Meet at 10.",
        "see https://maps.apple.com/?q=49 13 15.2N 37 14 40.2E (north edge) tomorrow",
        "geo:0,0?q=49 13 15.2N, 37 14 40.2E is where we dug",
    ],
)
def test_a_raw_spaced_link_inside_a_sentence_stops_where_its_point_ends(text: str) -> None:
    _close(parse_location(text).point, DMS_LAT, DMS_LON)


@pytest.mark.parametrize(
    "text",
    [
        # "49 13" would read as a point only by leaving "15.2Q ..." behind.
        "https://www.google.com/maps?q=49 13 15.2Q 37 14 40.2E",
        # A link with a latitude of 95 beside a plain point: two points, one of which nobody can check.
        "https://www.google.com/maps?q=95.1,37.2 and 49.2209, 37.2445",
        # A link's point and a different typed point after it.
        "https://www.google.com/maps?q=49.2,37.2 50.1N 30.2E",
    ],
)
def test_a_sentence_with_two_conflicting_points_is_refused_naming_both(text: str) -> None:
    with pytest.raises(GeoError) as refused:
        parse_location(text)
    assert "cannot tell which" in str(refused.value) or "does not read as one point" in str(refused.value)


def test_the_refusal_names_both_points() -> None:
    with pytest.raises(GeoError, match=r"49\.200000, 37\.200000 .*50\.100000, 30\.200000"):
        parse_location("https://www.google.com/maps?q=49.2,37.2 50.1N 30.2E")
    with pytest.raises(GeoError, match=r"49\.220900, 37\.244500 .*latitude 95\.1"):
        parse_location("https://www.google.com/maps?q=95.1,37.2 and 49.2209, 37.2445")


@pytest.mark.parametrize(
    ("zoom", "metres"),
    # Half of 412 px at 156 543.03 m/px at zoom 0, times cos(49.2°), halving with each level.
    [(17, 161), (15, 643), (12, 5144), (10, 20578)],
)
def test_a_view_centre_has_the_uncertainty_its_zoom_shows(zoom: int, metres: int) -> None:
    assert view_uncertainty_m(49.2, zoom) == pytest.approx(metres, abs=1)
    found = read_map_link(f"https://www.google.com/maps/@49.2,37.2,{zoom}z")
    assert found.uncertainty_m == metres
    assert any("not a pin" in note for note in found.notes)


@pytest.mark.parametrize(
    ("url", "metres"),
    [
        ("https://www.google.com/maps/place/Izium/@49.2,37.2,12z", 5144),
        ("https://www.google.com/maps/@49.2,37.2,350m/data=!3m1!1e3", 175),
        ("https://maps.google.com/?ll=49.2,37.2&z=15", 643),
        ("https://www.openstreetmap.org/#map=12/49.2/37.2", 5144),
        ("https://www.openstreetmap.org/?lat=49.2&lon=37.2&zoom=15", 643),
        ("https://yandex.ru/maps/?ll=37.2,49.2&z=15", 643),
        ("https://www.bing.com/maps?cp=49.2~37.2&lvl=15", 643),
        ("https://wego.here.com/?map=49.2,37.2,15,normal", 643),
        ("https://mapy.cz/zakladni?x=37.2&y=49.2&z=15", 643),
        ("https://2gis.ua/kyiv?m=37.2%2C49.2%2F15", 643),
        ("https://osmand.net/map#15/49.2/37.2", 643),
        ("https://maps.apple.com/?sll=49.2,37.2&z=15", 643),
    ],
)
def test_every_view_centre_form_is_read_as_a_view(url: str, metres: int) -> None:
    found = read_map_link(url)
    assert found.point == LatLon(49.2, 37.2)
    assert found.uncertainty_m == metres
    assert found.read_as.endswith("map view")
    assert "not a pin" in found.notes[0]


@pytest.mark.parametrize(
    "url",
    [
        "https://www.google.com/maps/@49.2,37.2,5z",
        "https://www.openstreetmap.org/#map=4/49.2/37.2",
        "https://yandex.ru/maps/?ll=37.2,49.2&z=6",
        "https://www.bing.com/maps?cp=49.2~37.2&lvl=3",
        "https://mapy.cz/zakladni?x=37.2&y=49.2&z=8",
    ],
)
def test_a_view_of_a_region_or_continent_is_refused(url: str) -> None:
    with pytest.raises(GeoError, match="not a place: drop a pin"):
        parse_location(url)
    assert view_uncertainty_m(49.2, 9) > MAX_VIEW_UNCERTAINTY_M


@pytest.mark.parametrize(
    "url",
    [
        "https://www.google.com/maps/place/Izium/@49.1,37.1,5z/data=!4m5!3m4!8m2!3d49.2209!4d37.2445",
        "https://www.google.com/maps?q=49.2209,37.2445",
        "https://www.openstreetmap.org/?mlat=49.2209&mlon=37.2445#map=4/10/20",
        "https://yandex.ru/maps/?pt=37.2445,49.2209&ll=10,20&z=3",
        "https://yandex.ru/maps/?whatshere%5Bpoint%5D=37.2445%2C49.2209&whatshere%5Bzoom%5D=17",
        "https://mapy.cz/zakladni?source=coor&id=37.2445%2C49.2209&x=10&y=20&z=3",
        "https://maps.apple.com/?ll=49.2209,37.2445&q=Dropped%20Pin",
        "https://www.waze.com/ul?ll=49.2209%2C37.2445&navigate=yes",
    ],
)
def test_pins_stay_exact_whatever_the_view(url: str) -> None:
    found = read_map_link(url)
    assert found.point == PIN
    assert found.uncertainty_m is None
    assert not found.notes


@pytest.mark.parametrize(
    "url",
    [
        "https://mapy.cz/zakladni?q=49.2209N,37.2445E",
        "https://mapy.com/en/zakladni?q=49.2209%2C37.2445",
        "https://mapy.cz/?query=49%C2%B013%2715.24%22N%2037%C2%B014%2740.2%22E",
        "https://www.bing.com/maps?where1=49.2209N%2037.2445E",
        "https://www.bing.com/maps?q=N49.2209%20E37.2445",
        "https://wego.here.com/?q=49.2209N,37.2445E",
        "https://2gis.ua/kyiv/search/49.2209%2C%2037.2445",
        "https://www.waze.com/ul?ll=49.2209N%2037.2445E",
        "https://yandex.ru/maps/?text=49.2209N%2C37.2445E",
        "https://yandex.ru/maps/?pt=37.2445E,49.2209N",
        "https://yandex.ru/maps/?whatshere%5Bpoint%5D=37.2445,49.2209",
    ],
)
def test_every_map_sites_query_text_goes_to_the_typed_text_reader(url: str) -> None:
    found = read_map_link(url).point
    assert found.lat == pytest.approx(49.2209, abs=1e-4)
    assert found.lon == pytest.approx(37.2445, abs=1e-4)


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("X 9999999 Y 9999999", "zone 9 covers 48°E..54°E"),
        ("X 5455781 Y 7972238", "zone 7 covers 36°E..42°E"),
        ("X 1000000 Y 7372238", "35.14°N..81.91°N"),
        ("SK-42 X 9 999 999, Y 7 372 238", "zone 7 covers 36°E..42°E"),
        ("37U 972238 5455781", "UTM zone 37 covers 36°E..42°E"),
        ("37U 100000 5455781", "UTM zone 37 covers 36°E..42°E"),
        ("31N 999999 100000", "UTM zone 31 covers 0°E..6°E"),
    ],
)
def test_a_grid_reference_outside_its_area_is_refused_naming_the_area(text: str, area: str) -> None:
    with pytest.raises(GeoError, match="outside") as refused:
        parse_location(text)
    assert area in str(refused.value)


@pytest.mark.parametrize(
    "text",
    [
        "X 5455781 Y 7372238",
        "X 5 455 781, Y 7 372 238",
        "37U 372238 5455781",
        # Just over a zone's edge, as sheets at the edge carry the neighbour's grid.
        "X 5455781 Y 7780000",
    ],
)
def test_a_grid_reference_inside_its_area_still_reads(text: str) -> None:
    found = parse_location(text).point
    assert 48 < found.lat < 50 and 36 < found.lon < 43
