"""Publishing imported rows keeps the atlas's publishing rules: a row citing no source stays unpublished, and so
does a site a row made while it looks wrong (here moved to 0°, 0° by an edit before publishing); each refusal names
the row and the problem, in the admin too, and publishes nothing of that row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from accounts import sign_in
from lestweforget.atlas.models import Site
from lestweforget.cli import main
from lestweforget.register.importing import publish_rows
from lestweforget.register.models import ImportedRow

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def rows(tmp_path: Path) -> dict[str, ImportedRow]:
    path = tmp_path / "rows.csv"
    path.write_text(
        "id,title,date,latitude,longitude\n"
        "Z1,Grave whose point was lost,2023-01-01,48.2,35.2\n"
        "N1,Grave with its source removed,2023-01-03,48.3,35.3\n"
        "K1,Grave by the road,2023-01-02,48.1,35.1\n",
        encoding="utf-8",
    )
    assert main(["import", "sites", str(path), "--format", "csv"]) == 0
    made = {row.external_id: row for row in ImportedRow.objects.filter(external_id__in=["Z1", "N1", "K1"])}
    Site.objects.filter(pk=made["Z1"].site_id).update(latitude=0.0, longitude=0.0)
    made["N1"].sources.clear()
    return made


def test_publish_rows_refuses_each_by_name_and_publishes_the_rest(rows: dict[str, ImportedRow]) -> None:
    refused: list[str] = []
    assert publish_rows(ImportedRow.objects.filter(pk__in=[r.pk for r in rows.values()]), refused) == 1
    assert sorted(refused) == [
        "row N1: cites no source, and every fact on a public page needs one",
        f"row Z1: its site {rows['Z1'].site.slug}: The point is at 0°, 0° (in the sea off West Africa): coordinates "
        "that were never filled in are usually the cause. Check the site; to publish it as it is, tick “I have "
        "checked this site: publish it as it is”.",
    ]
    for key in ("Z1", "N1"):
        row = ImportedRow.objects.get(external_id=key)
        assert not row.is_published and not row.site.is_published
    assert ImportedRow.objects.get(external_id="K1").site.is_published


def test_the_admins_bulk_publishing_says_what_it_refused(rows: dict[str, ImportedRow], admin_user: Any) -> None:
    client = sign_in(Client(), admin_user)
    response = client.post(
        "/admin/register/importedrow/",
        {"action": "publish_selected_rows", "_selected_action": [rows["Z1"].pk, rows["K1"].pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "Published 1 row." in text and "Not published: row Z1: its site" in text
    assert not Site.objects.get(pk=rows["Z1"].site_id).is_published
