"""The collection every format test writes: Izium, a southern-western point, one by ±180°, a walk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from lestweforget.exports import Collection, PlaceFeature, Track, TrackPoint

KYIV_SUMMER = timezone(timedelta(hours=3))

IZIUM_NAME = "Масове поховання в Ізюмі"
IZIUM_DESCRIPTION = (
    "Pine forest by the Pishchanske cemetery.\n"
    'Crosses marked with "numbers" < 500 & a few names.\n'
    "447 bodies exhumed (September 2022)."
)
IZIUM_URL = "https://example.org/sites/izium-mass-burial/?lang=uk&view=map"
IZIUM_THUMBNAIL = "https://example.org/media/izium-forest-320.jpg"

IZIUM = PlaceFeature(
    id="izium-mass-burial",
    name=IZIUM_NAME,
    latitude=49.220922,
    longitude=37.244553,
    kind="mass_grave",
    description=IZIUM_DESCRIPTION,
    url=IZIUM_URL,
    uncertainty_m=300.0,
    time=datetime(2022, 9, 16, 10, 30, tzinfo=KYIV_SUMMER),
    thumbnail_url=IZIUM_THUMBNAIL,
    properties={
        "settlement": "Ізюм",
        "bodies_exhumed": 447,
        "location_generalised": False,
        "offset_m": -12.5,
        "note": '=HYPERLINK("https://evil.example","click")',
    },
)

SOUTH_WEST = PlaceFeature(
    id="south-west-test-point",
    name="Southern and western test point",
    latitude=-33.9,
    longitude=-70.6,
    kind="memorial",
    description="-1 is not a formula here",
    uncertainty_m=25.0,
)

BY_ANTIMERIDIAN = PlaceFeature(
    id="antimeridian-test-point",
    name="Near the antimeridian",
    latitude=-17.8,
    longitude=179.95,
    kind="other",
)

WALK = Track(
    name="Walk from the road to the graves",
    description="Along the forest track,\nthen on foot.",
    points=(
        TrackPoint(49.219801, 37.241102, datetime(2022, 9, 16, 7, 0, tzinfo=UTC), 102.0),
        TrackPoint(49.220410, 37.243020, datetime(2022, 9, 16, 7, 6, 30, tzinfo=UTC), 104.5),
        TrackPoint(49.220922, 37.244553, datetime(2022, 9, 16, 7, 12, tzinfo=UTC), 106.0),
    ),
)

GENERATED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def collection() -> Collection:
    return Collection(
        title="Lest We Forget: test atlas — Ізюм",
        description="Test places for the exporters.\nNot real records, apart from Izium.",
        url="https://example.org/atlas/?a=1&b=2",
        generated_at=GENERATED_AT,
        features=(IZIUM, SOUTH_WEST, BY_ANTIMERIDIAN),
        tracks=(WALK,),
    )


@pytest.fixture
def empty_collection() -> Collection:
    return Collection(title="Nothing yet", features=())
