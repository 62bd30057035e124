"""Claims are grouped by a subject chosen from a list (ClaimSubject), not by a typed key: the record loader refuses a
key it does not know, the admin offers the list, the public page groups by subject, and the migration turned each
key already in use into a subject."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from accounts import account, sign_in
from lestweforget.atlas.demo import RecordFileError, demo_path, load_record_file
from lestweforget.atlas.models import Claim, ClaimSubject, Site
from migrating import migrate_to_latest, models_at

SITE = "izium-mass-burial-site"


def test_the_loader_refuses_a_mistyped_subject_and_stores_nothing(db: None, tmp_path: Path) -> None:
    text = demo_path().read_text(encoding="utf-8")
    record = tmp_path / "record.yaml"
    record.write_text(text.replace("- subject: children\n", "- subject: childern\n", 1), encoding="utf-8")
    with pytest.raises(RecordFileError, match=r"claim subject 'childern' is neither in the file's claim_subjects"):
        load_record_file(record)
    assert not ClaimSubject.objects.exists() and not Claim.objects.exists()


def test_the_public_page_groups_claims_by_their_subject_in_the_readers_language(demo: object, client: Client) -> None:
    subject = ClaimSubject.objects.get(key="bodies_exhumed")
    page = client.get(f"/uk/sites/{SITE}/").content.decode()
    assert page.count('data-subject="bodies_exhumed"') == 1
    assert subject.label_uk in page
    # Renaming the subject renames its group, wherever its claims are.
    subject.label_en = "Bodies exhumed (renamed)"
    subject.save()
    assert "Bodies exhumed (renamed)" in client.get(f"/sites/{SITE}/").content.decode()


def test_the_api_gives_each_claims_subject_key_and_labels(demo: object, client: Client) -> None:
    claims = client.get(f"/api/sites/{SITE}/claims", {"limit": 100}).json()["items"]
    first = next(c for c in claims if c["subject"] == "bodies_exhumed")
    assert first["subject_label"] == {"en": "Bodies recovered from the site", "uk": "Тіла, вилучені з місця поховання"}


def test_the_claim_form_offers_the_subjects_to_choose_from(demo: object) -> None:
    client = sign_in(Client(), account("editor"))
    site = Site.objects.get(slug=SITE)
    page = client.get(f"/admin/atlas/site/{site.pk}/change/").content.decode()
    assert 'name="claims-0-subject"' in page and 'name="claims-0-subject_label_en"' not in page
    found = client.get(
        "/admin/autocomplete/",
        {"term": "recovered", "app_label": "atlas", "model_name": "claim", "field_name": "subject"},
    ).json()
    assert [r["text"] for r in found["results"]] == ["Bodies recovered from the site"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_one_subject_per_key_in_use() -> None:
    old = models_at([("atlas", "0008_site_confirmed_problems")])
    source = old.get_model("atlas", "Source").objects.create(key="s", title="S")
    site = old.get_model("atlas", "Site").objects.create(
        slug="old-site", kind="memorial", summary_en="s", latitude=49.2, longitude=37.2, uncertainty_m=10
    )
    OldClaim = old.get_model("atlas", "Claim")
    for value, label_uk in (("1", ""), ("2", "Жертви")):
        OldClaim.objects.create(
            site=site,
            subject="victims",
            subject_label_en="Victims",
            subject_label_uk=label_uk,
            value=value,
            source=source,
        )
    OldClaim.objects.create(site=site, subject="graves", subject_label_en="Graves", value="3", source=source)
    new = models_at([("atlas", "0009_claim_subject")])
    subjects = {s.key: (s.label_en, s.label_uk) for s in new.get_model("atlas", "ClaimSubject").objects.all()}
    assert subjects == {"victims": ("Victims", "Жертви"), "graves": ("Graves", "")}
    claims = new.get_model("atlas", "Claim").objects.order_by("value")
    assert [c.subject.key for c in claims] == ["victims", "victims", "graves"]
    # And back: the keys and labels return to the claims.
    back = models_at([("atlas", "0008_site_confirmed_problems")])
    assert sorted(back.get_model("atlas", "Claim").objects.values_list("subject", "subject_label_en")) == [
        ("graves", "Graves"),
        ("victims", "Victims"),
        ("victims", "Victims"),
    ]
    migrate_to_latest()
