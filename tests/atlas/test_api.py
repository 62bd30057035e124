from __future__ import annotations

import pytest
from django.test import Client

SLUG = "izium-mass-burial-site"


def test_openapi_schema_lists_the_public_endpoints(client: Client, db: None) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/sites",
        "/api/sites/{slug}",
        "/api/sites/{slug}/claims",
        "/api/events",
        "/api/sources",
    ):
        assert path in schema["paths"]


def test_sites_endpoint_gives_the_public_point_and_both_languages(client: Client, demo: object) -> None:
    site = next(s for s in client.get("/api/sites").json()["items"] if s["slug"] == SLUG)
    assert (site["latitude"], site["longitude"]) == pytest.approx((49.220922, 37.244553))
    assert site["uncertainty_m"] == 300
    assert site["summary"]["en"] and site["summary"]["uk"]
    assert {"en", "uk", "ru"} <= {n["language"] for n in site["names"]}
    assert site["url"].endswith(f"/sites/{SLUG}/")


def test_claims_endpoint_keeps_disagreeing_counts_apart(client: Client, demo: object) -> None:
    claims = client.get(f"/api/sites/{SLUG}/claims", {"limit": 100}).json()["items"]
    counts = {c["value"]: c for c in claims if c["subject"] == "bodies_exhumed"}
    assert counts["447"]["status"] == "confirmed"
    assert "436" in counts
    assert all(c["source"] for c in claims)


def test_events_endpoint_is_in_date_order(client: Client, demo: object) -> None:
    dates = [e["date"] for e in client.get("/api/events", {"limit": 100}).json()["items"]]
    assert dates == sorted(dates)
    assert dates[0] == "2022-02-24"


def test_sources_endpoint_lists_cited_sources_with_urls(client: Client, demo: object) -> None:
    sources = client.get(f"/api/sites/{SLUG}/sources", {"limit": 100}).json()["items"]
    assert len(sources) >= 5
    assert all(s["url"].startswith("https://") for s in sources if s["url"])


def test_unknown_site_is_a_404_with_a_reason(client: Client, demo: object) -> None:
    response = client.get("/api/sites/nowhere")
    assert response.status_code == 404
    assert "nowhere" in response.json()["detail"]


def test_api_docs_load_their_assets_from_this_server(client: Client, db: None) -> None:
    html = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr" not in html and "https://" not in html.split("<body")[0]
