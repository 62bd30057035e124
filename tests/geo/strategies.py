"""Hypothesis strategies for the geo tests: valid points, and points inside the MGRS and SK-42 domains."""

from __future__ import annotations

from hypothesis import strategies as st

from lestweforget.geo import LatLon

latitudes = st.floats(min_value=-90, max_value=90, allow_nan=False)
longitudes = st.floats(min_value=-180, max_value=180, allow_nan=False)
points = st.builds(LatLon, latitudes, longitudes)

# UTM's latitude span; beyond it MGRS switches to the polar UPS grid, tested separately.
utm_points = st.builds(LatLon, st.floats(min_value=-80, max_value=84), longitudes)

# SK-42 zones 2..32: 6°E eastward across the antimeridian to 168°W, at Pulkovo 1942's latitudes (EPSG:4284).
sk42_longitudes = st.one_of(
    st.floats(min_value=6, max_value=180, exclude_max=True),
    st.floats(min_value=-180, max_value=-168, exclude_max=True),
)
sk42_points = st.builds(LatLon, st.floats(min_value=35.14, max_value=81.91), sk42_longitudes)
