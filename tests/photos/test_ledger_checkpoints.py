"""Every admin change is a ledger entry and is followed by a signed checkpoint, kept in the database too; `lwf verify`
notices a ledger cut back together with its checkpoints, and a deleted checkpoints file."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from photo_fixtures import NEAR_SITE, evidence_dir, jpeg, run_import

from accounts import sign_in
from admin_form import form_values
from lestweforget.atlas import evidence_records
from lestweforget.atlas.models import LedgerCheckpoint, Site
from lestweforget.cli import main

__all__ = ["evidence_dir"]  # a fixture, used by name

SITE = "izium-mass-burial-site"
Commits = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def admin_client(db: None) -> tuple[Client, User]:
    user = User.objects.create_superuser("admin", "admin@example.org", "a long passphrase 1")
    return sign_in(Client(), user), user


def _verify(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["verify"])
    return code, capsys.readouterr().out


def test_an_admin_edit_is_two_entries_under_one_checkpoint_kept_in_the_database(
    demo: object, admin_client: tuple[Client, User], django_capture_on_commit_callbacks: Commits
) -> None:
    client, user = admin_client
    site = Site.objects.get(slug=SITE)
    url = f"/admin/atlas/site/{site.pk}/change/"
    data = form_values(client.get(url).content.decode(), "site_form")
    data["summary_en"] = ["Checked again on site in 2026."]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    ledger = evidence_records.open_ledger()
    entries = ledger.entries()
    edited = [e for e in entries if e.action == "record.edited" and e.object == f"site:{SITE}"][-1]
    admin = [e for e in entries if e.action == "admin.changed"][-1]
    assert edited.actor == admin.actor == f"user:{user.pk}"
    assert admin.object == f"atlas.site:{site.pk}" and "Summary (English)" in admin.details["changed"]
    assert "admin@example.org" not in ledger.path.read_text(encoding="utf-8")
    latest = ledger.checkpoints()[-1]
    assert latest.size == len(entries)
    assert evidence_records.database_checkpoint() == latest


def test_an_admin_change_to_an_account_is_recorded_without_the_name(
    db: None, admin_client: tuple[Client, User], django_capture_on_commit_callbacks: Commits
) -> None:
    client, _ = admin_client
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/auth/group/add/", {"name": "Night editors"})
    assert response.status_code == 302
    group = Group.objects.get(name="Night editors")
    (entry,) = [e for e in evidence_records.open_ledger().entries() if e.action.startswith("admin.")]
    assert (entry.action, entry.object) == ("admin.added", f"auth.group:{group.pk}")
    assert "Night editors" not in entry.to_line().decode()
    assert LedgerCheckpoint.objects.count() == 1


def test_verify_notices_the_tail_cut_together_with_its_checkpoints(
    demo: object, tmp_path: Path, capsys: pytest.CaptureFixture[str], django_capture_on_commit_callbacks: Commits
) -> None:
    run_import([jpeg(tmp_path / "a.jpg", position=NEAR_SITE)])
    ledger = evidence_records.open_ledger()
    early, early_checkpoints = ledger.path.read_bytes(), ledger.checkpoints_path.read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        site = Site.objects.get(slug=SITE)
        site.summary_en = "An edit someone wants forgotten."
        site.save()
    assert ledger.checkpoints()[-1].size == ledger.size() == early.count(b"\n") + 1
    assert _verify(capsys)[0] == 0

    ledger.path.write_bytes(early)
    ledger.checkpoints_path.write_bytes(early_checkpoints)
    code, out = _verify(capsys)

    assert code == 1
    assert "ledger-truncated checkpoint:database" in out
    assert "checkpoint-missing checkpoint:database" in out


def test_verify_notices_a_deleted_checkpoints_file(
    demo: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import([jpeg(tmp_path / "a.jpg", position=NEAR_SITE)])
    evidence_records.open_ledger().checkpoints_path.unlink()

    code, out = _verify(capsys)

    assert code == 1
    assert "checkpoint-missing checkpoints" in out and "was the checkpoints file deleted?" in out
