"""A bounding box whose west is greater than its east crosses the antimeridian (RFC 7946 §5.2): every endpoint that
takes `bbox` reads it as the two boxes either side of 180°, and still refuses a box that is malformed."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client

from lestweforget.atlas import filters
from lestweforget.atlas.models import Event, Site, Source

from .conftest import make_site

# 20° of longitude from 170°E eastwards to 170°W, 10°S..10°N... and Fiji, which lies across the line.
ACROSS = "170,-20,-170,10"
INSIDE = {"test-fiji-east", "test-fiji-west"}


@pytest.fixture
def pacific(db: None) -> dict[str, Site]:
    source = Source.objects.create(key="test-pacific-report", title="Test report", url="https://example.org/report")
    sites = {
        "test-fiji-east": make_site("test-fiji-east", -17.8, 178.4, {"en": "Suva test site"}),
        "test-fiji-west": make_site("test-fiji-west", -16.3, -179.9, {"en": "Taveuni test site"}),
        # Just outside the box on each side, and one far away in the same latitudes.
        "test-solomons": make_site("test-solomons", -9.4, 159.9, {"en": "Honiara test site"}),
        "test-samoa": make_site("test-samoa", -13.8, -169.9, {"en": "Apia test site"}),
        "test-izium": make_site("test-izium", 49.2109, 37.2485, {"en": "Izium test site"}),
    }
    for slug, site in sites.items():
        event = Event.objects.create(site=site, kind=Event.Kind.DISCOVERY, date=dt.date(2023, 5, 1), title_en=slug)
        event.sources.add(source)
    return sites


def test_a_box_across_the_antimeridian_is_two_boxes() -> None:
    box = filters.parse_bbox(ACROSS)
    assert box.crosses_antimeridian
    assert box.parts() == (filters.BBox(170, -20, 180, 10), filters.BBox(-180, -20, -170, 10))
    assert filters.parse_bbox("30,40,31,41").parts() == (filters.BBox(30, 40, 31, 41),)


def _slugs(client: Client, path: str, **params: str) -> set[str]:
    response = client.get(path, {"bbox": ACROSS, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    if "points" in body:
        return {point["slug"] for point in body["points"]}
    if "events" in body:
        return {event["site"] for event in body["events"]}
    return {item.get("slug") or item.get("site") for item in body["items"]}


@pytest.mark.parametrize("path", ["/api/sites", "/api/events", "/api/viewport", "/api/viewport/list"])
def test_every_api_endpoint_takes_a_box_across_the_antimeridian(
    client: Client, pacific: dict[str, Site], path: str
) -> None:
    assert _slugs(client, path) == INSIDE


def test_the_viewport_counts_and_the_timeline_take_it_too(client: Client, pacific: dict[str, Site]) -> None:
    assert client.get("/api/viewport", {"bbox": ACROSS, "zoom": 3}).json()["total"] == 2
    assert _slugs(client, "/api/viewport/timeline") == INSIDE


def test_the_whole_atlas_export_takes_it(client: Client, pacific: dict[str, Site]) -> None:
    geojson = client.get("/export/atlas.geojson", {"bbox": ACROSS})
    assert geojson.status_code == 200
    features = b"".join(geojson.streaming_content).decode()
    assert "test-fiji-east" in features and "test-fiji-west" in features
    assert "test-samoa" not in features and "test-solomons" not in features and "test-izium" not in features
    table = client.get("/export/atlas.csv", {"bbox": ACROSS})
    rows = list(csv.DictReader(io.StringIO(b"".join(table.streaming_content).decode())))
    assert len(rows) == 2


@pytest.mark.parametrize(
    ("bbox", "says"),
    [
        ("170,10,-170,-20", "south must not exceed north"),
        ("190,-20,-170,10", "-180..180"),
        ("170,-20,-190,10", "-180..180"),
        ("170,-95,-170,10", "-90..90"),
        ("170,-20,-170", "four numbers"),
    ],
)
def test_a_malformed_box_is_still_refused_by_name(
    client: Client, pacific: dict[str, Site], bbox: str, says: str
) -> None:
    for path in ("/api/sites", "/api/events", "/api/viewport", "/export/atlas.geojson"):
        response = client.get(path, {"bbox": bbox})
        assert response.status_code == 400, path
        text = response.json()["detail"] if path.startswith("/api") else response.content.decode()
        assert "bbox" in text and says in text, (path, text)
