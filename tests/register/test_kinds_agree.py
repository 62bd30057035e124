"""The pure `datasets` library cannot import Django, so it keeps its own lists of site and event kinds; they must be
exactly the atlas models' choices, or a mapping could name a kind the database refuses (or miss a new one)."""

from __future__ import annotations

from lestweforget.atlas.models import Event, Site
from lestweforget.datasets.mapping import EVENT_KINDS, SITE_KINDS


def test_the_datasets_kinds_are_the_models_kinds() -> None:
    assert set(SITE_KINDS) == set(Site.Kind.values)
    assert set(EVENT_KINDS) == set(Event.Kind.values)


def test_the_datasets_length_limits_are_the_models_max_lengths() -> None:
    from lestweforget.atlas.models import SiteName, Source
    from lestweforget.datasets.mapping import PUBLISHER_LIMIT
    from lestweforget.datasets.rows import FIELD_LIMITS, NAME_LIMIT
    from lestweforget.register.models import ImportedRow

    def max_length(model: type, name: str) -> int:
        return model._meta.get_field(name).max_length  # type: ignore[attr-defined, no-any-return]

    assert {
        "external_id": max_length(ImportedRow, "external_id"),
        "category": max_length(ImportedRow, "category"),
        "url": max_length(Source, "url"),
        "place": max_length(ImportedRow, "place"),
        "region": max_length(ImportedRow, "region"),
    } == FIELD_LIMITS
    assert PUBLISHER_LIMIT == max_length(Source, "publisher") == max_length(Source, "publisher_uk")
    # A name is cut shorter than every field it fills.
    assert (
        min(max_length(SiteName, "name"), max_length(Event, "title_en"), max_length(ImportedRow, "title")) >= NAME_LIMIT
    )
