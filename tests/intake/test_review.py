"""An editor accepts, edits or rejects each proposed item; only an accepted item becomes an atlas record, citing the
article's Source, and only then can it be public."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts import account, sign_in
from lestweforget.atlas.models import Claim, Event, Site, Source
from lestweforget.intake.importing import import_article
from lestweforget.intake.models import ArticleImport, ProposedClaim, ProposedLocation, ProposedSite
from lestweforget.intake.review import ReviewError, accept, reject

QUALITY_SET = Path(__file__).resolve().parents[2] / "benchmarks" / "articles"
SITE = "izium-mass-burial-site"
EDITOR = "user:1"

pytestmark = pytest.mark.usefixtures("demo")


def imported(name: str, site: str | None = SITE) -> ArticleImport:
    return import_article((QUALITY_SET / name).read_bytes(), name, "operator:test", site_slug=site).article


def test_an_accepted_event_joins_the_sites_timeline_citing_the_article(client: Client) -> None:
    row = imported("uk-01-ekshumatsiia-zavershena.html")
    item = row.proposed_events.get(date="2022-09-23")
    titles = [e["title"]["en"] for e in client.get(f"/api/sites/{SITE}/events", {"limit": 100}).json()["items"]]
    item.kind, item.title = Event.Kind.EXHUMATION, "Exhumation ends (article)"
    item.save()
    accept(item, EDITOR)
    item.refresh_from_db()
    assert (item.decision, item.decided_by) == ("accepted", EDITOR) and item.decided_at is not None
    event = item.event
    assert event is not None and list(event.sources.all()) == [row.source]
    assert (event.date.isoformat(), event.precision, event.site.slug) == ("2022-09-23", "day", SITE)
    assert "«У п'ятницю, 23 вересня 2022 року" in event.description_en
    after = [e["title"]["en"] for e in client.get(f"/api/sites/{SITE}/events", {"limit": 100}).json()["items"]]
    assert "Exhumation ends (article)" in after and "Exhumation ends (article)" not in titles
    with pytest.raises(ReviewError, match="already accepted"):
        accept(item, EDITOR)


def test_a_rejected_claim_stays_out_and_an_accepted_one_stands_beside_the_others(client: Client) -> None:
    row = imported("en-02-final-count.md")
    claims = {c.value: c for c in row.proposed_claims.filter(unit="bodies")}
    reject(claims["436"], EDITOR, note="same count as the governor's, already recorded")
    accept(claims["447"], EDITOR)
    made = Claim.objects.get(source=row.source)
    assert (made.subject.key, made.value, made.number, made.unit) == ("bodies_exhumed", "447", 447, "bodies")
    assert made.asserted is not None and str(made.asserted) == "2022-09-24"
    values = [
        (c["value"], c["source"]) for c in client.get(f"/api/sites/{SITE}/claims", {"limit": 100}).json()["items"]
    ]
    assert ("447", row.source.key) in values
    assert not Claim.objects.filter(source=row.source, value="436").exists()
    assert ProposedClaim.objects.get(pk=claims["436"].pk).note.startswith("same count")


def test_an_accepted_location_moves_the_site_and_names_the_article_as_its_source() -> None:
    row = imported("uk-01-ekshumatsiia-zavershena.html")
    location = row.proposed_locations.get()
    location.uncertainty_m = 50
    location.save()
    accept(location, EDITOR)
    site = Site.objects.get(slug=SITE)
    assert (site.latitude, site.longitude, site.uncertainty_m) == (49.2209, 37.2446, 50)
    assert site.location_source == row.source
    assert "map link" in site.location_method_en


def test_a_new_site_is_made_unpublished_and_the_waiting_items_go_to_it() -> None:
    row = imported("en-05-hostomel.html", site=None)
    (new,) = row.proposed_sites.filter(proposal=ProposedSite.Proposal.NEW)
    assert new.latitude is not None and new.uncertainty_m is not None
    event = row.proposed_events.first()
    assert event is not None and event.site is None
    with pytest.raises(ReviewError, match="choose the site it belongs to first"):
        accept(event, EDITOR)
    new.name, new.kind = "Hostomel airfield", Site.Kind.OTHER
    new.save()
    accept(new, EDITOR)
    new.refresh_from_db()
    site = new.site
    assert site is not None and site.slug == "hostomel-airfield" and site.is_published is False
    assert site.location_source == row.source
    event.refresh_from_db()
    assert event.site == site
    accept(event, EDITOR)
    assert Event.objects.filter(site=site).count() == 1


def test_an_article_without_a_place_proposes_a_site_without_a_point_that_cannot_be_accepted_as_is() -> None:
    text = b"Residents said the exhumation ended yesterday with 447 bodies recovered from the forest."
    row = import_article(text, "pasted text", "operator:test").article
    (new,) = row.proposed_sites.all()
    assert new.latitude is None and new.reason_text() == "the article names no place"
    with pytest.raises(ReviewError, match="give the new site a latitude"):
        accept(new, EDITOR)


def test_a_refused_articles_items_cannot_exist_and_a_future_date_is_refused_on_acceptance() -> None:
    row = imported("uk-05-pamiat.html")
    event = row.proposed_events.get(date="2025-11-24")
    event.date = event.date.replace(year=2099)
    event.save()
    with pytest.raises(ReviewError, match="2099"):
        accept(event, EDITOR)
    event.refresh_from_db()
    assert event.decision == "pending"


def test_the_admin_review_page_lists_every_item_and_its_decision_applies(client: Client) -> None:
    sign_in(client, User.objects.create_superuser("editor", "editor@example.org", "pw-for-tests-only"))
    row = imported("en-02-final-count.md")
    page = client.get(f"/admin/intake/articleimport/{row.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    for text in (
        "Final count at Izium",
        "436",
        "sources disagree",
        "from 16 to 23 September",
        "Izium (Kharkiv oblast)",
    ):
        assert text in html, text
    claims = list(ProposedClaim.objects.filter(article=row, unit="soldiers").order_by("pk"))
    response = client.post(
        "/admin/intake/proposedclaim/",
        {"action": "reject_selected", "_selected_action": [str(c.pk) for c in claims]},
    )
    assert response.status_code == 302
    assert {c.decision for c in ProposedClaim.objects.filter(pk__in=[c.pk for c in claims])} == {"rejected"}
    assert all(c.decided_by.startswith("user:") for c in ProposedClaim.objects.filter(pk__in=[c.pk for c in claims]))


def test_the_upload_form_imports_a_file_or_pasted_text_for_staff_only(client: Client) -> None:
    response = client.get("/admin/intake/articleimport/upload/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    sign_in(client, User.objects.create_superuser("editor", "editor@example.org", "pw-for-tests-only"))
    assert client.get("/admin/intake/articleimport/upload/").status_code == 200
    with (QUALITY_SET / "ru-01-eksgumatsiia.html").open("rb") as handle:
        response = client.post("/admin/intake/articleimport/upload/", {"file": handle, "site": SITE})
    row = ArticleImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/intake/articleimport/{row.pk}/change/")
    assert row.source is not None and row.source.language == "ru"
    pasted = "Вчора в Ізюмі завершили ексгумацію: знайшли 447 тіл, серед них п'ятеро дітей."
    response = client.post("/admin/intake/articleimport/upload/", {"text": pasted, "url": "https://news.example/x"})
    assert response.status_code == 302
    text_row = ArticleImport.objects.get(original_name="pasted text")
    assert text_row.url == "https://news.example/x" and text_row.source is not None
    empty = client.post("/admin/intake/articleimport/upload/", {"text": "  "})
    assert empty.status_code == 400 and "Choose a file or paste" in empty.content.decode()
    pdf = client.post("/admin/intake/articleimport/upload/", {"text": "", "file": _file("a.pdf", b"%PDF-1.4 x")})
    assert pdf.status_code == 302
    assert ArticleImport.objects.get(original_name="a.pdf").status == "refused"
    assert Source.objects.filter(archived_sha256=ArticleImport.objects.get(original_name="a.pdf").sha256).count() == 0


def test_someone_without_the_permission_cannot_upload(client: Client) -> None:
    # An investigator reaches the admin but only to read: no permission to add an import.
    sign_in(client, account("investigator"))
    response = client.post("/admin/intake/articleimport/upload/", {"text": "Izium: 447 bodies were found there."})
    assert response.status_code == 403
    assert not ArticleImport.objects.exists()


def _file(name: str, data: bytes) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_locations_and_events_need_an_article_that_was_read() -> None:
    assert ProposedLocation.objects.count() == 0
