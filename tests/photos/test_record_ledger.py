"""Every committed edit of a record is one ledger entry under a pseudonymous actor; unchanged saves, none."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from photo_fixtures import NEAR_SITE, SITE, evidence_dir, jpeg, run_import

from lestweforget.atlas import evidence_records, record_ledger
from lestweforget.atlas.models import Claim, Site
from lestweforget.evidence import LedgerEntry
from lestweforget.photos.models import Photo

__all__ = ["evidence_dir"]  # a fixture, used by name

pytestmark = pytest.mark.usefixtures("evidence_dir")

Commits = Callable[..., AbstractContextManager[Any]]


@contextmanager
def _connected() -> Iterator[None]:
    """Record edits inside the block; leave the handlers as found (the app may have connected them)."""
    already = record_ledger.is_connected()
    record_ledger.connect()
    try:
        yield
    finally:
        if not already:
            record_ledger.disconnect()


@pytest.fixture
def recording(db: None) -> Iterator[None]:
    with _connected():
        yield


def _entries() -> tuple[LedgerEntry, ...]:
    return evidence_records.open_ledger().entries()


def test_loading_the_demo_records_each_record_once_and_reloading_records_nothing(
    recording: None, django_capture_on_commit_callbacks: Commits
) -> None:
    from lestweforget.atlas.demo import load_demo

    with record_ledger.acting_as("operator:test"), django_capture_on_commit_callbacks(execute=True):
        load_demo()
    first = _entries()
    assert first and {e.action for e in first} == {"record.edited"}
    assert {e.actor for e in first} == {"operator:test"}
    assert f"site:{SITE}" in {e.object for e in first}
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    assert len(_entries()) == len(first)


def test_an_edit_names_the_changed_fields_and_hashes_the_values(
    demo: object, recording: None, django_capture_on_commit_callbacks: Commits
) -> None:
    claim = Claim.objects.filter(site__slug=SITE).exclude(status=Claim.Status.DISPUTED).first()
    assert claim is not None
    with record_ledger.acting_as("user:7"), django_capture_on_commit_callbacks(execute=True):
        claim.status = Claim.Status.DISPUTED
        claim.save()
        claim.save()  # nothing changed this time
    (entry,) = _entries()
    assert (entry.actor, entry.action, entry.object) == ("user:7", "record.edited", f"claim:{claim.pk}")
    assert entry.details["changed"] == ["status"] and entry.details["site"] == SITE
    assert len(entry.details["values_sha256"]) == 64
    assert "disputed" not in entry.to_line().decode()  # the ledger pins the values down without copying them


def test_a_rolled_back_edit_is_not_recorded(demo: object, recording: None) -> None:
    site = Site.objects.get(slug=SITE)
    site.summary_en = "changed and then rolled back"
    site.save()  # inside the test's transaction, which is never committed
    assert _entries() == ()


def test_publishing_and_deleting_a_photo_are_recorded_and_verify_stays_clean(
    demo: object, tmp_path: Path, django_capture_on_commit_callbacks: Commits
) -> None:
    run_import([jpeg(tmp_path / "a.jpg", position=NEAR_SITE)])
    with _connected():
        photo = Photo.objects.get()
        with record_ledger.acting_as("user:3"), django_capture_on_commit_callbacks(execute=True):
            photo.is_published = True
            photo.caption_en = "The forest"
            photo.save()
        published = _entries()[-1]
        assert (published.action, published.object) == ("photo.published", f"sha256:{photo.sha256}")
        with record_ledger.acting_as("user:3"), django_capture_on_commit_callbacks(execute=True):
            photo.delete()
    deleted = [e for e in _entries() if e.action == "record.deleted"]
    assert {e.object for e in deleted} == {
        f"sha256:{photo.sha256}",
        f"sha256:{photo.thumb_sha256}",
        f"sha256:{photo.web_sha256}",
    }
    assert evidence_records.open_store().exists(photo.sha256)  # the atlas forgets; the evidence stays
    report = evidence_records.verify_atlas()
    assert report.ok, report.problems


def test_the_middleware_attributes_edits_to_the_logged_in_user_by_id(
    demo: object, recording: None, django_user_model: Any, django_capture_on_commit_callbacks: Commits
) -> None:
    user = django_user_model.objects.create_user("editor", password="a long test password", is_staff=True)

    def edit(request: HttpRequest) -> HttpResponse:
        site = Site.objects.get(slug=SITE)
        site.summary_uk = "Нове резюме"
        site.save()
        return HttpResponse("ok")

    request = RequestFactory().post("/admin/")
    request.user = user
    with django_capture_on_commit_callbacks(execute=True):
        record_ledger.LedgerActorMiddleware(edit)(request)
    (entry,) = _entries()
    assert entry.actor == f"user:{user.pk}" and entry.details["changed"] == ["summary_uk"]
    assert "editor" not in entry.to_line().decode()
