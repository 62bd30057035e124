"""`lwf import sites`: real-shaped samples of every format into the atlas, the merge rule, idempotency, resuming,
publication by an editor, and the ledger."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from accounts import account, sign_in
from lestweforget.atlas import evidence_records
from lestweforget.atlas.models import Event, Site, Source
from lestweforget.cli import main
from lestweforget.register import importing
from lestweforget.register.importing import ImportOptions, import_sites, publish_rows
from lestweforget.register.models import DatasetImport, ImportedRow

DATA = Path(__file__).parent / "data"
IZIUM = "izium-mass-burial-site"
IZIUM_ROWS = {
    "UW13289", "UW13290", "UW13291", "UW13292", "UW13293", "UW13294",
    "UW13295", "UW13296", "UW13297", "UW13298", "UW13306",
}  # fmt: skip

pytestmark = pytest.mark.usefixtures("demo")


def _import(name: str, format: str, *args: str) -> int:
    return main(["import", "sites", str(DATA / name), "--format", format, *args])


def test_eleven_izium_rows_join_the_one_demo_site_not_eleven_new_ones(capsys: pytest.CaptureFixture[str]) -> None:
    sites_before = Site.objects.count()
    assert _import("cir_izium.csv", "cir") == 0
    rows = ImportedRow.objects.filter(external_id__in=IZIUM_ROWS)
    assert rows.count() == 11
    assert set(rows.values_list("site__slug", flat=True)) == {IZIUM}
    assert set(rows.values_list("match_reason", flat=True)) == {"place and date"}
    # One new site: the grave elsewhere; the military movement is not a site.
    assert Site.objects.count() == sites_before + 1
    assert not ImportedRow.objects.filter(external_id="TEST0001").exists()
    out = capsys.readouterr().out
    assert "within 250 m and 7 days" in out and "11 row(s) joined izium-mass-burial-site" in out


def test_rows_joining_a_published_site_wait_for_an_editor_then_become_sourced_events() -> None:
    events_before = Event.objects.filter(site__slug=IZIUM).count()
    assert _import("cir_izium.csv", "cir") == 0
    assert Event.objects.filter(site__slug=IZIUM).count() == events_before
    rows = ImportedRow.objects.filter(external_id__in=IZIUM_ROWS)
    assert not rows.filter(event__isnull=False).exists() and not rows.filter(is_published=True).exists()
    assert publish_rows(rows) == 11
    # Same site, day and title: one event with several sources (15 Sep corpses; 16 Sep corpses; 16 Sep grave).
    new_events = Event.objects.filter(site__slug=IZIUM).exclude(pk__in=[]).count() - events_before
    assert new_events == 3
    corpses = Event.objects.get(site__slug=IZIUM, date="2022-09-16", title_en="Corpses of Izyum mass grave")
    assert corpses.sources.count() == 7
    for row in rows:
        row.refresh_from_db()
        assert row.is_published and row.event is not None and row.event.sources.exists()


def test_graphic_rows_give_their_sources_the_content_note_and_posts_are_sources_not_media() -> None:
    assert _import("cir_izium.csv", "cir") == 0
    graphic = ImportedRow.objects.filter(content_note="graphic")
    # Violence level 4 or 5 (bodies shown) and "GRAPHIC" are graphic; 2 and 3 are not.
    assert set(graphic.values_list("external_id", flat=True)) == {
        "UW13290", "UW13289", "UW13291", "UW13294", "UW13295", "UW13296", "UW13298", "UW13306", "TEST0002",
    }  # fmt: skip
    source = Source.objects.get(url="https://twitter.com/liz_cookman/status/1570785678858006531")
    assert source.kind == Source.Kind.SOCIAL_POST and source.content_note == Source.ContentNote.GRAPHIC
    calm = Source.objects.get(url="https://twitter.com/spook_info/status/1570513933177597952")
    assert calm.content_note == ""
    # The geolocation link is a source under the row's own title: no English label is added to it.
    geolocation = Source.objects.get(url="https://twitter.com/example_geo/status/1")
    assert geolocation.title == "Graves in a tree line"


def test_the_content_note_stands_beside_the_link_on_the_site_page(client: object) -> None:
    assert _import("cir_izium.csv", "cir") == 0
    publish_rows(ImportedRow.objects.filter(external_id__in=IZIUM_ROWS))
    page = client.get(f"/sites/{IZIUM}/").content.decode()  # type: ignore[attr-defined]
    assert "Content note: may show the dead or injured." in page
    assert "https://twitter.com/liz_cookman/status/1570785678858006531" in page
    assert "<iframe" not in page and "<video" not in page


def test_importing_the_file_again_changes_nothing() -> None:
    assert _import("cir_izium.csv", "cir") == 0
    counts = [m.objects.count() for m in (Site, Event, Source, ImportedRow, DatasetImport)]
    report = import_sites(ImportOptions(path=DATA / "cir_izium.csv", format="cir"))
    assert report.unchanged == 12 and report.imported == 0 and not report.changed
    assert [m.objects.count() for m in (Site, Event, Source, ImportedRow, DatasetImport)] == counts


def test_a_row_changed_in_the_file_is_reported_and_left_as_imported(tmp_path: Path) -> None:
    assert _import("cir_izium.csv", "cir") == 0
    changed = tmp_path / "cir.csv"
    changed.write_text((DATA / "cir_izium.csv").read_text().replace("Graves in a tree line outside", "Graves near"))
    report = import_sites(ImportOptions(path=changed, format="cir"))
    assert report.changed == ["row 13 (TEST0002)"] and report.imported == 0


def test_only_keeps_the_chosen_categories() -> None:
    assert _import("cir_izium.csv", "cir", "--only", "Mass grave or Burial") == 0
    assert list(ImportedRow.objects.values_list("external_id", flat=True)) == ["TEST0002"]
    site = ImportedRow.objects.get().site
    assert site.kind == "mass_grave" and not site.is_published
    assert site.events.get().kind == "discovery"


def test_only_with_a_category_the_file_lacks_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert _import("cir_izium.csv", "cir", "--only", "Mass graves") == 2
    assert "'Mass graves': no row of cir_izium.csv has that category" in capsys.readouterr().err
    assert not ImportedRow.objects.exists()


def test_publish_publishes_the_sites_it_makes_and_the_waiting_events() -> None:
    assert _import("cir_izium.csv", "cir", "--publish") == 0
    assert ImportedRow.objects.filter(is_published=False).count() == 0
    assert Site.objects.get(imported_rows__external_id="TEST0002").is_published
    assert Event.objects.filter(site__slug=IZIUM, date="2022-09-15", title_en="Corpses of Izyum mass grave").exists()


def test_dry_run_stores_nothing_and_says_what_it_would_do(capsys: pytest.CaptureFixture[str]) -> None:
    counts = [m.objects.count() for m in (Site, Event, Source, ImportedRow, DatasetImport)]
    assert _import("cir_izium.csv", "cir", "--dry-run", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dry_run"] and report["imported"] == 12 and report["rows_joining_sites"] == {IZIUM: 11}
    assert [m.objects.count() for m in (Site, Event, Source, ImportedRow, DatasetImport)] == counts


def test_timemap_events_with_their_sources_and_filters() -> None:
    assert _import("timemap.json", "timemap") == 0
    rows = {row.external_id: row for row in ImportedRow.objects.all()}
    assert set(rows) == {"TM0001", "TM0002", "TM0003"}
    # TM0002 is a few metres from TM0001 on the same day: the same place and happening.
    assert rows["TM0002"].site == rows["TM0001"].site and rows["TM0003"].site != rows["TM0001"].site
    assert str(rows["TM0001"].date) == "2022-03-02"  # timemap's M/D/YYYY
    assert rows["TM0001"].category == "Residential"
    assert rows["TM0002"].content_note == "graphic" and rows["TM0001"].content_note == ""
    urls = set(rows["TM0002"].sources.values_list("url", flat=True))
    assert urls == {"https://t.me/example_channel/200", "https://www.example.org/news/kharkiv-courtyard"}
    assert rows["TM0001"].site.kind == "other" and Event.objects.get(site=rows["TM0003"].site).kind == "attack"


def test_bellingcat_download_json() -> None:
    assert _import("bellingcat_download.json", "timemap") == 0
    rows = list(ImportedRow.objects.order_by("external_id"))
    assert [r.external_id for r in rows] == ["CIV9001", "CIV9002"]
    assert rows[0].site == rows[1].site
    assert rows[1].sources.get().kind == Source.Kind.SOCIAL_POST


def test_csv_with_a_mapping_file() -> None:
    assert _import("graves.csv", "csv", "--mapping", str(DATA / "graves.yaml")) == 0
    rows = {row.external_id: row for row in ImportedRow.objects.filter(dataset="test-graves")}
    assert set(rows) == {"K-1", "K-2"}  # the checkpoint is skipped by the mapping
    assert rows["K-1"].site.kind == "burial_site" and rows["K-1"].site.uncertainty_m == 50
    assert rows["K-2"].site.kind == "mass_grave" and rows["K-2"].content_note == "graphic"
    assert str(rows["K-1"].date) == "2023-03-12"
    assert rows["K-1"].sources.get().publisher == "example.org"


def test_geojson_with_a_mapping_file() -> None:
    assert _import("graves.geojson", "geojson", "--mapping", str(DATA / "graves_geojson.yaml")) == 0
    rows = {row.external_id: row for row in ImportedRow.objects.all()}
    assert set(rows) == {"G1", "G2"}
    assert rows["G1"].site.kind == "execution_site" and rows["G1"].site.latitude == pytest.approx(48.8001)
    # No link in the row: the dataset row itself is the event's source.
    assert rows["G2"].sources.get().kind == Source.Kind.DATASET


def test_markup_in_a_row_stays_text_on_the_page(tmp_path: Path, client: object) -> None:
    path = tmp_path / "hostile.csv"
    path.write_text("id,title,date,latitude,longitude\nH1,<script>alert(1)</script><b>Grave</b>,2023-01-01,48.1,35.1\n")
    assert main(["import", "sites", str(path), "--format", "csv", "--publish"]) == 0
    site = Site.objects.get(imported_rows__external_id="H1")
    page = client.get(f"/sites/{site.slug}/").content.decode()  # type: ignore[attr-defined]
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_stopped_import_resumes_where_it_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "BATCH_ROWS", 2)
    real_write = importing._Writer._write_row
    written: list[str] = []

    def write_then_stop(self: importing._Writer, row: object) -> None:
        if len(written) == 5:
            raise KeyboardInterrupt
        written.append(row.external_id)  # type: ignore[attr-defined]
        real_write(self, row)  # type: ignore[arg-type]

    monkeypatch.setattr(importing._Writer, "_write_row", write_then_stop)
    with pytest.raises(KeyboardInterrupt):
        import_sites(ImportOptions(path=DATA / "cir_izium.csv", format="cir"))
    # Two whole batches are kept; the third, cut short, left nothing.
    assert ImportedRow.objects.count() == 4
    monkeypatch.setattr(importing._Writer, "_write_row", real_write)
    report = import_sites(ImportOptions(path=DATA / "cir_izium.csv", format="cir"))
    assert report.unchanged == 4 and report.imported == 8
    assert ImportedRow.objects.count() == 12
    assert set(ImportedRow.objects.filter(external_id__in=IZIUM_ROWS).values_list("site__slug", flat=True)) == {IZIUM}


def test_the_import_is_in_the_ledger(django_capture_on_commit_callbacks: object) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        import_sites(ImportOptions(path=DATA / "cir_izium.csv", format="cir", actor="operator:test"))
    entries = evidence_records.open_ledger().entries()
    batch = [e for e in entries if e.action == "dataset.rows_imported"]
    assert len(batch) == 1 and "UW13290" in batch[0].details["rows"]
    run = [e for e in entries if e.action == "dataset.imported"]
    assert run[0].actor == "operator:test" and run[0].details["imported"] == 12


def test_an_editor_publishes_rows_in_bulk_in_the_admin(client: object, admin_user: object) -> None:
    assert _import("cir_izium.csv", "cir") == 0
    sign_in(client, admin_user)  # type: ignore[arg-type]
    ids = list(ImportedRow.objects.values_list("pk", flat=True))
    response = client.post(  # type: ignore[attr-defined]
        "/admin/register/importedrow/",
        {"action": "publish_selected_rows", "_selected_action": [str(pk) for pk in ids]},
        follow=True,
    )
    assert response.status_code == 200 and "Published 12 rows." in response.content.decode()
    assert not ImportedRow.objects.filter(is_published=False).exists()
    assert Site.objects.get(imported_rows__external_id="TEST0002").is_published


def test_the_file_is_kept_as_evidence_and_verifies(django_capture_on_commit_callbacks: object) -> None:
    data = (DATA / "cir_izium.csv").read_bytes()
    for _ in range(2):  # each run commits before the next, as from the command line
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            assert _import("cir_izium.csv", "cir") == 0
    sha256 = hashlib.sha256(data).hexdigest()
    assert evidence_records.open_store().path_for(sha256).read_bytes() == data
    stored = [e for e in evidence_records.open_ledger().entries() if e.action == "original.stored"]
    assert [e.object for e in stored] == [f"sha256:{sha256}"]  # once, however often it is imported
    assert main(["verify"]) == 0


def test_timemap_export_with_capitalised_keys_and_a_hidden_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert _import("timemap_capitalised.json", "timemap", "--only", "School or childcare", "Residential") == 0
    rows = {row.external_id: row for row in ImportedRow.objects.all()}
    assert str(rows["TC0001"].date) == "2022-11-10" and rows["TC0002"].category == "School or childcare"
    # A hidden source is no link: the row cites the dataset row itself, and the summary says what was left out.
    assert rows["TC0001"].sources.get().kind == Source.Kind.DATASET
    assert rows["TC0002"].sources.get().url == "https://t.me/example_channel/300"
    assert "'HIDDEN' is not a link; left out" in capsys.readouterr().err


def test_only_may_choose_a_category_the_mapping_skips() -> None:
    assert _import("cir_izium.csv", "cir", "--only", "Russian Military Presence") == 0
    row = ImportedRow.objects.get()
    assert row.external_id == "TEST0001" and row.site.kind == "other" and row.event_kind == "other"


def test_the_admin_shows_an_import_and_a_row(client: object, admin_user: object) -> None:
    assert _import("cir_izium.csv", "cir") == 0
    sign_in(client, admin_user)  # type: ignore[arg-type]
    row = ImportedRow.objects.get(external_id="UW13290")
    page = client.get(f"/admin/register/importedrow/{row.pk}/change/").content.decode()  # type: ignore[attr-defined]
    assert "place and date" in page and "Izium mass burial site" in page
    batch = DatasetImport.objects.get()
    page = client.get(f"/admin/register/datasetimport/{batch.pk}/change/").content.decode()  # type: ignore[attr-defined]
    assert "cir-russia-ukraine-monitor" in page and batch.file_sha256 in page


def test_an_investigator_sees_the_rows_but_cannot_publish_them(client: object) -> None:
    assert _import("cir_izium.csv", "cir") == 0
    sign_in(client, account("investigator"))  # type: ignore[arg-type]
    page = client.get("/admin/register/importedrow/")  # type: ignore[attr-defined]
    assert page.status_code == 200 and "UW13290" in page.content.decode()
    assert "publish_selected_rows" not in page.content.decode()
    ids = [str(pk) for pk in ImportedRow.objects.values_list("pk", flat=True)]
    client.post(  # type: ignore[attr-defined]
        "/admin/register/importedrow/", {"action": "publish_selected_rows", "_selected_action": ids}
    )
    assert not ImportedRow.objects.filter(is_published=True).exists()
