"""Short links whose code is the point itself, so they read offline without following any redirect.

- OpenStreetMap's "osm.org/go/0GAjIv8h": a Morton code of the map view, its length the zoom
  (https://wiki.openstreetmap.org/wiki/Shortlink), through the `osm-shortlink` package. The point is the
  corner of the code's cell, as openstreetmap.org itself decodes and shows it.
- CoMaps', Organic Maps' and MAPS.ME's "ge0" links ("comaps.at/ItdwBgeWW1/Hereford", "omaps.app/...",
  "ge0.me/...", "ge0://..."): one character of zoom, then up to nine of latitude and longitude bits interleaved
  three by three in a URL-safe base64 alphabet (organicmaps/organicmaps, libs/ge0: url_generator.cpp and
  parser.cpp). The point is the centre of the code's cell, as those apps decode it.
- Waze's "waze.com/ul/h<geohash>": a standard Geohash, through `pygeohash`; the point is the cell's centre.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pygeohash
from osm_shortlink import shortlink_decode, shortlink_encode

from lestweforget.geo.errors import GeoError
from lestweforget.geo.point import LatLon

_GE0_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_GE0_POINT_CHARS = 9
_GE0_MAX_POINT_CHARS = 10
_GE0_BITS = 3 * _GE0_MAX_POINT_CHARS
_GE0_MAX = (1 << _GE0_BITS) - 1
_GE0_CODE = re.compile(rf"[{re.escape(_GE0_ALPHABET)}]{{2,{1 + _GE0_MAX_POINT_CHARS}}}")
# What the apps put in a link: one zoom character and nine of the point.
GE0_LINK_CODE = re.compile(rf"[{re.escape(_GE0_ALPHABET)}]{{{1 + _GE0_POINT_CHARS}}}")

# "~" (once "@") carries six bits; trailing "-" (once "=") lower the zoom by one each.
_OSM_CODE = re.compile(r"[A-Za-z0-9_~@]+[-=]{0,2}")
_GEOHASH = re.compile(r"[0-9b-hjkmnp-z]{1,12}")


@dataclass(frozen=True)
class CodedPoint:
    """The point a short link's code names and the map zoom the code carries."""

    point: LatLon
    zoom: float


def decode_osm_shortlink(code: str) -> CodedPoint:
    """The point and zoom of an OpenStreetMap short link code ("0GAjIv8h"); refuses foreign characters."""
    if _OSM_CODE.fullmatch(code) is None:
        raise GeoError(f"{code!r}: not an OpenStreetMap short link code (letters, digits, _ and ~, then - or =)")
    try:
        lon, lat, zoom = shortlink_decode(code)
    except ValueError as error:
        raise GeoError(f"{code!r}: not an OpenStreetMap short link code ({error})") from error
    return CodedPoint(LatLon.normalised(lat, lon), zoom)


def encode_osm_shortlink(p: LatLon, zoom: int = 16) -> str:
    """The OpenStreetMap short link code of `p` at `zoom` (0..22)."""
    if not 0 <= zoom <= 22:
        raise GeoError(f"OpenStreetMap short link zoom {zoom!r} is outside 0..22")
    code: str = shortlink_encode(p.lon, p.lat, zoom)
    return code


def decode_ge0(code: str) -> CodedPoint:
    """The point and zoom of a ge0 code ("ItdwBgeWW1"); refuses codes of other lengths or characters."""
    if _GE0_CODE.fullmatch(code) is None:
        raise GeoError(
            f"{code!r}: not a CoMaps / Organic Maps / MAPS.ME short link code "
            f"(1 zoom and 1..{_GE0_MAX_POINT_CHARS} point characters of A-Z a-z 0-9 - _)"
        )
    zoom = _GE0_ALPHABET.index(code[0]) / 4 + 4
    lat_bits = lon_bits = 0
    shift = _GE0_BITS - 3
    for character in code[1:]:
        value = _GE0_ALPHABET.index(character)
        # Bits 5, 3, 1 of each character are latitude, bits 4, 2, 0 longitude, most significant first.
        lat_bits |= ((value >> 5 & 1) << 2 | (value >> 3 & 1) << 1 | (value >> 1 & 1)) << shift
        lon_bits |= ((value >> 4 & 1) << 2 | (value >> 2 & 1) << 1 | (value & 1)) << shift
        shift -= 3
    unused_bits = 3 * (_GE0_MAX_POINT_CHARS - len(code[1:]))
    if unused_bits:
        # The centre of the cell the code leaves open.
        lat_bits += 1 << (unused_bits - 1)
        lon_bits += 1 << (unused_bits - 1)
    lat = lat_bits / _GE0_MAX * 180.0 - 90.0
    lon = lon_bits / (_GE0_MAX + 1) * 360.0 - 180.0
    return CodedPoint(LatLon.normalised(min(lat, 90.0), lon), zoom)


def encode_ge0(p: LatLon, zoom: float = 16.0) -> str:
    """The ten-character ge0 code of `p` at `zoom` (4..19.75 in quarter steps), as the apps write it."""
    zoom_value = 0 if zoom <= 4 else 63 if zoom >= 19.75 else int((zoom - 4) * 4)
    lat_bits = min(max(round((p.lat + 90.0) / 180.0 * _GE0_MAX), 0), _GE0_MAX)
    lon = (p.lon + 180.0) % 360.0 - 180.0
    lon_bits = int((lon + 180.0) / 360.0 * (_GE0_MAX + 1) + 0.5)
    if lon_bits > _GE0_MAX:
        lon_bits = 0
    characters = [_GE0_ALPHABET[zoom_value]]
    for shift in range(_GE0_BITS - 3, _GE0_BITS - 3 * (_GE0_POINT_CHARS + 1), -3):
        lat3, lon3 = lat_bits >> shift & 7, lon_bits >> shift & 7
        value = (
            (lat3 >> 2 & 1) << 5
            | (lon3 >> 2 & 1) << 4
            | (lat3 >> 1 & 1) << 3
            | (lon3 >> 1 & 1) << 2
            | (lat3 & 1) << 1
            | (lon3 & 1)
        )
        characters.append(_GE0_ALPHABET[value])
    return "".join(characters)


def decode_geohash(code: str) -> CodedPoint:
    """The centre of a Geohash cell ("u8pvzwbp"); the zoom is a map zoom that shows about one cell."""
    if _GEOHASH.fullmatch(code) is None:
        raise GeoError(f"{code!r}: not a Geohash (1..12 characters of 0-9 and b-z without i, l, o)")
    centre = pygeohash.decode(code)
    return CodedPoint(LatLon.normalised(centre.latitude, centre.longitude), 2.5 * len(code))
