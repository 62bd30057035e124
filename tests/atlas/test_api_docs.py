"""The API's reference page is a page of the atlas like the others: a phone's viewport, its language said, the same
Content-Security-Policy, Swagger UI from the package's own files, no inline script."""

from __future__ import annotations

import re

from django.test import Client


def test_the_api_docs_page_has_a_phone_viewport_a_language_and_the_same_policy(client: Client, db: None) -> None:
    docs = client.get("/api/docs")
    page = client.get("/about/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<html lang="en">' in html
    assert docs["Content-Security-Policy"] == page["Content-Security-Policy"]
    assert "'unsafe-inline'" not in docs["Content-Security-Policy"]
    # Every script is a file of the atlas's own; the only <script> with content is JSON, which is never run.
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert 'type="application/json"' in attributes or (not body.strip() and 'src="/static/' in attributes)
    assert "/static/atlas/api_docs.css" in html
