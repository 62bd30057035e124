"""Migration 0010 moves each claim's one `asserted_by` into `asserted_by_en` and back, losing nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from migrating import migrate_to_latest, models_at

BEFORE = [("atlas", "0007_ledger_checkpoint")]
AFTER = [("atlas", "0010_claim_asserted_by_per_language")]


@pytest.mark.django_db(transaction=True)
def test_asserted_by_moves_to_english_and_back() -> None:
    old = models_at(BEFORE)
    source = old.get_model("atlas", "Source").objects.create(key="s", title="T")
    site = old.get_model("atlas", "Site").objects.create(
        slug="x", kind="memorial", summary_en="S", latitude=1, longitude=2, uncertainty_m=10
    )
    claim_model = old.get_model("atlas", "Claim")
    claim = claim_model.objects.create(
        site=site, subject="c", subject_label_en="C", value="1", source=source, asserted=dt.date(2022, 9, 1),
        asserted_by="Kharkiv regional prosecutor's office",
    )  # fmt: skip
    claim_model.objects.create(site=site, subject="d", subject_label_en="D", value="2", source=source)
    new = models_at(AFTER)
    moved = new.get_model("atlas", "Claim").objects.get(pk=claim.pk)
    assert moved.asserted_by_en == "Kharkiv regional prosecutor's office"
    assert moved.asserted_by_uk == ""
    back = models_at(BEFORE)
    assert (
        back.get_model("atlas", "Claim").objects.get(pk=claim.pk).asserted_by == "Kharkiv regional prosecutor's office"
    )
    migrate_to_latest()
