"""Routes and boxes that meet ±180° longitude, drawn the way RFC 7946 §3.1.9 and §5.2 ask."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import pairwise

from .features import TrackPoint


def split_at_antimeridian(points: Sequence[TrackPoint]) -> tuple[tuple[TrackPoint, ...], ...]:
    """Cut a route into parts wherever a step crosses ±180°, each cut ending and starting on the meridian.

    A step crosses when its longitudes differ by more than 180°: a walked route takes the short way round.
    Latitude, elevation and time of the point on the meridian are interpolated along the step.
    """
    if not points:
        return ()
    parts: list[list[TrackPoint]] = [[points[0]]]
    previous = points[0]
    for point in points[1:]:
        step = point.longitude - previous.longitude
        if abs(step) == 360:
            # -180° and 180° are one meridian: the same place, so spell it as the route already does.
            point = replace(point, longitude=previous.longitude)
        elif abs(step) > 180:
            meridian = 180.0 if step < 0 else -180.0
            unwrapped = point.longitude + 2 * meridian
            fraction = (meridian - previous.longitude) / (unwrapped - previous.longitude)
            crossing = _between(previous, point, fraction)
            if fraction > 0:
                parts[-1].append(replace(crossing, longitude=meridian))
            parts.append([replace(crossing, longitude=-meridian)])
            if fraction < 1:
                parts[-1].append(point)
            previous = parts[-1][-1]
            continue
        parts[-1].append(point)
        previous = point
    # A part of one point is a point that sits on the meridian and is repeated by its neighbour part.
    return tuple(tuple(part) for part in parts if len(part) >= 2)


def longitude_extent(intervals: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
    """The narrowest (west, east) span holding every (low, high) longitude; west > east when it crosses ±180°.

    Each interval is a point (low == high) or a straight segment of a line as written in GeoJSON; a span never
    crosses the antimeridian unless that makes it narrower (the Fiji example of RFC 7946 §5.2).
    """
    merged: list[list[float]] = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    if not merged:
        return None
    west, east = merged[0][0], merged[-1][1]
    widest_gap = merged[0][0] + 360 - merged[-1][1]
    for before, after in pairwise(merged):
        gap = after[0] - before[1]
        if gap > widest_gap:
            widest_gap = gap
            west, east = after[0], before[1]
    return west, east


def _between(start: TrackPoint, end: TrackPoint, fraction: float) -> TrackPoint:
    """The point `fraction` of the way along a step (longitude left for the caller to set on the meridian)."""
    elevation_m = None
    if start.elevation_m is not None and end.elevation_m is not None:
        elevation_m = start.elevation_m + (end.elevation_m - start.elevation_m) * fraction
    time = None
    if start.time is not None and end.time is not None:
        time = start.time + (end.time - start.time) * fraction
    return TrackPoint(
        latitude=start.latitude + (end.latitude - start.latitude) * fraction,
        longitude=start.longitude,
        time=time,
        elevation_m=elevation_m,
    )
