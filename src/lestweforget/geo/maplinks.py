"""Map links both ways: reading a point out of Google, OpenStreetMap, Apple and Yandex links and `geo:` URIs,
and building links that open a point, or directions to it, in those apps.

Where a link holds both a marked place and a map view, the place wins: the view is only where the map was
looking. Short links (goo.gl, maps.app.goo.gl, osm.org/go) hide their point behind a redirect and are refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Final
from urllib.parse import SplitResult, parse_qs, quote, unquote, unquote_plus, urlencode, urlsplit

from lestweforget.geo.decimal_degrees import format_degrees
from lestweforget.geo.errors import GeoError
from lestweforget.geo.geo_uri import parse_geo_uri
from lestweforget.geo.parse_text import parse_coordinates
from lestweforget.geo.point import LatLon

_NUM: Final = r"[+-]?\d+(?:\.\d+)?"
_PAIR: Final = re.compile(rf"\s*({_NUM})\s*,\s*({_NUM})\s*")
_GOOGLE_DATA_PIN: Final = re.compile(rf"!3d({_NUM})!4d({_NUM})")
_GOOGLE_VIEW: Final = re.compile(rf"/@({_NUM}),({_NUM})(?:,|$|/)")
_OSM_MAP_FRAGMENT: Final = re.compile(rf"(?:^|&)map=\d+(?:\.\d+)?/({_NUM})/({_NUM})")
_SHORT_LINK_HOSTS: Final = ("goo.gl", "maps.app.goo.gl", "g.co", "osm.org/go", "yandex.ru/maps/-", "ya.cc")

Query = Mapping[str, list[str]]


def _link_error(service: str, url: str, why: str) -> GeoError:
    return GeoError(f"{service} link has no coordinates ({why}): {url}")


def _point(service: str, url: str, lat: str, lon: str) -> LatLon:
    try:
        return LatLon(float(lat), float(lon))
    except GeoError as error:
        raise GeoError(f"{service} link {url}: {error}") from error


def _pair(service: str, url: str, value: str, lon_first: bool = False) -> LatLon | None:
    """A "lat,lon" (or Yandex's "lon,lat") value as a point, or None when the value is not two numbers."""
    match = _PAIR.fullmatch(unquote_plus(value).removeprefix("loc:"))
    if match is None:
        return None
    first, second = match.group(1), match.group(2)
    return _point(service, url, second, first) if lon_first else _point(service, url, first, second)


def _only(query: Query, name: str) -> str | None:
    values = query.get(name, [])
    return values[-1] if values else None


def _google(url: str, link: SplitResult, query: Query) -> LatLon:
    service = "Google Maps"
    path = link.path
    pins = {match.groups() for match in _GOOGLE_DATA_PIN.finditer(unquote(path))}
    if len(pins) > 1:
        raise GeoError(f"{service} link marks {len(pins)} different places, cannot tell which: {url}")
    if pins:
        lat, lon = pins.pop()
        return _point(service, url, lat, lon)
    has_name = False
    for name in ("query", "q", "destination", "daddr"):
        value = _only(query, name)
        if value:
            found = _pair(service, url, value)
            if found:
                return found
            has_name = True
    segments = path.split("/")
    if "dir" in segments:
        # "/maps/dir/<from>/<to>/@view/data=...": the last waypoint before the view is the destination.
        waypoints = segments[segments.index("dir") + 1 :]
        stops = [unquote_plus(w) for w in waypoints if w and not w.startswith(("@", "data="))]
        if stops:
            try:
                return parse_coordinates(stops[-1])
            except GeoError:
                has_name = True
    for marker in ("search", "place"):
        if marker in segments[:-1]:
            text = unquote_plus(segments[segments.index(marker) + 1])
            if text and text[0] != "@":
                try:
                    return parse_coordinates(text)
                except GeoError:
                    has_name = True
    for name in ("ll", "center", "sll"):
        value = _only(query, name)
        found = _pair(service, url, value) if value else None
        if found:
            return found
    view = _GOOGLE_VIEW.search(path)
    if view:
        return _point(service, url, view.group(1), view.group(2))
    raise _link_error(service, url, "a place name only" if has_name else "no point in it")


def _openstreetmap(url: str, link: SplitResult, query: Query) -> LatLon:
    service = "OpenStreetMap"
    marker_lat, marker_lon = _only(query, "mlat"), _only(query, "mlon")
    if marker_lat and marker_lon:
        return _point(service, url, marker_lat, marker_lon)
    route = _only(query, "route")
    if route is not None:
        destination = route.split(";")[-1]
        found = _pair(service, url, destination) if destination else None
        if found is None:
            raise _link_error(service, url, "a route without a destination point")
        return found
    view = _OSM_MAP_FRAGMENT.search(link.fragment)
    if view:
        return _point(service, url, view.group(1), view.group(2))
    lat, lon = _only(query, "lat"), _only(query, "lon")
    if lat and lon:
        return _point(service, url, lat, lon)
    if re.match(r"/(node|way|relation)/", link.path):
        raise _link_error(service, url, "a link to a map object, not to a point")
    raise _link_error(service, url, "no point in it")


def _apple(url: str, link: SplitResult, query: Query) -> LatLon:
    service = "Apple Maps"
    has_name = False
    for name in ("daddr", "coordinate", "q", "ll", "sll", "center"):
        value = _only(query, name)
        if value:
            found = _pair(service, url, value)
            if found:
                return found
            has_name = True
    raise _link_error(service, url, "a place name only" if has_name else "no point in it")


def _yandex(url: str, link: SplitResult, query: Query) -> LatLon:
    service = "Yandex Maps"
    placemarks = _only(query, "pt")
    if placemarks:
        points = placemarks.split("~")
        if len(points) > 1:
            raise GeoError(f"{service} link marks {len(points)} places, cannot tell which: {url}")
        # A placemark is "lon,lat" or "lon,lat,style".
        found = _pair(service, url, ",".join(points[0].split(",")[:2]), lon_first=True)
        if found:
            return found
    point_here = _only(query, "whatshere[point]")
    found = _pair(service, url, point_here, lon_first=True) if point_here else None
    if found:
        return found
    route = _only(query, "rtext")
    if route:
        # Unlike every other Yandex parameter, route points are "lat,lon".
        found = _pair(service, url, route.split("~")[-1])
        if found is None:
            raise _link_error(service, url, "a route without a destination point")
        return found
    centre = _only(query, "ll")
    found = _pair(service, url, centre, lon_first=True) if centre else None
    if found:
        return found
    why = "a search or an organisation only" if "text" in query or "/org/" in link.path else "no point in it"
    raise _link_error(service, url, why)


def _is_google(host: str, path: str) -> bool:
    is_google_domain = re.fullmatch(r"(?:www\.|maps\.)?google(?:\.com?)?\.[a-z]{2,3}", host) is not None
    return is_google_domain and (host.startswith("maps.") or path.startswith("/maps"))


def _reader(host: str, path: str) -> Callable[[str, SplitResult, Query], LatLon] | None:
    if _is_google(host, path):
        return _google
    if host in ("openstreetmap.org", "www.openstreetmap.org", "osm.org"):
        return _openstreetmap
    if host == "maps.apple.com":
        return _apple
    if re.fullmatch(r"(?:www\.)?yandex\.(?:ru|ua|com|by|kz|com\.tr|uz)", host) and path.startswith("/maps"):
        return _yandex
    return None


def parse_map_link(url: str) -> LatLon:
    """The point a map link shows; refuses links without coordinates, short links and unknown services."""
    text = url.strip()
    if text[:4].lower() == "geo:":
        return parse_geo_uri(text).point
    if not re.match(r"[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    address = host + parts.path
    if any(address.startswith(short) for short in _SHORT_LINK_HOSTS):
        raise GeoError(f"short link hides its coordinates behind a redirect; open it and copy the full link: {url}")
    reader = _reader(host, parts.path)
    if reader is None:
        raise GeoError(
            f"not a map link this atlas reads (Google Maps, OpenStreetMap, Apple Maps, Yandex Maps, geo:): {url}"
        )
    query = parse_qs(parts.query, keep_blank_values=True)
    return reader(url.strip(), parts, query)


def _lat_lon(p: LatLon) -> str:
    return f"{format_degrees(p.lat)},{format_degrees(p.lon)}"


def osm_url(p: LatLon, zoom: int = 16) -> str:
    """An openstreetmap.org link with a marker on `p`; refuses zooms outside 0..20."""
    if not 0 <= zoom <= 20:
        raise GeoError(f"OpenStreetMap zoom {zoom!r} is outside 0..20")
    lat, lon = format_degrees(p.lat), format_degrees(p.lon)
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map={zoom}/{lat}/{lon}"


def osm_directions_url(to: LatLon, from_: LatLon | None = None) -> str:
    """OpenStreetMap directions to `to`, from `from_` or, without it, from wherever the reader chooses."""
    route = f"{_lat_lon(from_) if from_ else ''};{_lat_lon(to)}"
    return f"https://www.openstreetmap.org/directions?{urlencode({'route': route})}"


def google_maps_url(p: LatLon) -> str:
    """A Google Maps link (the documented `api=1` form) with a pin on `p`."""
    return f"https://www.google.com/maps/search/?api=1&query={_lat_lon(p)}"


def google_directions_url(to: LatLon, from_: LatLon | None = None) -> str:
    """Google Maps directions to `to`, from `from_` or, without it, from the reader's own position."""
    url = f"https://www.google.com/maps/dir/?api=1&destination={_lat_lon(to)}"
    return f"{url}&origin={_lat_lon(from_)}" if from_ else url


def apple_maps_url(p: LatLon, name: str | None = None) -> str:
    """An Apple Maps link with a pin on `p`, labelled `name` when given."""
    label = quote(name, safe="") if name else _lat_lon(p)
    return f"https://maps.apple.com/?ll={_lat_lon(p)}&q={label}"


def apple_directions_url(to: LatLon) -> str:
    """Apple Maps directions to `to` from the reader's own position."""
    return f"https://maps.apple.com/?daddr={_lat_lon(to)}"
