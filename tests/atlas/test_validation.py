"""Editors get a clear message for each bad value, and nothing stored changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client

from accounts import sign_in
from lestweforget.atlas.models import Claim, ClaimSubject, Event, Site, Source


@pytest.fixture
def editor(client: Client, db: None) -> Client:
    sign_in(client, User.objects.create_superuser("editor", "editor@example.org", "a long passphrase 42"))
    return client


def _site_form(**overrides: str) -> dict[str, str]:
    form = {
        "slug": "new-site",
        "kind": "memorial",
        "summary_en": "A memorial.",
        "latitude": "49.1",
        "longitude": "37.1",
        "uncertainty_m": "50",
        "sensitivity": "public",
        "generalise_m": "1000",
    }
    for prefix in ("names", "approach", "statuses", "claims"):
        form.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    form.update(overrides)
    return form


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("latitude", "95.1", "Latitude 95.1 is outside -90..90."),
        ("longitude", "-181", "Longitude -181.0 is outside -180..180."),
        ("uncertainty_m", "0", "Uncertainty must be more than 0 metres"),
    ],
)
def test_admin_rejects_a_bad_location_with_a_message_naming_it(
    editor: Client, field: str, value: str, message: str
) -> None:
    response = editor.post("/admin/atlas/site/add/", _site_form(**{field: value}))
    assert response.status_code == 200  # the form is shown again
    assert message in response.content.decode()
    assert not Site.objects.filter(slug="new-site").exists()


def test_admin_saves_a_good_site_and_derives_its_public_point(editor: Client) -> None:
    response = editor.post("/admin/atlas/site/add/", _site_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    site = Site.objects.get(slug="new-site")
    assert (site.public_latitude, site.public_longitude) == (49.1, 37.1)
    assert site.h3_r7


def test_a_date_in_the_future_is_refused(demo: object) -> None:
    event = Event.objects.filter(site__isnull=False).first()
    assert event is not None
    event.date = dt.date.today() + dt.timedelta(days=3)
    with pytest.raises(ValidationError, match="is in the future"):
        event.full_clean()


def test_a_claim_must_cite_a_source(demo: object) -> None:
    claim = Claim(site=Site.objects.first(), subject=ClaimSubject.objects.first(), value="1")
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "A claim must cite a source." in error.value.message_dict["source"]


def test_an_event_needs_exactly_one_owner(demo: object) -> None:
    event = Event(kind="other", date=dt.date(2022, 1, 1), title_en="x")
    with pytest.raises(ValidationError, match="either a site or a settlement"):
        event.full_clean()


def test_a_source_cannot_be_deleted_while_a_claim_cites_it(demo: object) -> None:
    from django.db.models import ProtectedError

    source = Source.objects.filter(claim__isnull=False).first()
    with pytest.raises(ProtectedError):
        source.delete()
    assert Source.objects.filter(pk=source.pk).exists()
