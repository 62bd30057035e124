"""Nearby sites on a site's page: published sites within 30 km of its public point, nearest first, with distances."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models.signals import post_init
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lestweforget import geo
from lestweforget.atlas.models import Event, Settlement, Site, Source
from lestweforget.register.nearby import nearby

from .conftest import make_site


def test_nearby_sites_are_listed_nearest_first_with_distances(client: Client, places: dict[str, Site]) -> None:
    near = make_site("test-izium-near", 49.2300, 37.2485, {"en": "Near site"})  # about 2.1 km north
    nearer = make_site("test-izium-nearer", 49.2190, 37.2485, {"en": "Nearer site"})  # about 0.9 km north
    make_site("test-izium-hidden", 49.2120, 37.2485, {"en": "Unpublished site"}, published=False)
    found = nearby(places["izium"])
    assert [n.site.slug for n in found] == [nearer.slug, near.slug]  # not Kharkiv (110 km), not the unpublished one
    assert 800 < found[0].distance_m < 1000 and found[0].compass == "N"
    html = client.get("/sites/test-izium/").content.decode()
    section = html[html.index('id="nearby"') :]
    assert section.index("test-izium-nearer") < section.index("test-izium-near/")
    assert re.search(r"\b\d{3} m north", section) and "2.1 km north" in section
    uk = client.get("/uk/sites/test-izium/").content.decode()
    assert "2,1 км на північ" in uk[uk.index('id="nearby"') :]  # the decimal comma of a Ukrainian page


def test_a_lone_site_says_so(client: Client, places: dict[str, Site]) -> None:
    html = client.get("/sites/test-bucha/").content.decode()
    assert "No other published site within 30 km." in html


def _page_cost(client: Client, url: str) -> tuple[int, int]:
    """How many queries the page makes and how many sites it reads from the database."""
    built = []

    def count(sender: type[Site], instance: Site, **kwargs: object) -> None:
        built.append(instance)

    post_init.connect(count, sender=Site)
    try:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
    finally:
        post_init.disconnect(count, sender=Site)
    return len(captured.captured_queries), len(built)


def _crowd(around: Site, count: int, start: int, settlement: Settlement) -> None:
    """``count`` published sites within 20 km of ``around``, in its settlement, each with a sourced event."""
    source = Source.objects.create(key=f"crowd-source-{start}", title="Crowd source")
    for n in range(start, start + count):
        site = make_site(
            f"test-crowd-{n}",
            around.latitude + (n % 17 - 8) * 0.02,
            around.longitude + (n % 13 - 6) * 0.03,
            {"en": f"Crowd site {n}"},
            settlement=settlement,
        )
        event = Event.objects.create(site=site, kind=Event.Kind.OTHER, date="2022-09-16", title_en=f"Crowd {n}")
        event.sources.add(source)


def test_the_site_page_reads_as_many_rows_with_a_crowd_around_it_as_with_a_few(
    client: Client, places: dict[str, Site]
) -> None:
    """The page's queries, and the sites it reads, are the same whatever the number of sites around it and in its
    settlement: nearby sites are the nearest few read in the database's order, not every site in the cells around."""
    izium = places["izium"]
    town = Settlement.objects.create(slug="test-town", name_en="Izium", latitude=49.21, longitude=37.25)
    izium.settlement = town
    izium.save()
    settlement_event = Event.objects.create(
        settlement=town, kind=Event.Kind.LIBERATION, date="2022-09-10", title_en="L"
    )
    settlement_event.sources.add(Source.objects.create(key="town-source", title="Town source"))
    _crowd(izium, 12, 0, town)
    few = _page_cost(client, "/sites/test-izium/")
    assert len(nearby(izium)) == 10
    _crowd(izium, 60, 12, town)
    assert _page_cost(client, "/sites/test-izium/") == few
    html = client.get("/sites/test-izium/").content.decode()
    section = html[html.index('id="nearby"') :]
    assert section.count('class="nearby-site"') == 10


def test_nearby_keeps_the_nearest_by_geodesic_distance_among_many(places: dict[str, Site]) -> None:
    """The database's flat-earth order only chooses candidates: the list is the exact nearest, by geodesic."""
    izium = places["izium"]
    town = Settlement.objects.create(slug="test-town", name_en="Izium", latitude=49.21, longitude=37.25)
    _crowd(izium, 60, 0, town)
    expected = sorted(
        (geo.distance_m(izium.public_point, other.public_point), other.slug)
        for other in Site.objects.filter(is_published=True).exclude(pk=izium.pk)
    )
    expected = [slug for distance, slug in expected if distance <= 30_000][:10]
    assert [neighbour.site.slug for neighbour in nearby(izium)] == expected
