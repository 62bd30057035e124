"""The atlas page as browser tests drive it (`from atlas_page import atlas_ready, url_query`)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit


def atlas_ready(page: object) -> None:
    """Wait until the atlas page has drawn its first view (its script marks #atlas data-state="ready")."""
    page.wait_for_selector("#atlas[data-state='ready']")  # type: ignore[attr-defined]


def url_query(url: str) -> dict[str, str]:
    """The address's query as {name: first value}."""
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
