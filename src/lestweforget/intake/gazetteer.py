"""The atlas's own settlements and sites as gazetteer entries, with every name they go by, for the article
reader; sites carry their precise point (the draft is for editors only)."""

from __future__ import annotations

import re

from lestweforget.articles import Gazetteer, Place, build_gazetteer, settlement_radius_m
from lestweforget.atlas.models import Settlement, Site

_PARENTHESIS = re.compile(r"\s*\([^)]*\)")


def _names(*values: str) -> tuple[str, ...]:
    """Each name, and without its parenthesised note ("Pishchanske cemetery (forest burial ground)")."""
    found: dict[str, None] = {}
    for value in values:
        for name in (value, _PARENTHESIS.sub("", value)):
            if name.strip():
                found[name.strip()] = None
    return tuple(found)


def atlas_places() -> list[Place]:
    """Every settlement and site of the atlas, published or not, as gazetteer entries."""
    places = [
        Place(
            key=f"atlas:settlement:{settlement.slug}",
            name=settlement.name_en,
            kind="settlement",
            latitude=settlement.latitude,
            longitude=settlement.longitude,
            uncertainty_m=settlement_radius_m(0),
            names=_names(
                settlement.name_en,
                settlement.name_uk,
                settlement.name_ru,
                *(n.strip() for n in settlement.other_names.split(",")),
            ),
            name_uk=settlement.name_uk,
            name_ru=settlement.name_ru,
        )
        for settlement in Settlement.objects.all()
    ]
    for site in Site.objects.prefetch_related("names"):
        places.append(
            Place(
                key=f"atlas:site:{site.slug}",
                name=site.name("en"),
                kind="site",
                latitude=site.latitude,
                longitude=site.longitude,
                uncertainty_m=site.uncertainty_m,
                names=_names(*(name.name for name in site.names.all())),
            )
        )
    return places


def atlas_gazetteer() -> Gazetteer:
    """Ukraine's places (GeoNames) with the atlas's settlements and sites merged in."""
    return build_gazetteer(atlas_places())
