"""The pure dataset readers: categories, links, dates, the mapping, and the merge rule."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lestweforget import geo
from lestweforget.datasets import (
    DEFAULT_MAPPINGS,
    DatasetError,
    MergeRule,
    SiteCandidate,
    SiteIndex,
    category_key,
    find_match,
    is_social_media,
    read_dataset,
)

DATA = Path(__file__).parents[1] / "register" / "data"
TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Civilian Infrastructure Damage March 2022", "civilian-infrastructure-damage"),
        ("Bombing or Explosion Feb - June", "bombing-or-explosion"),
        ("Russian Military Losses July - Now", "russian-military-losses"),
        ("Russian Military Presence Sep 2022", "russian-military-presence"),
        ("Russian Allies Presence/Losses", "russian-allies-presence-losses"),
        ("Mass grave or Burial", "mass-grave-or-burial"),
        ("  Масове поховання ", "масове-поховання"),
    ],
)
def test_a_category_is_named_without_its_month(name: str, key: str) -> None:
    assert category_key(name) == key


@pytest.mark.parametrize(
    ("url", "social"),
    [
        ("https://twitter.com/radiosvoboda/status/1570731972028420097", True),
        ("https://mobile.twitter.com/a/status/1", True),
        ("https://x.com/a/status/1", True),
        ("https://t.me/channel/12", True),
        ("https://www.tiktok.com/@user/video/1", True),
        ("https://youtu.be/abc", True),
        ("https://www.hrw.org/news/2022/10/19/x", False),
        ("https://nottwitter.com/a", False),
    ],
)
def test_social_media_posts_are_recognised(url: str, social: bool) -> None:
    assert is_social_media(url) is social


def test_the_cir_sample_reads_with_its_defaults() -> None:
    dataset = read_dataset((DATA / "cir_izium.csv").read_bytes(), "cir.csv", "cir", DEFAULT_MAPPINGS["cir"], TODAY)
    assert not dataset.problems and len(dataset.rows) == 12
    assert dict(dataset.skipped) == {"Russian Military Presence Sep 2022": 1}
    first = dataset.rows[0]
    assert first.external_id == "UW13290" and first.title == "Corpses of Izyum mass grave"
    assert (first.latitude, first.longitude, first.date) == (49.220922, 37.244553, dt.date(2022, 9, 15))
    assert first.place == "Izyum" and first.region == "Kharkiv Oblast" and first.graphic
    grave = dataset.rows[-1]
    assert [link.role for link in grave.links] == ["post", "geolocation"]


def test_only_narrows_to_the_chosen_categories() -> None:
    data = (DATA / "cir_izium.csv").read_bytes()
    dataset = read_dataset(data, "cir.csv", "cir", DEFAULT_MAPPINGS["cir"], TODAY, only=["mass grave or burial"])
    assert [row.external_id for row in dataset.rows] == ["TEST0002"]


def test_the_same_row_reads_to_the_same_fingerprint_and_a_changed_one_does_not() -> None:
    data = (DATA / "cir_izium.csv").read_bytes()
    once = read_dataset(data, "a.csv", "cir", DEFAULT_MAPPINGS["cir"], TODAY)
    again = read_dataset(data, "b.csv", "cir", DEFAULT_MAPPINGS["cir"], TODAY)
    changed = read_dataset(
        data.replace(b"Graves in a tree", b"Graves in a"), "c.csv", "cir", DEFAULT_MAPPINGS["cir"], TODAY
    )
    assert [r.fingerprint for r in once.rows] == [r.fingerprint for r in again.rows]
    assert once.rows[-1].fingerprint != changed.rows[-1].fingerprint


def test_a_row_without_an_id_gets_one_from_its_values() -> None:
    data = b"title,date,latitude,longitude\nGrave,2023-01-01,48.1,35.1\n"
    row = read_dataset(data, "x.csv", "csv", DEFAULT_MAPPINGS["csv"], TODAY).rows[0]
    assert row.external_id.startswith("sha256:")
    again = read_dataset(data, "y.csv", "csv", DEFAULT_MAPPINGS["csv"], TODAY).rows[0]
    assert again.external_id == row.external_id


def test_words_in_a_link_cell_are_left_out_with_a_note() -> None:
    data = b"title,date,latitude,longitude,link\nGrave,2023-01-01,48.1,35.1,Access can be requested\n"
    dataset = read_dataset(data, "x.csv", "csv", DEFAULT_MAPPINGS["csv"], TODAY)
    assert not dataset.problems and dataset.rows[0].links == ()
    assert "'Access can be requested' is not a link; left out" in str(dataset.notes[0])


def test_a_format_that_is_not_known_is_refused() -> None:
    with pytest.raises(DatasetError, match="--format 'xlsx': not one of csv, geojson, timemap, cir"):
        read_dataset(b"", "x", "xlsx", DEFAULT_MAPPINGS["csv"], TODAY)


ORIGIN = geo.LatLon(49.220922, 37.244553)
DAY = dt.date(2022, 9, 16)


def _site(point: geo.LatLon = ORIGIN, names: set[str] | None = None) -> SiteCandidate:
    return SiteCandidate("s", point, names or set(), [(dt.date(2022, 9, 15), dt.date(2022, 9, 23))])


def test_merge_by_place_and_date() -> None:
    rule = MergeRule()
    near = geo.LatLon(49.2218, 37.2446)  # about 100 m away
    match = find_match(rule, near, "Anything", DAY, [_site()])
    assert match is not None and match.reason == "place and date" and match.distance_m < 250
    assert find_match(rule, near, "Anything", dt.date(2022, 10, 30), [_site()]) is None  # 37 days after


def test_merge_by_name_only_nearby() -> None:
    rule = MergeRule()
    farther = geo.LatLon(49.2300, 37.2445)  # about 1 km away
    site = _site(names={"izyum mass grave"})
    match = find_match(rule, farther, "Izyum  mass-grave", dt.date(2023, 5, 1), [site])
    assert match is not None and match.reason == "name"
    far = geo.LatLon(48.0, 37.0)
    assert find_match(rule, far, "Izyum mass grave", DAY, [site]) is None


def test_the_nearest_of_two_matching_sites_wins() -> None:
    near, nearer = _site(geo.LatLon(49.2219, 37.2446)), _site(geo.LatLon(49.22093, 37.24456))
    nearer.key = "nearer"
    match = find_match(MergeRule(), ORIGIN, "x", DAY, [near, nearer])
    assert match is not None and match.site.key == "nearer"


@given(
    st.floats(min_value=44.0, max_value=52.0),
    st.floats(min_value=22.0, max_value=40.0),
    st.floats(min_value=0.0, max_value=240.0),
    st.floats(min_value=0.0, max_value=359.9),
)
def test_the_index_finds_every_site_within_the_merge_distance(
    lat: float, lon: float, metres: float, bearing: float
) -> None:
    rule = MergeRule()
    site = geo.LatLon(lat, lon)
    north, east = metres * math.cos(math.radians(bearing)), metres * math.sin(math.radians(bearing))
    point = geo.LatLon(lat + north / 111_320, lon + east / (111_320 * math.cos(math.radians(lat))))
    assert geo.distance_m(site, point) <= rule.distance_m
    index = SiteIndex(rule)
    index.add(SiteCandidate("s", site))
    assert [c.key for c in index.near(point)] == ["s"]
