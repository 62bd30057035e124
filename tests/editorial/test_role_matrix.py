"""The role × route matrix (issue 9): for each role and each route, the status it gets; and for each restricted value
(the sensitive site's precise point, originals and their SHA-256, the device, contributors' identities, unpublished
titles), its absence from every response a role may not see. One world per role, built through the users' paths
(`lwf load`, the photo import), signed in through the real second-factor page."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts import account, sign_in
from lestweforget.atlas.demo import load_record_file
from lestweforget.atlas.evidence_records import open_ledger
from lestweforget.atlas.models import Site
from lestweforget.editorial import review
from lestweforget.editorial.submissions import Submission
from lestweforget.photos.models import Photo
from photos.photo_fixtures import NEAR_SITE, SITE, jpeg, run_import  # tests/photos, a namespace package

pytestmark = pytest.mark.usefixtures("demo", "sensitive_site")

ROLES = ("anonymous", "contributor", "editor", "investigator", "admin")
SENSITIVE = "sensitive-test-site"
UNPUBLISHED = "unpublished-test-site"
UNPUBLISHED_TITLE = "Quarry north of Kamianka, unconfirmed"
CONTRIBUTOR_EMAIL = "kateryna.field@example.org"
DEVICE = "Field-7"
PROPOSED_SUMMARY = "Proposed, not yet accepted: the forest edge by the old quarry road"


@dataclass(frozen=True)
class World:
    published: Photo
    unpublished: Photo
    contributor: User
    proposal: Submission


@pytest.fixture
def world(tmp_path: Path) -> World:
    record = tmp_path / "unpublished.yaml"
    record.write_text(
        "sources: []\nsettlements: []\nevents: []\nsites:\n"
        f"  - slug: {UNPUBLISHED}\n    kind: mass_grave\n    sensitivity: public\n"
        f'    names:\n      - {{language: en, name: "{UNPUBLISHED_TITLE}", primary: true}}\n'
        '    summary: {en: "Reported by one witness.", uk: "Повідомив один свідок."}\n'
        "    location: {latitude: 48.7, longitude: 37.6, uncertainty_m: 500}\n",
        encoding="utf-8",
    )
    load_record_file(record, publish=False)
    run_import([jpeg(tmp_path / "plain.jpg", position=NEAR_SITE, pattern=1)], publish=True, author="Field Team")
    run_import([jpeg(tmp_path / "draft.jpg", position=NEAR_SITE, pattern=3, colour=(10, 90, 10))])
    contributor = account("contributor", "kateryna-field", email=CONTRIBUTOR_EMAIL)
    site = Site.objects.get(slug=SITE)
    proposal = review.propose_revision(contributor, "site", site.pk, {"summary_en": PROPOSED_SUMMARY})
    return World(
        Photo.objects.get(original_name="plain.jpg"),
        Photo.objects.get(original_name="draft.jpg"),
        contributor,
        proposal,
    )


def _client(role: str) -> Client:
    if role == "anonymous":
        return Client()
    return sign_in(Client(), account(role, f"matrix-{role}"))


# Route -> the status for anonymous, contributor, editor, investigator, admin.
EVERYONE = (200, 200, 200, 200, 200)
STAFF = (302, 302, 200, 200, 200)
EDITORS = (302, 302, 200, 403, 200)
ADMINS = (302, 302, 403, 403, 200)
ORIGINALS = (404, 404, 404, 200, 200)
REVIEWERS = (302, 403, 200, 403, 200)
SUBMITTERS = (302, 200, 200, 403, 200)
UNPUBLISHED_MEDIA = (404, 404, 200, 200, 200)


def routes(world: World) -> dict[str, tuple[int, ...]]:
    published, unpublished = world.published.sha256, world.unpublished.sha256
    return {
        # Public pages, both languages.
        "/": EVERYONE,
        "/uk/": EVERYONE,
        "/about/": EVERYONE,
        f"/sites/{SITE}/": EVERYONE,
        f"/uk/sites/{SENSITIVE}/": EVERYONE,
        f"/sites/{SENSITIVE}/": EVERYONE,
        f"/sites/{UNPUBLISHED}/": (404,) * 5,
        # API.
        "/api/sites": EVERYONE,
        f"/api/sites/{SENSITIVE}": EVERYONE,
        f"/api/sites/{SENSITIVE}/sources": EVERYONE,
        f"/api/sites/{UNPUBLISHED}": (404,) * 5,
        "/api/events": EVERYONE,
        "/api/sources": EVERYONE,
        # Exports.
        "/export/atlas.geojson": EVERYONE,
        "/export/atlas.kml": EVERYONE,
        "/export/atlas.gpx": EVERYONE,
        "/export/atlas.csv": EVERYONE,
        f"/sites/{SENSITIVE}/export.gpx": EVERYONE,
        f"/sites/{SITE}/export.geojson": EVERYONE,
        # The offline field guide.
        f"/sites/{SITE}/guide.zip": EVERYONE,
        f"/sites/{SENSITIVE}/guide.zip": EVERYONE,
        # Photos: derivatives of published ones for all, of unpublished ones for editors and investigators.
        f"/photos/{published}/thumb.jpg": EVERYONE,
        f"/photos/{published}/web.jpg": EVERYONE,
        f"/photos/{unpublished}/thumb.jpg": UNPUBLISHED_MEDIA,
        # Evidence: originals and bags for investigators and admins only.
        f"/evidence/{published}": ORIGINALS,
        f"/evidence/{unpublished}": ORIGINALS,
        f"/evidence/sites/{SITE}/bag.zip": ORIGINALS,
        # The admin: by role, then by the group's model permissions.
        "/admin/": STAFF,
        "/admin/atlas/site/": STAFF,
        "/admin/photos/photo/": STAFF,
        "/admin/atlas/site/add/": EDITORS,
        "/admin/photos/contributor/": STAFF,
        "/admin/auth/user/": ADMINS,
        "/admin/auth/group/": ADMINS,
        # Review: the queue and decisions for editors; proposals and one's own submissions for those who submit.
        "/editorial/queue/": REVIEWERS,
        f"/editorial/queue/{world.proposal.pk}/": REVIEWERS,
        f"/editorial/propose/site/{Site.objects.get(slug=SITE).pk}/": SUBMITTERS,
        "/editorial/new/event/": SUBMITTERS,
        "/editorial/mine/": SUBMITTERS,
        # The public suggestion form.
        "/suggest/": EVERYONE,
        f"/sites/{SITE}/suggest/": EVERYONE,
        # Accounts.
        "/accounts/sign-in/": EVERYONE,
        "/accounts/invite/": (403, 403, 403, 403, 200),
    }


def _body(response: object) -> str:
    content = (
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if getattr(response, "streaming", False)
        else response.content  # type: ignore[attr-defined]
    )
    if content[:4] == b"PK\x03\x04":  # a ZIP (the guide, a bag): what its files say
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"\n".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace") + "\n" + str(getattr(response, "headers", ""))


def _responses(role: str, world: World) -> tuple[dict[str, tuple[int, int]], dict[str, str]]:
    client = _client(role)
    statuses, bodies = {}, {}
    for url, expected in routes(world).items():
        response = client.get(url)
        statuses[url] = (response.status_code, expected[ROLES.index(role)])
        bodies[url] = _body(response)
    return statuses, bodies


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_status_on_every_route(role: str, world: World) -> None:
    statuses, _ = _responses(role, world)
    wrong = {url: got for url, got in statuses.items() if got[0] != got[1]}
    assert not wrong, f"{role}: (got, expected) {wrong}"


def _restricted(world: World) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Restricted value -> (what it is, the roles that may see it)."""
    site = Site.objects.get(slug=SENSITIVE)  # tests/conftest.py's sensitive record: 48.512347, 35.876541
    precise = (f"{site.latitude:.4f}", f"{site.longitude:.4f}")  # within some 10 m
    return {
        precise[0]: ("the sensitive site's precise latitude", ("editor", "investigator", "admin")),
        precise[1]: ("the sensitive site's precise longitude", ("editor", "investigator", "admin")),
        UNPUBLISHED_TITLE: ("an unpublished site's title", ("editor", "investigator", "admin")),
        CONTRIBUTOR_EMAIL: ("a contributor's e-mail address", ("editor", "investigator", "admin")),
        "kateryna-field": ("a contributor's account name", ("editor", "investigator", "admin")),
        PROPOSED_SUMMARY: ("a proposed revision not yet accepted", ("editor", "investigator", "admin")),
        DEVICE: ("the camera that took an original", ("editor", "investigator", "admin")),
    }


@pytest.mark.parametrize("role", ROLES)
def test_no_restricted_value_reaches_a_role_that_may_not_see_it(role: str, world: World) -> None:
    _, bodies = _responses(role, world)
    leaks = [
        f"{what} ({value!r}) in {url}"
        for value, (what, allowed) in _restricted(world).items()
        if role not in allowed
        for url, body in bodies.items()
        if value in body
    ]
    assert not leaks, f"{role}: " + "; ".join(leaks)


@pytest.mark.parametrize("role", ["anonymous", "contributor", "editor"])
@pytest.mark.xfail(
    strict=True,
    reason="issue 9, safety part (h9safety): derivative addresses and public records still carry the original's hash",
)
def test_no_original_or_its_hash_reaches_a_role_that_may_not_download_it(role: str, world: World) -> None:
    _, bodies = _responses(role, world)
    for photo in (world.published, world.unpublished):
        leaks = [url for url, body in bodies.items() if photo.sha256 in body]
        assert not leaks, f"{role}: {photo.original_name}'s SHA-256 in {leaks}"


@pytest.mark.parametrize("role", ROLES)
def test_every_download_of_evidence_is_in_the_ledger_and_only_those(role: str, world: World) -> None:
    before = len(open_ledger().entries())
    _responses(role, world)
    taken = [(e.action, e.object) for e in open_ledger().entries()[before:] if e.action != "checkpoint"]
    if role in ("investigator", "admin"):
        actor = f"user:{User.objects.get(username=f'matrix-{role}').pk}"
        mine = [
            (e.action, e.object, e.actor)
            for e in open_ledger().entries()[before:]
            if e.action in ("evidence.downloaded", "bag.exported")
        ]
        assert mine == [
            ("evidence.downloaded", f"sha256:{world.published.sha256}", actor),
            ("evidence.downloaded", f"sha256:{world.unpublished.sha256}", actor),
            ("bag.exported", f"site:{SITE}", actor),
        ]
    else:
        assert not [t for t in taken if t[0] in ("evidence.downloaded", "bag.exported")]
