"""Review before publishing: a proposed revision leaves the published record alone until an editor accepts it;
decisions need an editor and a reason to reject; every step is in the ledger; stale proposals are caught."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils.html import escape
from review_accounts import signed_in

from lestweforget.atlas import evidence_records
from lestweforget.atlas.models import Claim, Event, Site, Source
from lestweforget.editorial import review
from lestweforget.editorial.submissions import Submission

SITE = "izium-mass-burial-site"
Commits = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.usefixtures("demo", "second_factor_verified")


def _entries(action: str) -> list[Any]:
    return [e for e in evidence_records.open_ledger().entries() if e.action == action]


def test_a_proposed_revision_waits_and_the_published_site_is_unchanged(
    contributor: User, django_capture_on_commit_callbacks: Commits
) -> None:
    site = Site.objects.get(slug=SITE)
    before = site.summary_en
    client = signed_in(contributor)
    page = client.get(f"/editorial/propose/site/{site.pk}/")
    assert page.status_code == 200 and escape(before) in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/editorial/propose/site/{site.pk}/",
            {"kind": site.kind, "summary_en": "A corrected summary.", "summary_uk": site.summary_uk},
        )
    assert response.status_code == 303
    site.refresh_from_db()
    assert site.summary_en == before
    assert escape(before) in client.get(f"/sites/{SITE}/").content.decode()
    (submission,) = Submission.objects.all()
    assert submission.proposed == {"summary_en": "A corrected summary."}
    assert submission.base == {"summary_en": before}
    (proposed,) = _entries("review.proposed")
    assert proposed.actor == f"user:{contributor.pk}" and proposed.object == f"site:{SITE}"
    assert "A corrected summary" not in proposed.to_line().decode()


def test_an_editor_accepts_and_the_page_changes_with_both_steps_in_the_ledger(
    contributor: User, editor: User, django_capture_on_commit_callbacks: Commits
) -> None:
    site = Site.objects.get(slug=SITE)
    with django_capture_on_commit_callbacks(execute=True):
        submission = review.propose_revision(contributor, "site", site.pk, {"summary_en": "Accepted summary."})
    desk = signed_in(editor)
    page = desk.get(f"/editorial/queue/{submission.pk}/").content.decode()
    assert "Accepted summary." in page and escape(site.summary_en) in page  # side by side
    seen = page.split('name="seen" value="')[1].split('"')[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(f"/editorial/queue/{submission.pk}/", {"action": "accept", "seen": seen})
    assert response.status_code == 303
    assert "Accepted summary." in desk.get(f"/sites/{SITE}/").content.decode()
    accepted = _entries("review.accepted")[-1]
    assert accepted.actor == f"user:{editor.pk}" and accepted.details["proposed_by"] == f"user:{contributor.pk}"
    assert accepted.details["fields"] == ["summary_en"]
    assert [e.action for e in evidence_records.open_ledger().entries()][-3:] == [
        "review.proposed",
        "record.edited",
        "review.accepted",
    ]
    ledger = evidence_records.open_ledger()
    assert ledger.checkpoints()[-1].size == ledger.size()


def test_an_editor_edits_then_accepts(contributor: User, editor: User) -> None:
    site = Site.objects.get(slug=SITE)
    submission = review.propose_revision(contributor, "site", site.pk, {"summary_uk": "Виправлений опис."})
    review.accept(editor, submission, {"summary_uk": "Виправлений і звірений опис."})
    site.refresh_from_db()
    assert site.summary_uk == "Виправлений і звірений опис."
    submission.refresh_from_db()
    assert submission.status == "accepted" and submission.proposed["summary_uk"] == "Виправлений і звірений опис."


def test_a_stale_revision_is_not_accepted_blindly(contributor: User, editor: User) -> None:
    site = Site.objects.get(slug=SITE)
    submission = review.propose_revision(contributor, "site", site.pk, {"summary_en": "Proposal on the old text."})
    site.summary_en = "Someone else's newer edit."
    site.save()
    desk = signed_in(editor)
    page = desk.get(f"/editorial/queue/{submission.pk}/").content.decode()
    assert "changed since the proposal" in page and "Someone else&#x27;s newer edit." in page

    response = desk.post(f"/editorial/queue/{submission.pk}/", {"action": "accept", "seen": "not what is there"})

    assert response.status_code == 409
    assert "changed since this revision was proposed (summary_en)" in response.content.decode()
    site.refresh_from_db()
    assert site.summary_en == "Someone else's newer edit."
    seen = review.values_token(review.current_values(review.reviewable("site"), site))
    review.accept(editor, Submission.objects.get(pk=submission.pk), seen=seen)
    site.refresh_from_db()
    assert site.summary_en == "Proposal on the old text."


def test_a_rejection_needs_a_reason_and_is_recorded_with_it(
    contributor: User, editor: User, django_capture_on_commit_callbacks: Commits
) -> None:
    claim = Claim.objects.filter(site__slug=SITE).first()
    assert claim is not None
    submission = review.propose_revision(contributor, "claim", claim.pk, {"value": "about 450"})
    desk = signed_in(editor)
    response = desk.post(f"/editorial/queue/{submission.pk}/", {"action": "reject", "reason": "  "})
    assert response.status_code == 400 and "a rejection needs a reason" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            f"/editorial/queue/{submission.pk}/", {"action": "reject", "reason": "The source says 447."}
        )
    assert response.status_code == 303
    (rejected,) = _entries("review.rejected")
    assert rejected.details["reason"] == "The source says 447." and rejected.object == f"claim:{claim.pk}"
    claim.refresh_from_db()
    assert claim.value != "about 450"
    again = desk.post(f"/editorial/queue/{submission.pk}/", {"action": "accept"})
    assert again.status_code == 400 and "already" in again.content.decode()


def test_a_new_event_is_a_draft_until_accepted(contributor: User, editor: User) -> None:
    site = Site.objects.get(slug=SITE)
    source = Source.objects.first()
    assert source is not None
    client = signed_in(contributor)
    data = {
        "site": site.pk,
        "kind": "memorial",
        "date": "2024-09-16",
        "precision": "day",
        "title_en": "A wreath laid by relatives",
        "sources": [source.pk],
    }
    assert client.post("/editorial/new/event/", data).status_code == 303
    assert not Event.objects.filter(title_en="A wreath laid by relatives").exists()
    assert "A wreath laid by relatives" not in client.get(f"/sites/{SITE}/").content.decode()
    (submission,) = Submission.objects.filter(kind="new")
    event = review.accept(editor, submission)
    assert isinstance(event, Event) and list(event.sources.all()) == [source]
    assert "A wreath laid by relatives" in client.get(f"/sites/{SITE}/").content.decode()


def test_the_queue_lists_oldest_first_filters_and_decides_in_a_batch(
    contributor: User, editor: User, django_capture_on_commit_callbacks: Commits
) -> None:
    site = Site.objects.get(slug=SITE)
    first = review.propose_revision(contributor, "site", site.pk, {"summary_en": "One."})
    claim = Claim.objects.filter(site=site).first()
    assert claim is not None
    second = review.propose_revision(contributor, "claim", claim.pk, {"unit": "people exhumed"})
    anonymous = review.suggest(site, "The sign at the gate is gone.", "", "k" * 64)
    desk = signed_in(editor)

    page = desk.get("/editorial/queue/").content.decode()
    assert page.index(f"#{first.pk}<") < page.index(f"#{second.pk}<") < page.index(f"#{anonymous.pk}<")
    assert "3 wait for review" in desk.get("/admin/").content.decode()
    claims_only = desk.get("/editorial/queue/?kind=claim").content.decode()
    assert f"#{second.pk}<" in claims_only and f"#{first.pk}<" not in claims_only
    anonymous_only = desk.get("/editorial/queue/?contributor=anonymous").content.decode()
    assert f"#{anonymous.pk}<" in anonymous_only and f"#{first.pk}<" not in anonymous_only
    assert f"#{first.pk}<" in desk.get(f"/editorial/queue/?site={SITE}&contributor={contributor.pk}").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post("/editorial/queue/", {"submission": [first.pk, second.pk], "decision": "accept"})
    assert response.status_code == 200 and "2 submissions decided" in response.content.decode()
    assert Submission.objects.get(pk=first.pk).status == "accepted"
    site.refresh_from_db()
    assert site.summary_en == "One."
    assert len(_entries("review.accepted")) == 2
    response = desk.post(
        "/editorial/queue/", {"submission": [anonymous.pk], "decision": "reject", "reason": "Checked: still there."}
    )
    assert Submission.objects.get(pk=anonymous.pk).status == "rejected"


@pytest.mark.parametrize(
    ("url", "data", "status", "message"),
    [
        ("/editorial/queue/", {"submission": ["1"], "decision": "reject"}, 400, "a rejection needs a reason"),
        ("/editorial/queue/", {"decision": "accept"}, 400, "Choose at least one submission."),
        ("/editorial/queue/", {"submission": ["1"], "decision": "publish"}, 400, "neither"),
        ("/editorial/queue/?kind=poem", None, 400, "there is no kind of record"),
        ("/editorial/queue/?contributor=bob", None, 400, "is not an account number"),
        ("/editorial/queue/1/", {"action": "frobnicate"}, 400, "Choose accept or reject."),
    ],
)
def test_bad_review_requests_are_refused_with_a_reason(
    contributor: User, editor: User, url: str, data: dict[str, Any] | None, status: int, message: str
) -> None:
    site = Site.objects.get(slug=SITE)
    submission = review.propose_revision(contributor, "site", site.pk, {"summary_en": "Waiting."})
    url = url.replace("/1/", f"/{submission.pk}/")
    if data and data.get("submission") == ["1"]:
        data = {**data, "submission": [str(submission.pk)]}
    desk = signed_in(editor)
    response = desk.post(url, data) if data is not None else desk.get(url)
    assert response.status_code == status
    assert message in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).status == "pending"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"summary_en": ""}, "summary_en: This field is required."),
        ({"summary_en": "Line\x0bbreak"}, "control character U+000B"),
        ({"kind": "volcano"}, "Select a valid choice"),
        ({}, "nothing to propose"),
    ],
)
def test_a_bad_proposal_is_refused_naming_the_field_and_nothing_is_stored(
    contributor: User, data: dict[str, str], message: str
) -> None:
    site = Site.objects.get(slug=SITE)
    full = {"kind": site.kind, "summary_en": site.summary_en, "summary_uk": site.summary_uk, **data}
    response = signed_in(contributor).post(f"/editorial/propose/site/{site.pk}/", full)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_who_may_do_what(contributor: User, editor: User, investigator: User, client: Any) -> None:
    site = Site.objects.get(slug=SITE)
    submission = review.propose_revision(contributor, "site", site.pk, {"summary_en": "Mine."})
    assert client.get("/editorial/queue/").status_code == 302  # to sign in
    assert signed_in(contributor).get("/editorial/queue/").status_code == 403
    assert signed_in(contributor).post(f"/editorial/queue/{submission.pk}/", {"action": "accept"}).status_code == 403
    reader = signed_in(investigator)  # reads the queue, decides nothing
    assert reader.get("/editorial/queue/").status_code == 200
    assert 'value="accept"' not in reader.get(f"/editorial/queue/{submission.pk}/").content.decode()
    assert reader.post(f"/editorial/queue/{submission.pk}/", {"action": "accept"}).status_code == 403
    assert reader.post("/editorial/queue/", {"submission": [submission.pk], "decision": "accept"}).status_code == 403
    assert signed_in(investigator).post(f"/editorial/propose/site/{site.pk}/", {"summary_en": "x"}).status_code == 403
    assert signed_in(editor).get("/editorial/queue/").status_code == 200
    mine = signed_in(contributor).get("/editorial/mine/").content.decode()
    assert f"<td>{submission.pk}</td>" in mine
    other = User.objects.create_user("other", "other@example.org", "a long passphrase 2")
    from lestweforget.editorial.roles import assign_role

    assign_role(other, "contributor")
    assert f"<td>{submission.pk}</td>" not in signed_in(other).get("/editorial/mine/").content.decode()
    site.is_published = False
    site.save()
    assert signed_in(contributor).get(f"/editorial/propose/site/{site.pk}/").status_code == 404


def test_the_queue_lists_imported_articles_whose_items_wait(editor: User) -> None:
    from pathlib import Path

    from lestweforget.intake.importing import import_article

    article = Path(__file__).resolve().parents[2] / "benchmarks" / "articles" / "en-02-final-count.md"
    row = import_article(article.read_bytes(), article.name, "operator:test", site_slug=SITE).article
    (waiting,) = review.articles_waiting()
    assert waiting.pk == row.pk and waiting.items > 0
    page = signed_in(editor).get("/editorial/queue/").content.decode()
    assert f"/admin/intake/articleimport/{row.pk}/change/" in page


def test_lwf_review_lists_the_queue_like_the_page(contributor: User, capsys: pytest.CaptureFixture[str]) -> None:
    from lestweforget.cli import main

    site = Site.objects.get(slug=SITE)
    submission = review.propose_revision(contributor, "site", site.pk, {"summary_en": "Listed."})
    assert main(["review", "--json", "--site", SITE]) == 0
    out = capsys.readouterr().out
    assert f'"id": {submission.pk}' in out and '"fields": [\n      "summary_en"' in out
    assert "Listed." not in out and contributor.username not in out
    assert main(["review", "--kind", "poem"]) == 2
    assert "there is no kind of record 'poem'" in capsys.readouterr().err
