from __future__ import annotations

import pytest

from lestweforget.atlas.demo import load_demo
from lestweforget.atlas.models import Approach, Claim, Event, Settlement, Site, SiteName, Source, StatusChange

MODELS = (Source, Settlement, Site, SiteName, Approach, StatusChange, Event, Claim)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_demo_loads_twice_without_duplicates() -> None:
    first = load_demo()
    counts = _counts()
    second = load_demo()
    assert _counts() == counts
    assert first == second
    assert counts["Site"] >= 1 and counts["Claim"] >= 5 and counts["Event"] >= 10


@pytest.mark.django_db
def test_demo_site_is_at_the_cir_point_with_its_uncertainty_and_source(demo: object) -> None:
    site = Site.objects.get(slug="izium-mass-burial-site")
    assert (site.latitude, site.longitude) == (49.220922, 37.244553)
    assert site.uncertainty_m == 300
    assert site.location_source is not None
    assert site.settlement is not None and site.settlement.slug == "izium"
    assert site.is_published


@pytest.mark.django_db
def test_demo_timeline_runs_from_the_invasion_to_the_memorial_service(demo: object) -> None:
    dates = sorted(Event.objects.values_list("date", flat=True))
    assert dates[0].isoformat() == "2022-02-24"
    assert dates[-1].isoformat() == "2025-12-09"


@pytest.mark.django_db
def test_demo_body_counts_stand_side_by_side_with_their_sources(demo: object) -> None:
    counts = Claim.objects.filter(site__slug="izium-mass-burial-site", subject__key="bodies_exhumed")
    values = {c.value: c for c in counts}
    assert {"447", "436"} <= set(values)
    assert values["447"].status == Claim.Status.CONFIRMED
    assert all(c.source_id for c in counts)
    assert values["447"].source != values["436"].source


@pytest.mark.django_db
def test_editing_the_file_updates_rows_instead_of_adding_them(demo: object) -> None:
    site = Site.objects.get(slug="izium-mass-burial-site")
    site.summary_en = "changed by hand"
    site.save()
    load_demo()
    site.refresh_from_db()
    assert site.summary_en != "changed by hand"
    assert Site.objects.filter(slug="izium-mass-burial-site").count() == 1
