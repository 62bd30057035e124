"""The pure `datasets` library cannot import Django, so it keeps its own lists of site and event kinds; they must be
exactly the atlas models' choices, or a mapping could name a kind the database refuses (or miss a new one)."""

from __future__ import annotations

from lestweforget.atlas.models import Event, Site
from lestweforget.datasets.mapping import EVENT_KINDS, SITE_KINDS


def test_the_datasets_kinds_are_the_models_kinds() -> None:
    assert set(SITE_KINDS) == set(Site.Kind.values)
    assert set(EVENT_KINDS) == set(Event.Kind.values)
