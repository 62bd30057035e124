"""Every format streams: a head, then a piece per chunk of places, then the end; read back by fastkml and gpxpy (not by
our own code), the same document as the whole-collection writer gives, and memory that does not grow with the number
of places (tracemalloc's peak at N and at 10 N places)."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
import warnings
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime

import gpxpy
import pytest

from lestweforget.exports import (
    STREAMED,
    Collection,
    ExportError,
    PlaceFeature,
    gpx_stream,
    kml_stream,
    to_gpx,
    to_kml,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    import fastkml

KINDS = ("mass_grave", "burial_site", "memorial", "other")


def _place(n: int) -> PlaceFeature:
    return PlaceFeature(
        id=f"place-{n}",
        name=f"Place {n} & <{n}>",
        latitude=44.0 + (n % 800) / 100,
        longitude=22.0 + (n % 1800) / 100,
        kind=KINDS[n % len(KINDS)],
        description=f"Row {n}: “quoted” ]]> text",
        url=f"https://example.org/sites/place-{n}/?a=1&b=2",
        uncertainty_m=50.0,
        properties={"settlement": f"Town {n % 7}", "location_generalised": n % 10 == 0},
    )


HEAD = Collection(
    title="Atlas & <friends>",
    features=(),
    url="https://example.org/",
    generated_at=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
)


def _chunks(count: int, size: int) -> Iterator[Collection]:
    """``count`` places in chunks of ``size``, each made when asked for (nothing kept)."""
    for start in range(0, count, size):
        features = tuple(_place(n) for n in range(start, min(count, start + size)))
        yield Collection(title="", features=features, url=HEAD.url)


def _placemarks(text: str) -> list[object]:
    (document,) = fastkml.KML.from_string(text).features
    return [feature for feature in document.features if isinstance(feature, fastkml.Placemark)]


def test_a_streamed_kml_is_the_document_to_kml_writes_and_fastkml_reads_every_place(collection: Collection) -> None:
    whole = to_kml(replace(collection, tracks=()))
    head = replace(collection, features=(), tracks=())
    chunks = [replace(collection, features=(feature,), tracks=()) for feature in collection.features]
    kinds = [feature.kind for feature in collection.features]
    assert "".join(kml_stream(head, chunks, kinds=kinds)) == whole
    streamed = "".join(kml_stream(HEAD, _chunks(25, 10), kinds=KINDS))
    placemarks = _placemarks(streamed)
    assert [p.name for p in placemarks] == [_place(n).name for n in range(25)]  # type: ignore[attr-defined]
    first = placemarks[0]
    assert (first.geometry.y, first.geometry.x) == (44.0, 22.0)  # type: ignore[attr-defined]
    assert first.style_url.url == "#kind-mass_grave"  # type: ignore[attr-defined]


def test_a_streamed_kml_keeps_its_tracks_after_the_places(collection: Collection) -> None:
    head = replace(collection, features=())
    text = "".join(kml_stream(head, [replace(collection, tracks=())], kinds=[f.kind for f in collection.features]))
    assert text == to_kml(collection)
    names = [p.name for p in _placemarks(text)]  # type: ignore[attr-defined]
    assert names[-len(collection.tracks) :] == [track.name for track in collection.tracks]


def test_a_place_of_a_kind_not_declared_up_front_is_written_without_a_style() -> None:
    odd = replace(_place(1), kind="crater")
    text = "".join(kml_stream(HEAD, [Collection(title="", features=(odd,))], kinds=KINDS))
    (placemark,) = _placemarks(text)
    assert placemark.style_url is None  # type: ignore[attr-defined]
    assert "kind-crater" not in text


def test_a_streamed_gpx_is_the_document_to_gpx_writes_and_gpxpy_reads_every_place(collection: Collection) -> None:
    head = replace(collection, features=())
    chunks = [Collection(title="", features=(feature,)) for feature in collection.features]
    assert "".join(gpx_stream(head, chunks)) == to_gpx(collection)
    gpx = gpxpy.parse("".join(gpx_stream(HEAD, _chunks(25, 10))))
    assert gpx.name == HEAD.title and gpx.version == "1.1"
    assert [w.name for w in gpx.waypoints] == [_place(n).name for n in range(25)]
    assert (gpx.waypoints[3].latitude, gpx.waypoints[3].longitude) == (44.03, 22.03)
    assert gpx.waypoints[0].link == _place(0).url


def test_an_empty_atlas_streams_a_valid_document_in_every_format() -> None:
    for name, stream in STREAMED.items():
        text = "".join(stream(HEAD, iter(()), ("settlement",), KINDS))
        if name == "kml":
            assert _placemarks(text) == []
        elif name == "gpx":
            assert gpxpy.parse(text).waypoints == []
        elif name == "geojson":
            assert json.loads(text)["features"] == []
        else:
            assert next(csv.reader(io.StringIO(text)))[0] == "id"


@pytest.mark.parametrize("name", ["kml", "gpx"])
def test_a_bad_place_in_a_later_chunk_stops_the_stream_with_the_reason(name: str) -> None:
    bad = replace(_place(11), name="Bell \x07 here")
    chunks = [*_chunks(10, 10), Collection(title="", features=(bad,))]
    with pytest.raises(ExportError):
        "".join(STREAMED[name](HEAD, iter(chunks), (), KINDS))


def _peak_bytes(write: Callable[[], Iterator[str]]) -> int:
    tracemalloc.start()
    try:
        written = 0
        for piece in write():
            written += len(piece)  # read and dropped, as a response or a file would take it
        assert written > 0
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", sorted(STREAMED))
def test_memory_stays_flat_from_n_to_ten_n_places(name: str) -> None:
    stream = STREAMED[name]
    small = _peak_bytes(lambda: stream(HEAD, _chunks(300, 100), ("settlement", "location_generalised"), KINDS))
    large = _peak_bytes(lambda: stream(HEAD, _chunks(3000, 100), ("settlement", "location_generalised"), KINDS))
    # Ten times the places; the peak holds one chunk at a time, so it may not grow by more than noise.
    assert large < small * 1.3 + 64_000, (small, large)
