"""KML export, read back with fastkml (and the description's HTML with the stdlib HTML parser)."""

from __future__ import annotations

import warnings
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from lestweforget.exports import Collection, ExportError, PlaceFeature, to_kml

with warnings.catch_warnings():
    # fastkml warns once that lxml is absent; it reads KML with the stdlib parser instead.
    warnings.simplefilter("ignore", UserWarning)
    import fastkml

KML_NS = "{http://www.opengis.net/kml/2.2}"


class Balloon(HTMLParser):
    """What a map app's balloon shows from a description: its text, links and images."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.text = ""
        self.links: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.text += "\n"
        elif tag == "p" and self.text:
            self.text += "\n\n"
        elif tag == "a":
            self.links.append(dict(attrs)["href"] or "")
        elif tag == "img":
            self.images.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text += data


def read(text: str) -> Any:
    """The KML Document as fastkml reads it."""
    kml = fastkml.KML.from_string(text)
    (document,) = kml.features
    return document


def placemark(document: Any, name: str) -> Any:
    return next(feature for feature in document.features if feature.name == name)


def extended(feature: Any) -> dict[str, str]:
    return {data.name: data.value for data in feature.extended_data.elements}


def test_document_is_named_after_the_title_and_holds_every_place_and_track(collection: Collection) -> None:
    document = read(to_kml(collection))
    assert isinstance(document, fastkml.Document)
    assert document.name == "Lest We Forget: test atlas — Ізюм"
    assert [feature.name for feature in document.features] == [
        "Масове поховання в Ізюмі",
        "Southern and western test point",
        "Near the antimeridian",
        "Walk from the road to the graves",
    ]


def test_izium_point_is_where_the_site_is(collection: Collection) -> None:
    izium = placemark(read(to_kml(collection)), "Масове поховання в Ізюмі")
    assert (izium.geometry.x, izium.geometry.y) == (37.244553, 49.220922)


def test_southern_western_point_keeps_its_signs(collection: Collection) -> None:
    south = placemark(read(to_kml(collection)), "Southern and western test point")
    assert (south.geometry.x, south.geometry.y) == (-70.6, -33.9)


def test_izium_balloon_shows_description_uncertainty_link_and_thumbnail(collection: Collection) -> None:
    source = collection.features[0]
    izium = placemark(read(to_kml(collection)), source.name)
    balloon = Balloon(izium.description)
    assert balloon.text.startswith(source.description + "\n\n")
    assert "± 300 m" in balloon.text
    assert balloon.links == ["https://example.org/sites/izium-mass-burial/?lang=uk&view=map"]
    assert balloon.images == [{"src": "https://example.org/media/izium-forest-320.jpg", "width": "320"}]


def test_description_html_is_written_in_cdata(collection: Collection) -> None:
    text = to_kml(collection)
    assert "<description><![CDATA[<p>Pine forest by the Pishchanske cemetery.<br>" in text
    # The description's own markup characters stay text inside the HTML.
    assert "Crosses marked with &quot;numbers&quot; &lt; 500 &amp; a few names." in text


def test_place_without_thumbnail_has_no_image(collection: Collection) -> None:
    south = placemark(read(to_kml(collection)), "Southern and western test point")
    balloon = Balloon(south.description)
    assert balloon.images == []
    assert balloon.text == "-1 is not a formula here\n\n± 25 m"


def test_extended_data_holds_the_fields_and_properties(collection: Collection) -> None:
    izium = placemark(read(to_kml(collection)), "Масове поховання в Ізюмі")
    assert extended(izium) == {
        "id": "izium-mass-burial",
        "kind": "mass_grave",
        "url": "https://example.org/sites/izium-mass-burial/?lang=uk&view=map",
        "uncertainty_m": "300",
        "thumbnail_url": "https://example.org/media/izium-forest-320.jpg",
        "settlement": "Ізюм",
        "bodies_exhumed": "447",
        "location_generalised": "false",
        "offset_m": "-12.5",
        "note": '=HYPERLINK("https://evil.example","click")',
    }


def test_each_kind_has_a_style_with_its_own_icon_colour(collection: Collection) -> None:
    document = read(to_kml(collection))
    colours = {
        style.id: sub.color for style in document.styles for sub in style.styles if type(sub).__name__ == "IconStyle"
    }
    assert set(colours) == {"kind-mass_grave", "kind-memorial", "kind-other"}
    assert len(set(colours.values())) == 3
    for feature in document.features[:3]:
        assert feature.style_url.url.removeprefix("#") in colours


def test_izium_time_is_a_timestamp(collection: Collection) -> None:
    izium = placemark(read(to_kml(collection)), "Масове поховання в Ізюмі")
    assert izium.times.timestamp.dt == collection.features[0].time


def test_track_is_a_linestring_with_its_points_and_time_span(collection: Collection) -> None:
    walk = collection.tracks[0]
    track = placemark(read(to_kml(collection)), walk.name)
    assert [tuple(c) for c in track.geometry.coords] == [
        (point.longitude, point.latitude, point.elevation_m) for point in walk.points
    ]
    assert track.times.begin.dt == walk.points[0].time
    assert track.times.end.dt == walk.points[-1].time
    assert Balloon(track.description).text == walk.description


def test_root_is_kml_in_the_kml_2_2_namespace(collection: Collection) -> None:
    root = ET.fromstring(to_kml(collection))
    assert root.tag == f"{KML_NS}kml"
    assert root[0].tag == f"{KML_NS}Document"


def test_output_is_the_same_every_time(collection: Collection) -> None:
    assert to_kml(collection) == to_kml(collection)


def test_empty_collection_is_an_empty_document(empty_collection: Collection) -> None:
    document = read(to_kml(empty_collection))
    assert document.name == "Nothing yet"
    assert list(document.features) == []


def test_text_that_looks_like_a_cdata_end_stays_text(collection: Collection) -> None:
    tricky = replace(collection.features[1], description="a ]]> b <![CDATA[ c")
    document = read(to_kml(replace(collection, features=(tricky,))))
    assert Balloon(document.features[0].description).text.startswith("a ]]> b <![CDATA[ c\n\n")


def test_kinds_that_slug_alike_get_distinct_styles() -> None:
    features = tuple(
        PlaceFeature(id=str(n), name=kind, latitude=1.0, longitude=2.0, kind=kind)
        for n, kind in enumerate(["mass grave", "mass-grave", "масова могила"])
    )
    document = read(to_kml(Collection(title="kinds", features=features)))
    style_urls = [feature.style_url.url for feature in document.features]
    assert len(set(style_urls)) == 3
    assert {style.id for style in document.styles} == {url.removeprefix("#") for url in style_urls}


def test_control_character_is_refused_naming_the_feature(collection: Collection) -> None:
    broken = replace(collection.features[0], name="bell\x07")
    with pytest.raises(ExportError, match=r"izium-mass-burial: name contains U\+0007"):
        to_kml(replace(collection, features=(broken,)))
