"""The editors' site list finds a site by its name in any script and common spelling, through the same name search
as the atlas (the admin found "Изюм" but not "Izyum", the spelling of the demo's own dataset), and by exact slug."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts import account, sign_in
from lestweforget.atlas import filters
from lestweforget.atlas.models import Site

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/atlas/site/"


@pytest.fixture
def editor(client: Client) -> Client:
    return sign_in(client, account("editor"))


def _listed(editor: Client, term: str) -> set[str]:
    response = editor.get(CHANGELIST, {"q": term})
    assert response.status_code == 200
    return {site.slug for site in response.context["cl"].result_list}


@pytest.mark.parametrize("spelling", ["Izium", "Izyum", "Izum", "Ізюм", "Изюм", "Ізюмі", "izyum forest"])
def test_every_spelling_finds_the_site(editor: Client, places: dict[str, Site], spelling: str) -> None:
    assert _listed(editor, spelling) == {"test-izium"}


def test_an_exact_slug_finds_its_site_and_unpublished_ones_are_found_too(
    editor: Client, places: dict[str, Site]
) -> None:
    places["bucha"].is_published = False
    places["bucha"].save()
    assert _listed(editor, "test-bucha") == {"test-bucha"}
    assert _listed(editor, "Буча") == {"test-bucha"}


def test_an_unreadable_search_says_why_and_lists_nothing(editor: Client, places: dict[str, Site]) -> None:
    response = editor.get(CHANGELIST, {"q": "x" * (filters.MAX_QUERY_CHARS + 1)}, follow=True)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    assert f"at most {filters.MAX_QUERY_CHARS} characters" in response.content.decode()
    assert Site.objects.count() == 3
