"""Property tests: any valid place written in any format reads back the same in another reader."""

from __future__ import annotations

import csv
import io
import json
import warnings
from datetime import UTC, datetime, timedelta, timezone

import gpxpy
from hypothesis import given, settings
from hypothesis import strategies as st

from lestweforget.exports import (
    Collection,
    PlaceFeature,
    Track,
    TrackPoint,
    to_csv,
    to_geojson,
    to_gpx,
    to_kml,
)
from lestweforget.exports.validation import RESERVED_PROPERTY_KEYS

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    import fastkml

TOLERANCE_DEG = 1e-7

# Text a person might type: any letter, digit, mark, punctuation or symbol, spaces and line breaks; no control
# characters (XML cannot carry most of them) and no lone surrogates (UTF-8 cannot).
text = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\n\t =+-@\"'<>&"),
    max_size=40,
)
latitudes = st.floats(min_value=-90, max_value=90, allow_nan=False)
longitudes = st.floats(min_value=-180, max_value=180, allow_nan=False)
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
times = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=offsets)
urls = st.sampled_from(["", "https://example.org/a?b=1&c=2", "http://example.org/ü", "sites/izium/"])
property_values = (
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=False, allow_infinity=False) | text
)
properties = st.dictionaries(
    text.filter(lambda key: key.strip() and key not in RESERVED_PROPERTY_KEYS), property_values, max_size=4
)


@st.composite
def places(draw: st.DrawFn) -> PlaceFeature:
    return PlaceFeature(
        id=draw(text),
        name=draw(text),
        latitude=draw(latitudes),
        longitude=draw(longitudes),
        kind=draw(text),
        description=draw(text),
        url=draw(urls),
        uncertainty_m=draw(st.none() | st.floats(min_value=0, max_value=1e6)),
        time=draw(st.none() | times),
        properties=draw(properties),
    )


collections = st.builds(
    Collection,
    title=text,
    features=st.lists(places(), max_size=5).map(tuple),
    description=text,
    generated_at=st.none() | times,
)


def close(read: float, written: float) -> bool:
    return abs(read - written) <= TOLERANCE_DEG


def xml_text(value: str) -> str:
    """What an XML reader gives back for text: line ends as LF (XML 1.0 §2.11), and nothing for empty text."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=60, deadline=None)
@given(collections)
def test_geojson_reads_back_the_same_places(collection: Collection) -> None:
    document = json.loads(to_geojson(collection))
    assert len(document["features"]) == len(collection.features)
    for feature, place in zip(document["features"], collection.features, strict=True):
        longitude, latitude = feature["geometry"]["coordinates"]
        assert close(longitude, place.longitude) and close(latitude, place.latitude)
        assert feature["id"] == place.id
        read = feature["properties"]
        assert (read["name"], read["kind"], read["description"], read["url"]) == (
            place.name,
            place.kind,
            place.description,
            place.url,
        )
        assert read["uncertainty_m"] == place.uncertainty_m
        assert (datetime.fromisoformat(read["time"]) if read["time"] else None) == place.time
        assert {key: read[key] for key in place.properties} == dict(place.properties)


@settings(max_examples=60, deadline=None)
@given(collections)
def test_gpx_reads_back_the_same_places(collection: Collection) -> None:
    gpx = gpxpy.parse(to_gpx(collection))
    assert (gpx.name or "") == xml_text(collection.title)
    assert gpx.time == collection.generated_at
    assert len(gpx.waypoints) == len(collection.features)
    for waypoint, place in zip(gpx.waypoints, collection.features, strict=True):
        assert close(waypoint.latitude, place.latitude) and close(waypoint.longitude, place.longitude)
        assert (waypoint.name or "") == xml_text(place.name)
        assert (waypoint.type or "") == xml_text(place.kind)
        assert (waypoint.link or "") == place.url
        assert waypoint.time == place.time
        assert (waypoint.description or "").startswith(xml_text(place.description))


@settings(max_examples=60, deadline=None)
@given(collections)
def test_csv_reads_back_the_same_places(collection: Collection) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(collection), newline="")))
    assert len(rows) == len(collection.features)
    for row, place in zip(rows, collection.features, strict=True):
        assert close(float(row["latitude"]), place.latitude) and close(float(row["longitude"]), place.longitude)
        for column in ("id", "name", "kind", "url", "description"):
            assert unneutralised(row[column]) == getattr(place, column), column
        if place.uncertainty_m is None:
            assert row["uncertainty_m"] == ""
        else:
            assert float(row["uncertainty_m"]) == place.uncertainty_m
        assert (datetime.fromisoformat(row["time"]) if row["time"] else None) == place.time
        for key, value in place.properties.items():
            cell = row[unneutralised_key(key, row)]
            if isinstance(value, bool):
                assert cell == ("true" if value else "false")
            elif isinstance(value, int | float):
                assert float(cell) == value
            else:
                assert unneutralised(cell) == (value or "")


def unneutralised(cell: str) -> str:
    """The text before formula neutralising: a leading apostrophe is dropped only where one was added."""
    if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return cell[1:]
    return cell


def unneutralised_key(key: str, row: dict[str, str]) -> str:
    return key if key in row else "'" + key


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.builds(
            TrackPoint,
            latitude=latitudes,
            longitude=longitudes,
            time=st.none() | times,
            elevation_m=st.none() | st.floats(min_value=-500, max_value=9000),
        ),
        max_size=6,
    )
)
def test_gpx_track_reads_back_the_same_points(points: list[TrackPoint]) -> None:
    gpx = gpxpy.parse(to_gpx(Collection(title="t", features=(), tracks=(Track("route", tuple(points)),))))
    read = gpx.tracks[0].segments[0].points
    assert len(read) == len(points)
    for got, point in zip(read, points, strict=True):
        assert close(got.latitude, point.latitude) and close(got.longitude, point.longitude)
        if point.elevation_m is None:
            assert got.elevation is None
        else:
            assert got.elevation is not None and abs(got.elevation - point.elevation_m) <= 0.0005
        assert got.time == point.time
        assert got.time is None or (got.time.tzinfo is not None and got.time.utcoffset() == timedelta(0))
    assert all(p.time is None or p.time.astimezone(UTC) == p.time for p in read)


@settings(max_examples=30, deadline=None)
@given(collections)
def test_kml_reads_back_the_same_places(collection: Collection) -> None:
    (document,) = fastkml.KML.from_string(to_kml(collection)).features
    placemarks = list(document.features)
    assert len(placemarks) == len(collection.features)
    for placemark, place in zip(placemarks, collection.features, strict=True):
        assert close(placemark.geometry.x, place.longitude) and close(placemark.geometry.y, place.latitude)
        # fastkml strips the whitespace around element text.
        assert (placemark.name or "") == xml_text(place.name).strip()
        data = placemark.extended_data.elements if placemark.extended_data else []
        fields = {field.name: field.value or "" for field in data}
        # Empty fields are left out of ExtendedData.
        assert fields.get("id", "") == xml_text(place.id).strip()
        for key, value in place.properties.items():
            cell = fields.get(xml_text(key).strip(), "")
            if value is None or isinstance(value, bool):
                assert cell == {None: "", True: "true", False: "false"}[value]
            elif isinstance(value, int | float):
                assert float(cell) == value
            else:
                assert cell == xml_text(value).strip()
