"""Coordinates and their text forms, map links, distance and direction, generalising, H3 cells. No Django."""

from __future__ import annotations

from lestweforget.geo.cells import cells_within, h3_cell, h3_centre
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
from lestweforget.geo.geo_uri import ParsedLocation, parse_geo_uri, to_geo_uri
from lestweforget.geo.location import parse_location
from lestweforget.geo.maplinks import (
    apple_directions_url,
    apple_maps_url,
    google_directions_url,
    google_maps_url,
    osm_directions_url,
    osm_url,
    parse_map_link,
)
from lestweforget.geo.military_grid import from_mgrs, normalise_mgrs, to_mgrs, truncate_mgrs
from lestweforget.geo.parse_text import parse_coordinates
from lestweforget.geo.plus_code import PlusCodeArea, from_plus_code, plus_code_area, to_plus_code
from lestweforget.geo.point import LatLon
from lestweforget.geo.sk42 import SK42, format_sk42, from_sk42, parse_sk42, sk42_zone, to_sk42

__all__ = [
    "COMPASS_NAMES_EN",
    "SK42",
    "GeoError",
    "GridCell",
    "LatLon",
    "Offset",
    "ParsedLocation",
    "PlusCodeArea",
    "apple_directions_url",
    "apple_maps_url",
    "cells_within",
    "compass_point",
    "describe_offset",
    "distance_m",
    "format_ddm",
    "format_decimal",
    "format_degrees",
    "format_dms",
    "format_sk42",
    "from_mgrs",
    "from_plus_code",
    "from_sk42",
    "generalise",
    "google_directions_url",
    "google_maps_url",
    "grid_cell",
    "h3_cell",
    "h3_centre",
    "initial_bearing_deg",
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
    "sk42_zone",
    "to_geo_uri",
    "to_mgrs",
    "to_plus_code",
    "to_sk42",
    "truncate_mgrs",
]
