"""Every list the API gives comes a page at a time with a hard maximum, and the OpenAPI schema says so (issue 10).

A site's own lists (events, claims, sources) page like `/api/sites`: `{items, next_cursor, limit}`, keyset cursors.
The schema test walks every GET in /api/openapi.json, so a list endpoint added later without paging fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lestweforget.atlas import paging

SLUG = "izium-mass-burial-site"
SITE_LISTS = ("events", "claims", "sources")
# Arrays that are one record's own attributes (a site's names, the keys of the sources an event cites), not lists of
# records: they grow with one record, never with the atlas.
RECORD_ATTRIBUTES = frozenset({"names", "sources"})
# The timeline's histogram has one bar per month that has an event in view: bounded by the calendar span of the
# events, not by how many there are.
BY_THE_CALENDAR = frozenset({"months"})


def _walk(client: Client, path: str, limit: int) -> list[dict[str, Any]]:
    """Every item of a paged list, following next_cursor; asserts each page keeps to ``limit``."""
    items: list[dict[str, Any]] = []
    cursor = ""
    for _ in range(1000):
        response = client.get(path, {"limit": limit, "cursor": cursor} if cursor else {"limit": limit})
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"items", "next_cursor", "limit"} and body["limit"] == limit
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
        assert len(body["items"]) == limit
    raise AssertionError(f"{path}: the cursor never ended")


@pytest.mark.parametrize("what", SITE_LISTS)
def test_a_sites_own_lists_page_through_every_item_once_in_order(client: Client, demo: object, what: str) -> None:
    path = f"/api/sites/{SLUG}/{what}"
    whole = _walk(client, path, paging.MAX_LIMIT)
    assert len(whole) > 3, "the demo site has more than one small page of each"
    assert _walk(client, path, 2) == whole
    if what == "events":
        assert [e["date"] for e in whole] == sorted(e["date"] for e in whole)
    if what == "claims":
        subjects = [c["subject"] for c in whole]
        assert subjects == sorted(subjects)
    if what == "sources":
        assert len({s["key"] for s in whole}) == len(whole)


@pytest.mark.parametrize("what", SITE_LISTS)
def test_a_sites_own_lists_refuse_a_page_over_the_maximum_and_a_foreign_cursor(
    client: Client, demo: object, what: str
) -> None:
    path = f"/api/sites/{SLUG}/{what}"
    first = client.get(path)
    assert first.status_code == 200 and first.json()["limit"] == paging.DEFAULT_LIMIT
    too_many = client.get(path, {"limit": paging.MAX_LIMIT + 1})
    assert too_many.status_code == 422 and "limit" in too_many.json()["detail"]
    forged = client.get(path, {"cursor": "bm9wZQ"})
    assert forged.status_code == 400 and "cursor" in forged.json()["detail"]
    assert client.get(f"/api/sites/nowhere/{what}").status_code == 404


def test_the_site_page_lists_the_same_sources_as_the_api(client: Client, demo: object) -> None:
    from lestweforget.atlas import public

    listed = {s["key"] for s in _walk(client, f"/api/sites/{SLUG}/sources", 100)}
    assert listed == {s.key for s in public.cited_sources(public.public_site(SLUG))}


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _arrays(schema: dict[str, Any], node: dict[str, Any], where: str, seen: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    """(where, array schema) of every array a response can hold, nested ones too."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return
        seen = seen | {name}
    node = _resolve(schema, node)
    if node.get("type") == "array":
        yield where, node
        yield from _arrays(schema, node.get("items", {}), f"{where}[]", seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for part in node.get(key, []):
            # A field that may be null states its most items beside the choice ({anyOf: [array, null], maxItems}).
            if "maxItems" in node and "$ref" not in part:
                part = {"maxItems": node["maxItems"], **part}
            yield from _arrays(schema, part, where, seen)
    for name, prop in node.get("properties", {}).items():
        yield from _arrays(schema, prop, f"{where}.{name}", seen)


def test_every_list_in_the_openapi_schema_is_paged_or_bounded(client: Client, db: None) -> None:
    """A GET whose answer is a list is a page ({items, next_cursor, limit} with `limit` ≤ MAX_LIMIT and `cursor`);
    any other array in an answer declares its most items (maxItems). A GET with no declared answer fails too."""
    schema = client.get("/api/openapi.json").json()
    faults = []
    gets = {path: ops["get"] for path, ops in schema["paths"].items() if "get" in ops}
    assert len(gets) >= 10
    for path, operation in gets.items():
        content = operation["responses"].get("200", {}).get("content", {})
        if "application/json" not in content:
            faults.append(f"{path}: no response schema")
            continue
        answer = content["application/json"]["schema"]
        params = {p["name"]: p for p in operation.get("parameters", [])}
        for where, array in _arrays(schema, answer, path):
            if where == f"{path}.items":
                limit = params.get("limit", {}).get("schema", {})
                props = _resolve(schema, answer).get("properties", {})
                if not (limit.get("maximum", 10**9) <= paging.MAX_LIMIT and "cursor" in params):
                    faults.append(f"{where}: a page without limit ≤ {paging.MAX_LIMIT} and cursor")
                if "next_cursor" not in props:
                    faults.append(f"{where}: a page without next_cursor")
            elif where == path:
                faults.append(f"{path}: a plain array, not a page")
            elif "maxItems" not in array and where.rsplit(".", 1)[-1] not in RECORD_ATTRIBUTES | BY_THE_CALENDAR:
                faults.append(f"{where}: an array with no maxItems")
        if "limit" in params and not any(where == f"{path}.items" for where, _ in _arrays(schema, answer, path)):
            faults.append(f"{path}: takes limit but gives no page")
    assert not faults, "\n".join(faults)


@pytest.mark.parametrize("event_limit", [1, 200])
def test_the_declared_viewport_answers_drop_nothing_the_viewport_gives(
    client: Client, demo: object, monkeypatch: pytest.MonkeyPatch, event_limit: int
) -> None:
    """The response schemas must name every field: django-ninja leaves out what a schema does not (the histogram's
    month names in the reader's language went missing that way)."""
    import json

    from django.utils import translation

    from lestweforget.atlas import filters
    from lestweforget.register import viewport

    monkeypatch.setattr(viewport, "EVENT_LIMIT", event_limit)
    params = {"bbox": "30,40,40,50", "zoom": "6", "lang": "uk"}
    chosen = filters.parse(params)
    with translation.override("uk"):
        expected = {
            "/api/viewport": viewport.viewport(chosen, 6),
            "/api/viewport/list": viewport.site_list(chosen, paging.DEFAULT_LIMIT),
            "/api/viewport/timeline": viewport.timeline(chosen),
        }
    for path, given in expected.items():
        assert client.get(path, params).json() == json.loads(json.dumps(given)), path
