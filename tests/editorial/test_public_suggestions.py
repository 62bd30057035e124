"""The public "suggest a correction or report a site" form: no account, into the queue, never public, limited per
address, a honeypot for programs, and clear refusals; in both languages."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from review_accounts import signed_in

from lestweforget.atlas import evidence_records
from lestweforget.editorial.submissions import Submission

SITE = "izium-mass-burial-site"
MESSAGE = "The wooden cross by the path fell in the storm of 2026."
Commits = Callable[..., AbstractContextManager[Any]]
pytestmark = pytest.mark.usefixtures("demo", "second_factor_verified")


def _send(client: Client, url: str = f"/sites/{SITE}/suggest/", **fields: str) -> Any:
    return client.post(url, {"message": MESSAGE, "contact": "", "website": "", **fields}, REMOTE_ADDR="203.0.113.7")


@pytest.mark.parametrize("prefix", ["", "/uk"])
def test_the_form_is_on_each_site_page_and_on_the_atlas_in_both_languages(client: Client, prefix: str) -> None:
    site_page = client.get(f"{prefix}/sites/{SITE}/").content.decode()
    atlas_page = client.get(f"{prefix}/").content.decode()
    assert f'action="{prefix}/sites/{SITE}/suggest/"' in site_page
    assert f'action="{prefix}/suggest/"' in atlas_page
    heading = (
        "Suggest a correction or report a site" if not prefix else "Запропонувати виправлення або повідомити про місце"
    )
    assert heading in site_page and heading in atlas_page
    assert "<script>" not in site_page and "onclick" not in site_page


def test_a_suggestion_lands_in_the_queue_and_is_not_public(
    client: Client, editor: User, django_capture_on_commit_callbacks: Commits
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, contact="reader@example.org")
    assert response.status_code == 303 and response["Location"] == "/suggest/thanks/"
    (submission,) = Submission.objects.all()
    assert (submission.kind, submission.status, submission.site.slug) == ("suggestion", "pending", SITE)
    assert submission.submitted_by is None and "203.0.113.7" not in submission.address_key
    for url in (f"/sites/{SITE}/", "/", f"/uk/sites/{SITE}/", "/api/sites", f"/sites/{SITE}/export.geojson"):
        body = client.get(url).content.decode()
        assert "wooden cross by the path" not in body and "reader@example.org" not in body, url
    queue = signed_in(editor).get("/editorial/queue/").content.decode()
    assert "wooden cross by the path" in queue
    (entry,) = [e for e in evidence_records.open_ledger().entries() if e.action == "review.suggested"]
    assert entry.actor == "anonymous:public-form" and entry.details == {"submission": submission.pk, "site": SITE}
    assert "reader@example.org" not in evidence_records.open_ledger().path.read_text(encoding="utf-8")


def test_a_flood_from_one_address_is_limited(client: Client, settings: Any) -> None:
    settings.LWF_SUGGESTIONS_PER_HOUR = 3
    statuses = [_send(client).status_code for _ in range(5)]
    assert statuses == [303, 303, 303, 429, 429]
    assert Submission.objects.count() == 3
    refused = _send(client)
    assert "Too many suggestions from your address in the last hour (at most 3)" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 3600
    other = client.post(f"/sites/{SITE}/suggest/", {"message": MESSAGE}, REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 303


def test_the_honeypot_turns_a_program_away(client: Client) -> None:
    response = _send(client, website="https://spam.example")
    assert response.status_code == 400
    assert "filled in by a program" in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"message": "   "}, "Write what should be corrected or reported."),
        ({"message": "x" * 5001}, "At most 5000 characters, please (this has 5001)."),
        ({"message": "Bad\x07bell"}, "control character U+0007"),
        ({"contact": "c" * 301}, "At most 300 characters."),
    ],
)
def test_bad_suggestions_are_refused_naming_what_is_wrong(client: Client, fields: dict[str, str], message: str) -> None:
    response = _send(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_an_unpublished_or_unknown_site_has_no_form(client: Client) -> None:
    assert _send(client, url="/sites/no-such-site/suggest/").status_code == 404
    assert client.get("/sites/no-such-site/suggest/").status_code == 404
    assert not Submission.objects.exists()


def test_a_report_of_a_new_site_from_the_atlas_has_no_site(client: Client) -> None:
    assert _send(client, url="/uk/suggest/").status_code == 303
    assert Submission.objects.get().site is None


def test_the_allowance_is_shared_by_every_server_process(tmp_path: Path) -> None:
    """`lwf serve` runs several workers: four processes taking two each from one address get five in all, not
    five each (a black-box tester got 16 through in two minutes while the count was kept per process)."""
    script = (
        "import django; django.setup()\n"
        "from lestweforget.editorial import suggestions\n"
        "print(sum(suggestions.take_one('one-address') for _ in range(2)))\n"
    )
    env = {**os.environ, "LWF_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "lestweforget.settings"}
    env.pop("LWF_SUGGESTIONS_PER_HOUR", None)
    runs = [
        subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True) for _ in range(4)
    ]
    taken = [int(run.communicate(timeout=120)[0].strip().splitlines()[-1]) for run in runs]
    assert sum(taken) == 5, taken
