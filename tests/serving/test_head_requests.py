"""HEAD is answered like GET without a body everywhere, the API included (finding 28)."""

from __future__ import annotations

import pytest
from django.test import Client

SITE = "izium-mass-burial-site"


@pytest.mark.parametrize(
    "path",
    [
        "/api/sites",
        f"/api/sites/{SITE}",
        f"/api/sites/{SITE}/events",
        f"/api/sites/{SITE}/claims",
        f"/api/sites/{SITE}/sources",
        f"/sites/{SITE}/",
        f"/sites/{SITE}/export.geojson",
        "/",
    ],
)
def test_head_answers_like_get_without_the_body(client: Client, demo: object, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert got.status_code == 200, path
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"]
    assert head["Content-Length"] == str(len(got.content))


@pytest.mark.parametrize("path", ["/api/sites/no-such-site", "/sites/no-such-site/", f"/sites/{SITE}/export.shp"])
def test_head_of_what_does_not_exist_is_404(client: Client, demo: object, path: str) -> None:
    assert client.head(path).status_code == 404


def test_a_streamed_export_answers_head_without_reading_it(client: Client, demo: object) -> None:
    head = client.head("/export/atlas.geojson")
    assert head.status_code == 200
    assert b"".join(head.streaming_content) == b""  # type: ignore[attr-defined]


def test_head_does_not_turn_other_methods_into_get(client: Client, demo: object) -> None:
    assert client.post("/api/sites").status_code == 405
