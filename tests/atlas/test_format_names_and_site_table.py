"""Formats and sites as people read them: downloads named GeoJSON, KML, GPX, CSV (not "GEOJSON"), and `lwf sites`
printing slugs and points whole on a terminal of any width, names wrapped between words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from rich.console import Console

from lestweforget import cli
from lestweforget.atlas import public
from lestweforget.cli import main

SITE = "izium-mass-burial-site"


@pytest.mark.parametrize("path", ["/", "/uk/", f"/sites/{SITE}/", f"/uk/sites/{SITE}/"])
def test_download_links_carry_the_formats_proper_names(client: Client, demo: object, path: str) -> None:
    html = client.get(path).content.decode()
    links = re.findall(r"<a [^>]*export[^>]*download>([^<]+)</a>", html)
    assert links == ["GeoJSON", "KML", "GPX", "CSV"], path
    assert "GEOJSON" not in html


def test_export_command_names_the_format_properly(
    demo: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "geojson", "-o", str(tmp_path / "atlas.geojson")]) == 0
    assert "as GeoJSON to" in capsys.readouterr().err


@pytest.mark.parametrize("columns", [120, 80, 60, 40])
def test_site_table_never_breaks_a_slug_or_a_point_and_wraps_names_between_words(
    demo: object, columns: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "console", Console(width=columns, soft_wrap=True, color_system=None))
    main(["sites"])
    text = capsys.readouterr().out
    sites = list(public.public_sites())
    for site in sites:
        # Each on one line, whole: a reader copies it with one selection.
        assert re.search(rf"(?<![\w-]){re.escape(site.slug)}(?![\w-])", text), (site.slug, text)
        assert any(public.location_forms(site).decimal.value in line for line in text.splitlines()), text
    words = {word for site in sites for word in site.name("en").split()}
    printed = set(re.findall(r"[^\s│:]+", text))
    assert words <= printed, "every word of a name is printed whole"
    table = [line for line in text.splitlines() if "│" in line]
    assert all(len(line) <= columns for line in table)
    if columns == 120:
        assert table, "wide enough: a table"
    if columns == 40:
        assert not table, "too narrow for a slug and a point side by side: one record per block instead"
