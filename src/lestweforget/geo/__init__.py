"""Coordinates and their text forms, map links, distance and direction, generalising, H3 cells. No Django."""

from __future__ import annotations

from lestweforget.geo.cells import cells_within, h3_cell, h3_centre, h3_latitude_span_deg, h3_parent
from lestweforget.geo.decimal_degrees import format_decimal, format_degrees, parse_decimal
from lestweforget.geo.distance import (
    COMPASS_NAMES_EN,
    Offset,
    compass_point,
    describe_offset,
    distance_m,
    initial_bearing_deg,
)
from lestweforget.geo.dms import format_ddm, format_dms
from lestweforget.geo.errors import GeoError
from lestweforget.geo.generalise import GridCell, generalise, grid_cell
from lestweforget.geo.geo_uri import parse_geo_uri, to_geo_uri
from lestweforget.geo.location import SAME_POINT_M, parse_location
from lestweforget.geo.location_forms import Form, LocationForms, location_forms
from lestweforget.geo.maplinks import (
    apple_directions_url,
    apple_maps_url,
    google_directions_url,
    google_maps_url,
    osm_directions_url,
    osm_url,
    parse_map_link,
    read_map_link,
)
from lestweforget.geo.mentions import Mention, Mentions, find_mentions
from lestweforget.geo.military_grid import from_mgrs, normalise_mgrs, to_mgrs, truncate_mgrs
from lestweforget.geo.parse_text import parse_coordinates, read_coordinates
from lestweforget.geo.plus_code import PlusCodeArea, from_plus_code, plus_code_area, to_plus_code
from lestweforget.geo.point import LatLon, ParsedLocation
from lestweforget.geo.precision import (
    FULL,
    Precision,
    distance_step_m,
    precision_for_radius,
    rounded_distance_m,
    rounded_point,
)
from lestweforget.geo.short_links import (
    CodedPoint,
    decode_ge0,
    decode_geohash,
    decode_osm_shortlink,
    encode_ge0,
    encode_osm_shortlink,
)
from lestweforget.geo.sk42 import SK42, format_sk42, from_sk42, parse_sk42, sk42_zone, to_sk42
from lestweforget.geo.utm import from_utm, to_utm

__all__ = [
    "COMPASS_NAMES_EN",
    "FULL",
    "SAME_POINT_M",
    "SK42",
    "CodedPoint",
    "Form",
    "GeoError",
    "GridCell",
    "LatLon",
    "LocationForms",
    "Mention",
    "Mentions",
    "Offset",
    "ParsedLocation",
    "PlusCodeArea",
    "Precision",
    "apple_directions_url",
    "apple_maps_url",
    "cells_within",
    "compass_point",
    "decode_ge0",
    "decode_geohash",
    "decode_osm_shortlink",
    "describe_offset",
    "distance_m",
    "distance_step_m",
    "encode_ge0",
    "encode_osm_shortlink",
    "find_mentions",
    "format_ddm",
    "format_decimal",
    "format_degrees",
    "format_dms",
    "format_sk42",
    "from_mgrs",
    "from_plus_code",
    "from_sk42",
    "from_utm",
    "generalise",
    "google_directions_url",
    "google_maps_url",
    "grid_cell",
    "h3_cell",
    "h3_centre",
    "h3_latitude_span_deg",
    "h3_parent",
    "initial_bearing_deg",
    "location_forms",
    "normalise_mgrs",
    "osm_directions_url",
    "osm_url",
    "parse_coordinates",
    "parse_decimal",
    "parse_geo_uri",
    "parse_location",
    "parse_map_link",
    "parse_sk42",
    "plus_code_area",
    "precision_for_radius",
    "read_coordinates",
    "read_map_link",
    "rounded_distance_m",
    "rounded_point",
    "sk42_zone",
    "to_geo_uri",
    "to_mgrs",
    "to_plus_code",
    "to_sk42",
    "to_utm",
    "truncate_mgrs",
]
