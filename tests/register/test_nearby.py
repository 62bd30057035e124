"""Nearby sites on a site's page: published sites within 30 km of its public point, nearest first, with distances."""

from __future__ import annotations

import re

from django.test import Client

from lestweforget.atlas.models import Site
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
