"""A point known only within a radius is written no finer than the radius allows, in every form."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lestweforget import geo
from lestweforget.geo.precision import METRES_PER_DEGREE, METRES_PER_MINUTE, METRES_PER_SECOND

POINT = geo.LatLon(49.2146232280527, 37.25694)


@given(st.floats(min_value=1.0, max_value=500_000.0))
def test_each_form_s_last_digit_is_the_coarsest_step_not_larger_than_the_radius(radius_m: float) -> None:
    precision = geo.precision_for_radius(radius_m)
    decimal_step = METRES_PER_DEGREE / 10**precision.decimal_places
    assert decimal_step <= radius_m or precision.decimal_places == 6
    assert precision.decimal_places == 0 or decimal_step * 10 > radius_m
    mgrs_step = 10 ** (5 - precision.mgrs_digits)
    assert mgrs_step <= radius_m < mgrs_step * 10 or precision.mgrs_digits in (0, 5)
    assert precision.sk42_step_m <= radius_m < precision.sk42_step_m * 10
    if precision.dms_seconds_places is None:
        assert radius_m >= METRES_PER_MINUTE
    elif precision.dms_seconds_places == 0:
        assert METRES_PER_SECOND <= radius_m < METRES_PER_MINUTE


def test_a_point_within_2_km_is_written_to_about_a_kilometre() -> None:
    forms = geo.location_forms(POINT, 2000, geo.precision_for_radius(2000))
    assert forms.decimal.value == "49.21, 37.26"
    assert forms.dms.value == "49°13′N 37°15′E"
    assert forms.mgrs.value == "37U CQ 73 52"
    assert forms.plus_code.value == "8GXV6774+"
    assert forms.sk42.value.endswith("000") and re.fullmatch(r"X \d \d{3} 000, Y \d \d{3} 000", forms.sk42.value)
    assert forms.geo_uri.value == "geo:49.21,37.26;u=2000"
    # Map links carry no more digits than the forms beside them.
    assert "49.214623" not in forms.osm_url.value and "49.21" in forms.osm_url.value


def test_full_precision_is_unchanged_for_a_point_known_to_the_metre() -> None:
    assert geo.location_forms(POINT, 3) == geo.location_forms(POINT, 3, geo.FULL)
    assert geo.location_forms(POINT, 3).decimal.value == "49.214623, 37.256940"


@pytest.mark.parametrize(
    ("radius_m", "step_m"), [(0, 500), (300, 500), (500, 500), (710, 1000), (1420, 2000), (2000, 2000), (2001, 5000)]
)
def test_distances_are_told_in_steps_never_finer_than_the_radius_nor_than_500_m(radius_m: float, step_m: int) -> None:
    assert geo.distance_step_m(radius_m) == step_m
    assert geo.rounded_distance_m(375, radius_m) % step_m == 0


@pytest.mark.parametrize("radius_m", [0.0, -1.0, float("nan"), float("inf")])
def test_a_radius_that_is_not_a_positive_number_is_refused(radius_m: float) -> None:
    with pytest.raises(geo.GeoError, match="radius"):
        geo.precision_for_radius(radius_m)
