"""`lwf import article`: the bytes kept as evidence before anything reads them, a Source pointing at the archived
copy, an unpublished draft beside the records already there, nothing changed by a second run."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lestweforget.atlas import evidence_records
from lestweforget.atlas.models import Claim, Event, Source
from lestweforget.cli import main
from lestweforget.intake.models import ArticleImport, ProposedClaim, ProposedEvent, ProposedLocation, ProposedSite

QUALITY_SET = Path(__file__).resolve().parents[2] / "benchmarks" / "articles"
SITE = "izium-mass-burial-site"

pytestmark = pytest.mark.usefixtures("demo")


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["import", "article", *args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def ledger(action: str | None = None) -> list[dict[str, Any]]:
    return [e.fields() for e in evidence_records.open_ledger().entries() if action is None or e.action == action]


def public_state(client: Client) -> tuple[Any, ...]:
    return tuple(
        client.get(url).json()
        for url in (f"/api/sites/{SITE}/claims", f"/api/sites/{SITE}/events", "/api/sources", "/api/sites")
    )


def test_an_article_becomes_evidence_a_source_and_an_unpublished_draft(
    capsys: pytest.CaptureFixture[str], client: Client
) -> None:
    path = QUALITY_SET / "uk-01-ekshumatsiia-zavershena.html"
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    before = public_state(client)
    code, draft = run_json(capsys, str(path), "--url", "https://slobozhanski.example/izium", "--site", SITE)
    assert code == 0 and draft["created"] is True and draft["status"] == "draft"

    # The archived copy: the same bytes, under their hash, recorded in the ledger before the draft.
    store = evidence_records.open_store()
    assert store.path_for(sha256).read_bytes() == path.read_bytes()
    actions = [e["action"] for e in ledger() if e["object"] == f"sha256:{sha256}"]
    assert actions == ["original.stored", "article.drafted"]

    source = Source.objects.get(archived_sha256=sha256)
    assert (source.title, source.author, source.language) == (
        "В Ізюмі завершили ексгумацію: 447 тіл",
        "Марта Ліс",
        "uk",
    )
    assert (str(source.published), source.published_precision, source.kind) == ("2022-09-23", "day", "article")
    assert source.url == "https://slobozhanski.example/izium"
    assert draft["source"]["archived_sha256"] == sha256

    findings = draft["findings"]
    assert findings["byline"] == "Марта Ліс"
    izium = next(p for p in findings["places"] if p["text"] == "Ізюмі")["place"]
    assert (izium["key"], izium["latitude"], izium["longitude"]) == ("atlas:settlement:izium", 49.21278, 37.25694)
    site_mention = next(p for p in findings["places"] if p["text"] == "Піщанському кладовищі")
    assert site_mention["place"]["key"] == f"atlas:site:{SITE}"
    assert {(d["date"], d["precision"]) for d in findings["dates"]} == {
        ("2022-09-23", "day"),
        ("2022-09-16", "day"),
        ("2022-04-01/2022-09-10", "range"),
    }
    assert {(f["value"], f["unit"]) for f in findings["figures"]} >= {("447", "bodies"), ("5", "children")}

    proposed = draft["proposed"]
    assert [(s["proposal"], s["site"]) for s in proposed["sites"]] == [("match", SITE)]
    assert {e["date"] for e in proposed["events"]} == {"2022-09-23", "2022-09-16", "2022-04-01"}
    assert all(e["site"] == SITE and e["decision"] == "pending" for e in proposed["events"])
    bodies = next(c for c in proposed["claims"] if c["unit"] == "bodies")
    assert (bodies["subject"], bodies["value"]) == ("bodies_exhumed", "447")
    assert {r["number"]: r["agrees"] for r in bodies["recorded_beside"]}[436] is False
    assert bodies["disagrees"] is True
    assert [(round(p["latitude"], 4), round(p["longitude"], 4)) for p in proposed["locations"]] == [(49.2209, 37.2446)]

    # Nothing public changed: no claim, event or source of the draft is on a page or in the API.
    assert public_state(client) == before
    assert not Claim.objects.filter(source=source).exists() and not Event.objects.filter(sources=source).exists()


def test_importing_the_same_article_again_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(QUALITY_SET / "en-02-final-count.md")
    assert main(["import", "article", path, "--site", SITE]) == 0
    capsys.readouterr()
    counts = [m.objects.count() for m in (ArticleImport, Source, ProposedSite, ProposedEvent, ProposedClaim)]
    entries = len(ledger())
    assert main(["import", "article", path, "--url", "https://elsewhere.example/a"]) == 0
    out, err = capsys.readouterr()
    assert "imported before" in out
    assert "--url https://elsewhere.example/a was not applied: these bytes were imported before without --url" in err
    assert [m.objects.count() for m in (ArticleImport, Source, ProposedSite, ProposedEvent, ProposedClaim)] == counts
    assert len(ledger()) == entries
    code, draft = run_json(capsys, path)
    assert code == 0 and draft["created"] is False and draft["source"]["url"] == ""


def test_a_new_site_given_with_bytes_imported_before_is_said_not_applied(capsys: pytest.CaptureFixture[str]) -> None:
    # Issue 11 (finding 10): "imported before ... nothing changed" with no word that --site was ignored.
    path = str(QUALITY_SET / "en-02-final-count.md")
    assert main(["import", "article", path]) == 0
    capsys.readouterr()
    assert main(["import", "article", path, "--site", SITE]) == 0
    err = capsys.readouterr().err
    assert f"--site {SITE} was not applied: these bytes were imported before without --site" in err
    code, draft = run_json(capsys, path, "--site", SITE)
    assert code == 0 and draft["ignored"] and SITE in draft["ignored"][0]
    # The same --site as the first time is not a change: nothing to say.
    assert main(["import", "article", path]) == 0
    assert "not applied" not in capsys.readouterr().err


@pytest.mark.parametrize("given", [["--site", SITE], []])
def test_figures_are_compared_with_the_matched_site_with_or_without_site(
    capsys: pytest.CaptureFixture[str], given: list[str], tmp_path: Path
) -> None:
    # Issue 11 (finding 9): without --site the figures were compared with nothing, though the draft matched Izium.
    text = (QUALITY_SET / "en-02-final-count.md").read_text(encoding="utf-8")
    path = tmp_path / "en-02-izium-mass-graves.md"
    # The article names the site as the atlas does ("Izium mass graves"), and names a new place beside it.
    path.write_text(text + "\n\nThe Izium mass graves lie beside Pishchanske cemetery.\n", encoding="utf-8")
    code, draft = run_json(capsys, str(path), *given)
    assert code == 0
    assert any(s["site"] == SITE for s in draft["proposed"]["sites"]), draft["proposed"]["sites"]
    by_value = {c["value"]: c for c in draft["proposed"]["claims"] if c["unit"] == "bodies"}
    assert by_value["436"]["recorded_beside"] and by_value["436"]["disagrees"]


def test_a_figure_that_disagrees_with_a_recorded_claim_is_marked(capsys: pytest.CaptureFixture[str]) -> None:
    code, draft = run_json(capsys, str(QUALITY_SET / "en-02-final-count.md"), "--site", SITE)
    assert code == 0
    by_value = {c["value"]: c for c in draft["proposed"]["claims"] if c["unit"] == "bodies"}
    recorded = {(r["number"], r["source"]): r["agrees"] for r in by_value["436"]["recorded_beside"]}
    assert recorded[(436, "instantnews-syniehubov-436")] is True
    assert recorded[(447, "war-evidence-2022-09-23")] is False
    assert by_value["436"]["disagrees"] is True
    assert {r["source"] for r in by_value["447"]["recorded_beside"] if r["agrees"]} >= {"war-evidence-2022-09-23"}


def test_without_a_site_the_sites_in_the_named_settlement_and_a_new_site_are_proposed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, draft = run_json(capsys, str(QUALITY_SET / "ru-02-okkupatsiia.md"))
    assert code == 0
    sites = draft["proposed"]["sites"]
    assert {s["site"] for s in sites if s["proposal"] == "match"} == {SITE, "izium-police-station-basement"}
    (new,) = [s for s in sites if s["proposal"] == "new"]
    assert (new["place"], new["latitude"], new["longitude"]) == ("Izium (Kharkiv oblast)", 49.21278, 37.25694)
    assert new["uncertainty_m"] > 0
    assert all(e["site"] is None for e in draft["proposed"]["events"])


def test_the_archived_articles_verify(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "article", str(QUALITY_SET / "en-06-memorial.txt")]) == 0
    assert main(["import", "article", str(QUALITY_SET / "en-06-memorial.txt")]) == 0
    capsys.readouterr()
    assert main(["verify"]) == 0
    assert "ok: the store, the ledger and the database agree" in capsys.readouterr().out.lower()
    row = ArticleImport.objects.get()
    stored = evidence_records.open_store().path_for(row.sha256)
    stored.chmod(0o644)
    stored.write_bytes(b"changed")
    assert main(["verify"]) == 1
    assert f"changed sha256:{row.sha256}" in capsys.readouterr().out


def test_proposed_locations_have_a_site_to_go_to(capsys: pytest.CaptureFixture[str]) -> None:
    code, draft = run_json(capsys, str(QUALITY_SET / "en-01-exhumation-begins.html"))
    assert code == 0
    sites = draft["proposed"]["sites"]
    # Named and pinned: the burial site is matched, the police basement placed at the city's centre is not.
    assert [s["site"] for s in sites] == [SITE]
    (location,) = ProposedLocation.objects.all()
    assert location.site is not None and location.site.slug == SITE


def test_a_source_the_atlas_already_cites_at_that_address_gets_the_archived_copy(
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = Path(__file__).parent / "real_pages" / "en-interfax-2022-09-24.html"
    sources = Source.objects.count()
    code, draft = run_json(capsys, str(page), "--site", SITE)
    assert code == 0
    cited = Source.objects.get(key="interfax-2022-09-24")
    assert cited.archived_sha256 == hashlib.sha256(page.read_bytes()).hexdigest()
    assert draft["source"]["key"] == "interfax-2022-09-24" and Source.objects.count() == sources
    bodies = next(c for c in draft["proposed"]["claims"] if c["value"] == "447")
    assert {r["source"] for r in bodies["recorded_beside"] if r["agrees"]} >= {"interfax-2022-09-24"}
