"""Each site's oblast and raion, from its public point, and the oblast and raion filters of every endpoint that takes
the atlas filters: a code or a name in any spelling narrows, an unknown one is a 422 that names the parameter."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from lestweforget import geo
from lestweforget.atlas import units
from lestweforget.atlas.models import AdminUnit, Site
from lestweforget.geo import admin_units

KHARKIV = "UA63000000000041885"
IZIUM = "UA63040000000023521"
SLUG = "izium-mass-burial-site"


def test_the_izium_site_is_in_izium_raion_of_kharkiv_oblast(demo: object) -> None:
    site = Site.objects.get(slug=SLUG)
    assert (site.oblast_code, site.raion_code) == (KHARKIV, IZIUM)
    oblast, raion = AdminUnit.objects.get(code=site.oblast_code), AdminUnit.objects.get(code=site.raion_code)
    assert (oblast.name_en, oblast.name_uk) == ("Kharkiv oblast", "Харківська область")
    assert (raion.name_en, raion.name_uk) == ("Izium raion", "Ізюмський район")


def _point_whose_cell_lies_in_another_raion(grid_m: float) -> tuple[geo.LatLon, str, str]:
    locator = admin_units.locator()
    for step in range(400):
        precise = geo.LatLon(49.0 + step * 0.003, 36.4 + step * 0.004)
        public = geo.generalise(precise, grid_m)
        (here,), (there,) = locator.locate([precise.lat], [precise.lon]), locator.locate([public.lat], [public.lon])
        if here and there and here[1] != there[1]:
            return precise, here[1], there[1]
    raise AssertionError("no point near a raion edge found")


def test_a_generalised_site_gets_the_raion_of_its_public_point_not_its_precise_one(db: None) -> None:
    precise, precise_raion, public_raion = _point_whose_cell_lies_in_another_raion(20_000)
    site = Site(
        slug="edge",
        kind=Site.Kind.MASS_GRAVE,
        summary_en="A site near a raion edge.",
        latitude=precise.lat,
        longitude=precise.lon,
        uncertainty_m=50,
        sensitivity=Site.Sensitivity.GENERALISED,
        generalise_m=20_000,
    )
    site.save()
    site.refresh_from_db()
    assert site.raion_code == public_raion != precise_raion


def test_sites_stored_without_units_get_them_from_the_bulk_pass(db: None) -> None:
    site = Site(slug="bulk", kind="other", summary_en="x", latitude=49.2209, longitude=37.2445, uncertainty_m=10)
    site.derive_public_location(with_units=False)
    Site.objects.bulk_create([site])
    assert Site.objects.get(slug="bulk").raion_code == ""
    assert units.assign_all(batch=1) == 1
    assert Site.objects.get(slug="bulk").raion_code == IZIUM


def _slugs(client: Client, url: str, **params: str) -> set[str]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return {item["slug"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    "params",
    [
        {"oblast": KHARKIV},
        {"oblast": "UA63"},
        {"oblast": "Kharkiv"},
        {"oblast": "Харківська область"},
        {"raion": "Izium"},
        {"raion": "Ізюмський район"},
        {"oblast": "Kharkiv", "raion": "UA6304"},
        {"oblast": "Lviv,Kharkiv"},
    ],
)
def test_a_unit_in_any_spelling_keeps_the_sites_in_it(client: Client, demo: object, params: dict[str, str]) -> None:
    assert SLUG in _slugs(client, "/api/sites", **params)


def test_another_unit_keeps_none_of_them(client: Client, demo: object) -> None:
    assert _slugs(client, "/api/sites", oblast="Lviv") == set()
    assert _slugs(client, "/api/sites", raion="Kupiansk raion") == set()
    assert _slugs(client, "/api/viewport/list", bbox="22,44,41,53", oblast="Odesa") == set()


def test_every_endpoint_with_atlas_filters_narrows_by_unit(client: Client, demo: object) -> None:
    assert SLUG in _slugs(client, "/api/viewport/list", bbox="22,44,41,53", raion=IZIUM)
    view = client.get("/api/viewport", {"bbox": "22,44,41,53", "zoom": 12, "raion": IZIUM}).json()
    assert view["total"] == 2
    assert (
        client.get("/api/viewport", {"bbox": "22,44,41,53", "zoom": 12, "raion": "Kharkiv raion"}).json()["total"] == 0
    )
    events = client.get("/api/events", {"oblast": "Харківська", "limit": 100}).json()["items"]
    assert events and all(event["site"] in (SLUG, "izium-police-station-basement") for event in events)
    assert client.get("/api/events", {"oblast": "Lviv"}).json()["items"] == []
    timeline = client.get("/api/viewport/timeline", {"bbox": "22,44,41,53", "zoom": 12, "oblast": "Lviv"}).json()
    assert timeline["total"] == 0
    for raion, expected in (("Izium", 2), ("Kupiansk", 0)):
        body = b"".join(client.get("/export/atlas.csv", {"raion": raion}).streaming_content).decode()
        assert len(list(csv.DictReader(io.StringIO(body)))) == expected


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"oblast": "Atlantis"}, "oblast"),
        ({"raion": "Atlantis"}, "raion"),
        ({"oblast": "Lviv", "raion": "Izium"}, "raion"),
        ({"oblast": "Kharkiv,Narnia"}, "oblast"),
    ],
)
def test_an_unknown_unit_is_a_422_naming_the_parameter(
    client: Client, demo: object, params: dict[str, str], named: str
) -> None:
    for url, extra in (
        ("/api/sites", {}),
        ("/api/events", {}),
        ("/api/viewport", {"bbox": "22,44,41,53"}),
        ("/api/viewport/list", {"bbox": "22,44,41,53"}),
        ("/api/viewport/timeline", {"bbox": "22,44,41,53"}),
    ):
        response = client.get(url, {**params, **extra})
        assert response.status_code == 422, url
        assert response.json()["detail"].startswith(f"{named}: ")
    export = client.get("/export/atlas.geojson", params)
    assert export.status_code == 422 and export.content.decode().startswith(f"{named}: ")


def test_a_unit_too_long_to_read_is_a_400(client: Client, db: None) -> None:
    response = client.get("/api/sites", {"oblast": "x" * 300})
    assert response.status_code == 400 and response.json()["detail"].startswith("oblast: ")


def test_the_openapi_schema_documents_oblast_and_raion(client: Client, db: None) -> None:
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/sites", "/api/events", "/api/viewport", "/api/viewport/list", "/api/viewport/timeline"):
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert "KATOTTG" in parameters["oblast"]["description"], path
        assert "raion" in parameters["raion"]["description"], path


def test_the_atlas_form_offers_units_in_the_readers_language(client: Client, demo: object) -> None:
    english = client.get("/", {"oblast": "Kharkiv", "raion": "Izium"}).content.decode()
    assert f'<option value="{KHARKIV}" selected>Kharkiv oblast</option>' in english
    assert f'<option value="{IZIUM}" selected>Izium raion</option>' in english
    ukrainian = client.get("/uk/", {"oblast": KHARKIV}).content.decode()
    assert f'<option value="{KHARKIV}" selected>Харківська область</option>' in ukrainian
    assert f'<optgroup label="Харківська область" data-oblast="{KHARKIV}">' in ukrainian
    assert ">Ізюмський район</option>" in ukrainian
    # An unknown unit in the URL leaves the field empty rather than failing the page.
    assert client.get("/", {"oblast": "Atlantis"}).status_code == 200


def test_the_api_names_each_sites_units_in_both_languages(client: Client, demo: object) -> None:
    site = next(s for s in client.get("/api/sites").json()["items"] if s["slug"] == SLUG)
    assert site["oblast"] == {"code": KHARKIV, "name": {"en": "Kharkiv oblast", "uk": "Харківська область"}}
    assert site["raion"] == {"code": IZIUM, "name": {"en": "Izium raion", "uk": "Ізюмський район"}}
    assert client.get(f"/api/sites/{SLUG}").json()["raion"]["code"] == IZIUM


def test_lwf_units_stores_the_units_and_places_every_site_again(demo: object, capsys: pytest.CaptureFixture) -> None:
    from lestweforget.cli import main

    Site.objects.update(oblast_code="", raion_code="")
    AdminUnit.objects.filter(code=IZIUM).update(name_en="stale")
    assert main(["units"]) == 0
    assert "163 oblasts and raions" in capsys.readouterr().out
    assert set(Site.objects.values_list("raion_code", flat=True)) == {IZIUM}
    assert AdminUnit.objects.get(code=IZIUM).name_en == "Izium raion"


def test_imported_sites_get_their_units_as_they_are_made(demo: object) -> None:
    from pathlib import Path

    from lestweforget.cli import main
    from lestweforget.register.models import ImportedRow

    data = Path(__file__).parents[1] / "register" / "data"
    assert (
        main(["import", "sites", str(data / "graves.csv"), "--format", "csv", "--mapping", str(data / "graves.yaml")])
        == 0
    )
    sites = [row.site for row in ImportedRow.objects.filter(dataset="test-graves").select_related("site")]
    assert len(sites) == 2
    for site in sites:
        (expected,) = admin_units.locator().locate([site.public_latitude], [site.public_longitude])
        assert expected and expected[0] == "UA12000000000090473"  # Dnipropetrovsk oblast
        assert (site.oblast_code, site.raion_code) == expected
