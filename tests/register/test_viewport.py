"""The viewport: clusters that sum to the sites in view, points when few, filters, and the list and timeline beside
the map; bad parameters are 4xx responses naming the parameter."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from django.test import Client

from lestweforget.atlas import public
from lestweforget.atlas.models import Event, Site
from lestweforget.register import synthetic, viewport

UKRAINE = "22.0,44.0,40.5,52.5"
KHARKIV_OBLAST = "34.8,48.5,38.5,50.5"


@pytest.fixture
def many(db: None) -> int:
    """600 synthetic sites over Ukraine, some unpublished and some generalised."""
    return synthetic.generate(600, seed=3)


def _in_box(bbox: str) -> set[str]:
    west, south, east, north = (float(part) for part in bbox.split(","))
    return {
        site.slug
        for site in Site.objects.filter(is_published=True)
        if south <= public.published_coordinates(site)[0] <= north
        and west <= public.published_coordinates(site)[1] <= east
    }


def _listed(client: Client, params: dict[str, str], limit: int) -> set[str]:
    """The slugs the list beside the map gives for ``params``, page by page (``limit`` a page) to the end."""
    listed: set[str] = set()
    cursor = ""
    while True:
        page = client.get("/api/viewport/list", {**params, "limit": limit, "cursor": cursor}).json()
        assert len(page["items"]) <= limit
        listed |= {item["slug"] for item in page["items"]}
        cursor = page["next_cursor"]
        if not cursor:
            return listed


@pytest.mark.parametrize(
    ("bbox", "zoom"), [(UKRAINE, 5), (UKRAINE, 6), (UKRAINE, 7), (KHARKIV_OBLAST, 9), (KHARKIV_OBLAST, 11)]
)
def test_clusters_sum_to_the_sites_in_view(client: Client, many: int, bbox: str, zoom: int) -> None:
    body = client.get("/api/viewport", {"bbox": bbox, "zoom": zoom}).json()
    expected = _in_box(bbox)
    assert body["total"] == len(expected)
    if len(expected) > viewport.POINT_LIMIT:
        assert "clusters" in body and "points" not in body
        assert sum(cluster["count"] for cluster in body["clusters"]) == len(expected)
        assert len({cluster["cell"] for cluster in body["clusters"]}) == len(body["clusters"])
        assert body["resolution"] == viewport.resolution_for(zoom)[0]
    else:
        assert {point["slug"] for point in body["points"]} == expected


def test_coarser_zoom_gives_fewer_larger_clusters(client: Client, many: int) -> None:
    coarse = client.get("/api/viewport", {"bbox": UKRAINE, "zoom": 5}).json()["clusters"]
    fine = client.get("/api/viewport", {"bbox": UKRAINE, "zoom": 8}).json()["clusters"]
    assert len(coarse) < len(fine)
    assert sum(c["count"] for c in coarse) == sum(c["count"] for c in fine)


def test_a_view_that_would_need_too_many_clusters_gets_coarser_cells(
    client: Client, many: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A country-wide box asked at street zoom: the answer stays at most MAX_CLUSTERS, counts still summing up."""
    fine = client.get("/api/viewport", {"bbox": UKRAINE, "zoom": 11}).json()
    monkeypatch.setattr(viewport, "MAX_CLUSTERS", 20)
    body = client.get("/api/viewport", {"bbox": UKRAINE, "zoom": 11}).json()
    assert len(fine["clusters"]) > 20 >= len(body["clusters"])
    assert body["resolution"] < fine["resolution"]
    assert sum(c["count"] for c in body["clusters"]) == body["total"] == len(_in_box(UKRAINE))


def test_filters_narrow_the_view_the_list_and_the_timeline(client: Client, many: int) -> None:
    kind = Site.Kind.MEMORIAL
    body = client.get("/api/viewport", {"bbox": UKRAINE, "zoom": 6, "kind": kind}).json()
    memorials = {s.slug for s in Site.objects.filter(is_published=True, kind=kind)}
    assert body["total"] == len(memorials)
    assert _listed(client, {"bbox": UKRAINE, "kind": kind}, 17) == memorials
    timeline = client.get("/api/viewport/timeline", {"bbox": UKRAINE, "kind": kind, "from": "2023-01-01"}).json()
    assert all(event["date"] >= "2023-01-01" for event in timeline.get("events", []))


def test_timeline_becomes_a_histogram_when_many(client: Client, many: int) -> None:
    body = client.get("/api/viewport/timeline", {"bbox": UKRAINE}).json()
    assert "months" in body
    assert sum(month["count"] for month in body["months"]) == body["total"] > viewport.EVENT_LIMIT


def test_atlas_html_holds_no_site(client: Client, many: int) -> None:
    html = client.get("/").content
    assert len(html) < 100_000
    assert b"synthetic-3-" not in html


@pytest.mark.parametrize(
    ("url", "params", "status", "named"),
    [
        ("/api/viewport", {"bbox": "200,0,210,10", "zoom": 5}, 400, "bbox"),
        ("/api/viewport", {"bbox": "30,50,20,40", "zoom": 5}, 400, "bbox"),
        ("/api/viewport", {"bbox": "a,b,c,d", "zoom": 5}, 400, "bbox"),
        ("/api/viewport", {"zoom": 5}, 400, "bbox"),
        ("/api/viewport", {"bbox": UKRAINE, "zoom": 25}, 422, "zoom"),
        ("/api/viewport", {"bbox": UKRAINE, "kind": "castle"}, 400, "kind"),
        ("/api/viewport", {"bbox": UKRAINE, "from": "2022-13-01"}, 400, "from"),
        ("/api/viewport", {"bbox": UKRAINE, "from": "2023-01-01", "to": "2022-01-01"}, 400, "from"),
        ("/api/viewport", {"bbox": UKRAINE, "lang": "de"}, 400, "lang"),
        ("/api/viewport/list", {"bbox": UKRAINE, "limit": 101}, 422, "limit"),
        ("/api/viewport/list", {"bbox": UKRAINE, "cursor": "%%%"}, 400, "cursor"),
        ("/api/sites", {"limit": 1000}, 422, "limit"),
        ("/api/sites", {"limit": 0}, 422, "limit"),
        ("/api/sites", {"cursor": "bm9wZQ"}, 400, "cursor"),
        ("/api/sites", {"bbox": "0,95,1,96"}, 400, "bbox"),
        ("/api/sites", {"q": "x" * 201}, 400, "q"),
        ("/api/sites", {"has_photos": "maybe"}, 400, "has_photos"),
        ("/api/events", {"limit": 101}, 422, "limit"),
        ("/api/sources", {"limit": 101}, 422, "limit"),
        ("/export/atlas.geojson", {"bbox": "1,2,3"}, 400, "bbox"),
    ],
)
def test_bad_parameters_are_refused_by_name(
    client: Client, db: None, url: str, params: dict[str, object], status: int, named: str
) -> None:
    response = client.get(url, params)
    assert response.status_code == status, response.content[:300]
    assert named in response.content.decode()


def test_api_lists_page_through_everything_once(client: Client, many: int) -> None:
    published = set(Site.objects.filter(is_published=True).values_list("slug", flat=True))
    seen: list[str] = []
    cursor = ""
    pages = 0
    while True:
        body = client.get("/api/sites", {"limit": 100, "cursor": cursor}).json()
        assert len(body["items"]) <= 100
        seen += [item["slug"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(published) and pages == -(-len(published) // 100)
    events = client.get("/api/events", {"limit": 100}).json()
    dates = [event["date"] for event in events["items"]]
    assert dates == sorted(dates) and events["next_cursor"]
    second = client.get("/api/events", {"limit": 100, "cursor": events["next_cursor"]}).json()
    assert second["items"][0]["date"] >= dates[-1]
    sources = client.get("/api/sources", {"limit": 100}).json()
    assert len(sources["items"]) == 60 and sources["next_cursor"] is None


def test_api_sites_filters_by_bbox_kind_and_dates(client: Client, many: int) -> None:
    rng = random.Random(5)
    for _ in range(3):
        west, south = rng.uniform(24, 36), rng.uniform(46, 50)
        bbox = f"{west},{south},{west + 3},{south + 2}"
        slugs = {item["slug"] for item in client.get("/api/sites", {"bbox": bbox, "limit": 100}).json()["items"]}
        assert slugs == _in_box(bbox) or len(_in_box(bbox)) > 100
    items = client.get(
        "/api/sites", {"kind": "memorial,other", "from": "2023-06-01", "to": "2023-06-30", "limit": 100}
    ).json()["items"]
    for item in items:
        site = Site.objects.get(slug=item["slug"])
        assert site.kind in ("memorial", "other")
        assert site.events.filter(date__gte="2023-06-01", date__lte="2023-06-30").exists()


def test_streamed_export_takes_the_same_filters(client: Client, many: int) -> None:
    import json

    response = client.get("/export/atlas.geojson", {"bbox": KHARKIV_OBLAST})
    assert response.streaming
    document = json.loads(response.getvalue())
    assert {feature["id"] for feature in document["features"]} == _in_box(KHARKIV_OBLAST)
    rows = client.get("/export/atlas.csv", {"bbox": KHARKIV_OBLAST}).getvalue().decode().splitlines()
    assert len(rows) == len(_in_box(KHARKIV_OBLAST)) + 1


def test_kept_cell_counts_follow_publishing_moving_and_deleting(client: Client, many: int) -> None:
    def total() -> int:
        return int(client.get("/api/viewport", {"bbox": UKRAINE, "zoom": 6}).json()["total"])

    before = total()
    site = Site.objects.filter(is_published=True).first()
    assert site is not None
    site.is_published = False
    site.save()
    assert total() == before - 1 == len(_in_box(UKRAINE))
    site.is_published = True
    site.latitude, site.longitude = 60.0, 60.0  # moved out of the view
    site.save()
    assert total() == before - 1
    site.latitude, site.longitude = 48.5, 31.0
    site.save()
    assert total() == before
    site.delete()
    assert total() == before - 1 == len(_in_box(UKRAINE))


def test_openapi_says_how_lists_page_and_filter(client: Client, db: None) -> None:
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/sites", "/api/events", "/api/viewport", "/api/viewport/list", "/api/viewport/timeline"):
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert {"bbox", "q", "kind", "from", "to"} <= set(parameters), path
        # Only the lists that page take a page's parameters: the map's clusters and the timeline are bounded instead.
        if path in ("/api/viewport", "/api/viewport/timeline"):
            assert not {"limit", "cursor"} & set(parameters), path
        else:
            assert parameters["limit"]["schema"]["maximum"] == 100 and "cursor" in parameters, path
    sources = {p["name"]: p for p in schema["paths"]["/api/sources"]["get"]["parameters"]}
    assert sources["limit"]["schema"]["maximum"] == 100 and "cursor" in sources


@pytest.mark.usefixtures("demo")
def test_the_timeline_tells_dates_as_the_site_pages_do_in_each_language(client: Client) -> None:
    """A black-box tester saw "2022-09-14" on /uk/ where the site page says "14 вересня 2022"."""
    izium = {"bbox": "37.0,49.0,37.5,49.4"}
    english = client.get("/api/viewport/timeline", {**izium, "lang": "en"}).json()["events"]
    ukrainian = client.get("/api/viewport/timeline", {**izium, "lang": "uk"}).json()["events"]
    assert any(e["when"] == "15 September 2022" for e in english), [e["when"] for e in english]
    assert any(e["when"] == "15 вересня 2022" for e in ukrainian), [e["when"] for e in ukrainian]
    assert not any(re.search(r"\d{4}-\d\d", e["when"]) for e in english + ukrainian)


@pytest.mark.parametrize(
    ("url", "params", "named"),
    [
        ("/api/sites", {"limit": "abc"}, "limit"),
        ("/api/sites", {"limit": "1e3"}, "limit"),
        ("/api/viewport", {"bbox": UKRAINE, "zoom": "NaN"}, "zoom"),
        ("/api/viewport", {"bbox": UKRAINE, "zoom": "10.5"}, "zoom"),
    ],
)
def test_an_unreadable_number_is_named_in_one_sentence(
    client: Client, db: None, url: str, params: dict[str, object], named: str
) -> None:
    """A black-box tester got the validator's raw list ("int_parsing") for these, then a 422 where the README
    promises a 400 for a value that cannot be read, with pydantic's words and its list beside the sentence."""
    response = client.get(url, params)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["detail"], body
    assert body["detail"] == f"{named}: “{params[named]}” is not a whole number", body


@pytest.mark.parametrize(
    ("url", "params", "detail"),
    [
        ("/api/sites", {"limit": "1000"}, "limit: 1000 is out of range: give at most 100"),
        ("/api/sites", {"limit": "0"}, "limit: 0 is out of range: give at least 1"),
        ("/api/viewport", {"bbox": UKRAINE, "zoom": "25"}, "zoom: 25 is out of range: give at most 19"),
    ],
)
def test_a_number_read_but_out_of_range_is_a_422_saying_the_range(
    client: Client, db: None, url: str, params: dict[str, object], detail: str
) -> None:
    response = client.get(url, params)
    assert response.status_code == 422
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize("zoom", range(viewport.MIN_ZOOM, 15))
def test_clusters_at_each_zoom_are_far_enough_apart_not_to_overlap(zoom: int) -> None:
    """Neighbouring cells' centres, in screen pixels at Ukraine's latitudes, are at least a marker (60 px) apart, and
    the next finer resolution would bring them closer than that (or the finest shown is reached)."""
    import math

    import h3

    metres_per_px = 40_075_016.686 * math.cos(math.radians(49)) / (256 * 2**zoom)

    def across_px(resolution: int) -> float:
        return 2 * h3.average_hexagon_edge_length(resolution, "m") / metres_per_px

    shown, stored = viewport.resolution_for(zoom)
    assert stored >= shown
    assert across_px(shown) >= 55 or shown == 1
    assert shown == 9 or across_px(shown + 1) < 60


def test_kept_cell_counts_equal_counting_every_site_in_random_boxes(many: int) -> None:
    """The kept sums (whole cells inside, finer kept cells along the edge, sites only in edge cells of those) give
    the very clusters counting each site in the box gives, cell by cell."""
    from lestweforget.atlas import filters

    rng = random.Random(11)
    for _ in range(25):
        west, south = rng.uniform(22, 39), rng.uniform(44, 51.5)
        box = filters.BBox(west, south, min(40.5, west + rng.uniform(0.05, 6)), min(52.5, south + rng.uniform(0.05, 3)))
        for zoom in (6, 8, 9, 11):
            shown, stored = viewport.resolution_for(zoom)
            kept = {c.cell: c.count for c in viewport.counted_clusters(box, shown, stored)}
            sites = viewport.sites_in_view(filters.SiteFilters(bbox=box))
            counted = {c.cell: c.count for c in viewport.clusters(sites, shown, stored)}
            assert kept == counted, (box, zoom)


def test_kept_cell_counts_of_chosen_kinds_equal_counting_every_site_in_random_boxes(many: int) -> None:
    """A view narrowed to kinds sums the kept rows of those kinds: the very clusters counting each site of those
    kinds in the box gives, cell by cell (one kind, two kinds, whole cells and cells the edge cuts)."""
    from lestweforget.atlas import filters

    rng = random.Random(12)
    for _ in range(15):
        west, south = rng.uniform(22, 39), rng.uniform(44, 51.5)
        box = filters.BBox(west, south, min(40.5, west + rng.uniform(0.05, 8)), min(52.5, south + rng.uniform(0.05, 4)))
        kinds = tuple(rng.sample(Site.Kind.values, rng.choice((1, 2))))
        for zoom in (6, 9, 11):
            shown, stored = viewport.resolution_for(zoom)
            kept = {c.cell: c.count for c in viewport.counted_clusters(box, shown, stored, kinds)}
            sites = viewport.sites_in_view(filters.SiteFilters(bbox=box, kinds=kinds))
            counted = {c.cell: c.count for c in viewport.clusters(sites, shown, stored)}
            assert kept == counted, (box, kinds, zoom)


@pytest.mark.parametrize(
    "asked",
    [
        {"kind": "mass_grave"},
        {"kind": "memorial,other"},
        {"from": "2022-09-01", "to": "2022-12-31"},
        {"oblast": "Kharkiv"},
        {"q": "Izium"},
        {"kind": "burial_site", "from": "2023-01-01"},
    ],
)
def test_filtered_country_view_counts_each_site_it_keeps(client: Client, many: int, asked: dict[str, str]) -> None:
    """The country view narrowed by a filter: its clusters (or points) hold exactly the published sites the same
    filters keep when each site is looked at, and the list pages through the same sites."""
    from lestweforget.atlas import filters

    params = {"bbox": UKRAINE, **asked}
    chosen = filters.parse(params)
    expected = {site.slug for site in filters.apply(Site.objects.filter(is_published=True), chosen)} & _in_box(UKRAINE)
    body = client.get("/api/viewport", {**params, "zoom": 6}).json()
    assert body["total"] == len(expected)
    if "clusters" in body:
        assert sum(cluster["count"] for cluster in body["clusters"]) == len(expected)
        cells: dict[str, int] = {}
        for cell in Site.objects.filter(slug__in=expected).values_list("h3_r5", flat=True):
            parent = viewport.geo.h3_parent(cell, body["resolution"])
            cells[parent] = cells.get(parent, 0) + 1
        assert {cluster["cell"]: cluster["count"] for cluster in body["clusters"]} == cells
    else:
        assert {point["slug"] for point in body["points"]} == expected
    assert _listed(client, params, 100) == expected


def test_timeline_months_count_each_event_in_view(client: Client, many: int) -> None:
    """The histogram's months, cut in SQL on either database, are each event's month as its date gives it."""
    from lestweforget.atlas import filters

    for asked in ({}, {"kind": "mass_grave,memorial"}):
        params = {"bbox": UKRAINE, **asked}
        body = client.get("/api/viewport/timeline", params).json()
        events = viewport.events_in_view(filters.parse(params))
        expected: dict[str, int] = {}
        for date in events.values_list("date", flat=True):
            expected[date.isoformat()[:7]] = expected.get(date.isoformat()[:7], 0) + 1
        if "months" not in body:
            assert body["total"] == sum(expected.values()) <= viewport.EVENT_LIMIT
            continue
        assert {month["month"]: month["count"] for month in body["months"] if month["count"]} == expected
        # A time axis: every month from the first to the last, those without events counted 0.
        months = [month["month"] for month in body["months"]]
        assert (months[0], months[-1]) == (min(expected), max(expected))
        assert months == _month_run(months[0], len(months))


def _month_run(first: str, length: int) -> list[str]:
    start = int(first[:4]) * 12 + int(first[5:7]) - 1
    return [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(start, start + length)]


def test_the_histogram_runs_through_the_range_asked_and_names_empty_months(client: Client, many: int) -> None:
    """The range asked widens the axis past the months with events (a month chosen from the histogram, its
    neighbours empty, keeps its place on the axis); months without events are named in the language asked."""
    body = client.get(
        "/api/viewport/timeline", {"bbox": UKRAINE, "from": "2021-11-01", "to": "2030-01-31", "lang": "uk"}
    ).json()
    assert "months" in body
    months = body["months"]
    assert (months[0]["month"], months[-1]["month"]) == ("2021-11", "2030-01")
    assert [month["month"] for month in months] == _month_run("2021-11", len(months))
    assert months[0] == {"month": "2021-11", "label": "листопад 2021", "count": 0}
    assert sum(month["count"] for month in months) == body["total"]


def test_kept_kind_counts_follow_a_change_of_kind(client: Client, many: int) -> None:
    def memorials() -> int:
        return int(client.get("/api/viewport", {"bbox": UKRAINE, "zoom": 6, "kind": "memorial"}).json()["total"])

    before = memorials()
    site = Site.objects.filter(is_published=True).exclude(kind=Site.Kind.MEMORIAL).first()
    assert site is not None
    site.kind = Site.Kind.MEMORIAL
    site.save()
    assert memorials() == before + 1
    site.delete()
    assert memorials() == before


def test_a_box_holding_every_site_is_dropped_and_one_leaving_a_site_out_is_not(client: Client, many: int) -> None:
    """The list and the timeline read a box that holds every published site as no box (the same sites), and a box
    whose edge leaves out one site leaves it out of the view, the list and the timeline."""
    from lestweforget.atlas import filters

    everything = filters.parse({"bbox": UKRAINE})
    assert viewport.without_a_box_holding_all(everything).bbox is None
    northmost = Site.objects.filter(is_published=True).order_by("-published_latitude").first()
    assert northmost is not None
    below = f"22.0,44.0,40.5,{northmost.published_latitude - 1e-9}"
    assert viewport.without_a_box_holding_all(filters.parse({"bbox": below})).bbox is not None
    expected = _in_box(below)
    assert northmost.slug not in expected and len(expected) == len(_in_box(UKRAINE)) - 1
    assert client.get("/api/viewport", {"bbox": below, "zoom": 6, "kind": northmost.kind}).json()["total"] == len(
        {slug for slug in expected if Site.objects.get(slug=slug).kind == northmost.kind}
    )
    assert _listed(client, {"bbox": below}, 100) == expected
    everyone = client.get("/api/viewport/timeline", {"bbox": UKRAINE}).json()["total"]
    events_left_out = northmost.events.filter(Event.sourced()).count()
    assert client.get("/api/viewport/timeline", {"bbox": below}).json()["total"] == everyone - events_left_out


def _px(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Where Leaflet puts a marker: Web Mercator pixels at ``zoom`` (written here apart from the viewport's own)."""
    import math

    scale = 256 * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * scale, (1 - y / math.pi) / 2 * scale


def _closest_pair_px(clusters: list[dict[str, Any]], zoom: int) -> float:
    import math

    at = [_px(c["lat"], c["lon"], zoom) for c in clusters]
    return min(
        (math.dist(a, b) for i, a in enumerate(at) for b in at[i + 1 :]),
        default=math.inf,
    )


def test_no_two_clusters_are_closer_than_a_marker_at_any_zoom(client: Client, db: None) -> None:
    """Over Ukraine's box at every zoom 0..12, no two clusters' drawn points are closer than the spacing the answer
    states (the largest marker and a gap), and the counts still sum to the sites in view."""
    synthetic.generate(3000, seed=11)
    expected = len(_in_box(UKRAINE))
    for zoom in range(0, 13):
        body = client.get("/api/viewport", {"bbox": UKRAINE, "zoom": zoom}).json()
        assert body["total"] == expected
        assert body["spacing_px"] >= viewport.MARKER_LARGEST
        clusters = body["clusters"]
        assert sum(c["count"] for c in clusters) == expected, zoom
        assert _closest_pair_px(clusters, zoom) >= body["spacing_px"], zoom
        assert all(c["size"] == viewport.marker_size(c["count"]) <= viewport.MARKER_LARGEST for c in clusters)


def test_spacing_merges_any_crowd_and_keeps_every_count() -> None:
    """Clusters heaped together, in chains and far apart: whatever is given, the answer keeps every site and spaces
    every two, merging only what is too close (far ones stay as they were)."""
    rng = random.Random(5)
    crowd = [
        viewport.Cluster(f"c{i}", rng.randint(1, 500), 49 + rng.gauss(0, 0.3), 33 + rng.gauss(0, 0.3))
        for i in range(400)
    ]
    chain = [viewport.Cluster(f"k{i}", 7, 45.0, 24.0 + i * 0.05) for i in range(60)]
    lonely = viewport.Cluster("far", 3, 60.0, 10.0)
    given = [*crowd, *chain, lonely]
    for zoom in range(0, 20):
        out = viewport.spaced(given, zoom)
        assert sum(c.count for c in out) == sum(c.count for c in given)
        assert len({c.cell for c in out}) == len(out)
        drawn = [c.as_dict() for c in out]
        assert _closest_pair_px(drawn, zoom) >= viewport.SPACING_PX, zoom
        if zoom >= 4:
            assert lonely in out
