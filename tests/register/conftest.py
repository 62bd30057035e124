from __future__ import annotations

import pytest

from lestweforget.atlas.models import Site, SiteName


def make_site(
    slug: str, lat: float, lon: float, names: dict[str, str], published: bool = True, **fields: object
) -> Site:
    """A site saved as an editor's save would (public point, H3 cells and search entry derived on save)."""
    site = Site.objects.create(
        slug=slug,
        kind=fields.pop("kind", Site.Kind.MASS_GRAVE),
        summary_en=f"Test site {slug}.",
        latitude=lat,
        longitude=lon,
        uncertainty_m=100,
        is_published=published,
        **fields,
    )
    for language, name in names.items():
        SiteName.objects.create(site=site, language=language, name=name, is_primary=True)
    return site


@pytest.fixture
def places(db: None) -> dict[str, Site]:
    """Izium and two decoys (Bucha, Kharkiv), named in English, Ukrainian and Russian."""
    return {
        "izium": make_site(
            "test-izium",
            49.2109,
            37.2485,
            {"en": "Izium forest burial site", "uk": "Масове поховання в Ізюмі", "ru": "Массовое захоронение в Изюме"},
        ),
        "bucha": make_site(
            "test-bucha", 50.5439, 30.2127, {"en": "Bucha street", "uk": "Вулиця в Бучі", "ru": "Улица в Буче"}
        ),
        "kharkiv": make_site(
            "test-kharkiv",
            49.9935,
            36.2304,
            {"en": "Kharkiv cemetery", "uk": "Цвинтар у Харкові", "ru": "Кладбище в Харькове"},
        ),
    }
