"""Formats and sites as people read them: downloads named GeoJSON, KML, GPX, CSV (not "GEOJSON"), and `lwf sites`
wrapping names between words on an 80-column terminal, never inside one."""

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


@pytest.mark.parametrize("columns", [80, 60])
def test_site_table_wraps_names_between_words(
    demo: object, columns: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "console", Console(width=columns, soft_wrap=True, color_system=None))
    main(["sites"])
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= columns
    # The name column's cells, line by line: each holds whole words of a name, never a piece of one.
    cells = [line.split("│")[1].strip() for line in lines if line.count("│") == 4]
    words = {word for site in public.public_sites() for word in site.name("en").split()}
    assert {word for cell in cells for word in cell.split()} == words
    if columns == 80:
        text = "\n".join(lines)
        for site in public.public_sites():
            assert re.search(rf"(?<![\w-]){re.escape(site.slug)}(?![\w-])", text), "a slug fits whole at 80 columns"
