"""Map links both ways: reading the point out of a map app's link, and building links that open a point, or
directions to it, in those apps.

Every place a link keeps free text (Google's `q=`, `query=`, `destination=`, Apple's `q=`, `destination=`,
`coordinate=`, OpenStreetMap's `query=` and `route=`, Yandex's `text=`, a `geo:` URI's `q=`, Bing's `where1=`,
...) goes to the one typed-coordinates reader (`parse_text`), so hemisphere letters, DMS with spaces, a
`(label)` after the point or an MGRS reference read in every link as they read typed alone. Parameters that
hold longitude first (Yandex, 2GIS) are labelled before they are handed over.

Where a link holds both a marked place and a map view, the place wins: the view is only where the map was
looking. A view's centre alone (Google's `/@lat,lon,12z`, OpenStreetMap's `#map=12/lat/lon`, Yandex's `ll=`,
Bing's `cp=`, ...) is not a pin: it is read with an uncertainty of half the width the view shows on a phone
screen (`VIEW_WIDTH_PX` Web Mercator pixels at that zoom) and a note saying so, and refused when that is more
than `MAX_VIEW_UNCERTAINTY_M` (a continent or a region, not a place).

Short links whose code is the point (osm.org/go, CoMaps / Organic Maps / MAPS.ME ge0, Waze) are decoded offline; short
links that hide the point behind a redirect (maps.app.goo.gl, maps.apple/p, ...) are refused with a message saying so.

Sources: Google Maps URLs (developers.google.com/maps/documentation/urls), Apple Map Links and "Adopting unified Maps
URLs" (iOS 18.4), the OpenStreetMap wiki (Browsing, Shortlink), Yandex Maps' URL parameters, Waze deep links, Bing
Maps' URL parameters, RFC 5870.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import SplitResult, parse_qs, quote, unquote, unquote_plus, urlencode, urlsplit

from lestweforget.geo.decimal_degrees import format_degrees
from lestweforget.geo.errors import GeoError, NotAMapLink, UnreadablePoint
from lestweforget.geo.geo_uri import parse_geo_uri
from lestweforget.geo.parse_text import names_a_place, parse_coordinates
from lestweforget.geo.point import LatLon, ParsedLocation
from lestweforget.geo.short_links import (
    GE0_LINK_CODE,
    CodedPoint,
    decode_ge0,
    decode_geohash,
    decode_osm_shortlink,
)

_NUM: Final = r"[+-]?\d+(?:\.\d+)?"
_GOOGLE_DATA_PIN: Final = re.compile(rf"!3d({_NUM})!4d({_NUM})")
# An embedded map's "pb" parameter holds its centre as !2d<longitude>!3d<latitude> (after !1d, the view's span).
_GOOGLE_EMBED_CENTRE: Final = re.compile(rf"!2d({_NUM})!3d({_NUM})")
_GOOGLE_VIEW: Final = re.compile(rf"/@({_NUM}),({_NUM})(?:,(\d+(?:\.\d+)?)([zm]))?(?:,|$|/)")
_OSM_MAP_FRAGMENT: Final = re.compile(r"(?:^|&)map=(\d+(?:\.\d+)?)/([^&]+)")
_TWO_NUMBERS: Final = re.compile(rf"\s*({_NUM})\s*,\s*({_NUM})\s*")
# Links whose point sits behind a redirect on the service's server: nothing offline can read them.
_REDIRECT_SHORT_LINKS: Final = (
    "goo.gl/",
    "maps.app.goo.gl/",
    "g.co/",
    "maps.apple/p/",
    "yandex.ru/maps/-/",
    "yandex.ua/maps/-/",
    "yandex.com/maps/-/",
    "ya.cc/",
    "go.2gis.com/",
    "mapy.cz/s/",
    "mapy.com/s/",
    "share.here.com/r/",
    "her.is/",
    "bit.ly/",
    "tinyurl.com/",
    "t.co/",
)
_GE0_HOSTS: Final = ("ge0.me", "omaps.app", "comaps.at", "comaps.app")
_GE0_SCHEMES: Final = ("ge0", "om", "mapsme", "mapswithme")
SERVICES: Final = (
    "Google Maps, OpenStreetMap, Apple Maps, Yandex Maps, 2GIS, Waze, Bing Maps, HERE WeGo, Mapy.cz, OsmAnd, "
    "Magic Earth, CoMaps / Organic Maps / MAPS.ME, geo:"
)

Query = Mapping[str, list[str]]

# A phone screen is about 412 CSS pixels wide; Web Mercator shows 156 543.03 m per pixel at zoom 0 on the
# equator, halving with each zoom level and shrinking with cos(latitude) (OpenStreetMap wiki, "Zoom levels").
VIEW_WIDTH_PX: Final = 412
_METRES_PER_PIXEL_AT_ZOOM_0: Final = 156_543.03392
# A view whose half-width is beyond this shows a region, not a place (about zoom 10 at Izium's latitude).
MAX_VIEW_UNCERTAINTY_M: Final = 25_000.0


def view_uncertainty_m(lat: float, zoom: float) -> float:
    """Half the ground width, in metres, a Web Mercator map at `zoom` shows across a phone screen at `lat`."""
    metres_per_pixel = _METRES_PER_PIXEL_AT_ZOOM_0 * math.cos(math.radians(lat)) / 2**zoom
    return VIEW_WIDTH_PX / 2 * metres_per_pixel


@dataclass(frozen=True)
class _Link:
    """A link being read: the service's name, the link as given, its parts and its decoded query."""

    service: str
    url: str
    parts: SplitResult
    query: Query

    def value(self, name: str) -> str | None:
        values = self.query.get(name, [])
        return values[-1] if values else None

    def error(self, why: str) -> GeoError:
        return GeoError(f"{self.service} link has no coordinates ({why}): {self.url}")

    def checked(self, lat: str, lon: str) -> LatLon:
        try:
            return LatLon(float(lat), float(lon))
        except GeoError as error:
            raise UnreadablePoint(f"{self.service} link {self.url}: {error}") from error
        except ValueError as error:  # float() of text that is not a number
            raise UnreadablePoint(f"{self.service} link {self.url}: {lat!r}, {lon!r} are not numbers") from error

    def view(self, centre: LatLon | None, zoom: str | None = None, span_m: str | None = None) -> ParsedLocation | None:
        """A map view's centre read as a point: with an uncertainty of half the width shown (from the zoom
        level, or from the span in metres Google's satellite view gives) and a note; refused when that is more
        than `MAX_VIEW_UNCERTAINTY_M`. None when there is no centre."""
        if centre is None:
            return None
        try:
            level = float(zoom) if zoom else None
            half_width = float(span_m) / 2 if span_m else None
        except ValueError:
            level = half_width = None
        if half_width is None and level is not None and math.isfinite(level):
            half_width = view_uncertainty_m(centre.lat, level)
        shown = f"zoom {level:g}" if level is not None else "a view"
        if half_width is None:
            note = f"{self.service} link: the centre of a map view, not a pin; its zoom is not given"
            return ParsedLocation(centre, read_as=f"{self.service} map view", notes=(note,))
        if half_width > MAX_VIEW_UNCERTAINTY_M:
            raise GeoError(
                f"{self.service} link shows a map view ({shown}, about {2 * half_width / 1000:,.0f} km across on a "
                f"phone), not a place: drop a pin on the place and share that link: {self.url}"
            )
        note = (
            f"{self.service} link: the centre of a map view ({shown}), not a pin; "
            f"uncertainty ± {half_width:,.0f} m is half the width it shows on a phone"
        )
        return ParsedLocation(centre, float(round(half_width)), read_as=f"{self.service} map view", notes=(note,))

    def text_point(self, text: str | None) -> LatLon | None:
        """The point free text names, read by the typed-coordinates reader; None when the text is empty or a
        place name. Text that looks like coordinates but is wrong (a latitude of 95) is refused."""
        if text is None:
            return None
        text = text.strip().removeprefix("loc:").strip()
        if not re.search(r"\d", text):
            return None
        try:
            return parse_coordinates(text)
        except GeoError as error:
            if names_a_place(text):
                return None
            raise UnreadablePoint(f"{self.service} link {self.url}: {error}") from error

    def lon_lat_point(self, text: str | None) -> LatLon | None:
        """A "lon,lat" value (Yandex, 2GIS): labelled, then read as typed text; None if not two parts."""
        if text is None:
            return None
        parts = text.split(",")
        if len(parts) != 2:
            return None
        return self.text_point(f"lon {parts[0]}, lat {parts[1]}")

    def first(self, *candidates: Callable[[], LatLon | ParsedLocation | None]) -> LatLon | ParsedLocation | None:
        for candidate in candidates:
            found = candidate()
            if found is not None:
                return found
        return None

    def has_text(self, *names: str) -> bool:
        return any(self.value(name) for name in names)


def _coded(link: _Link, kind: str, decode: Callable[[str], CodedPoint], code: str) -> ParsedLocation:
    try:
        coded = decode(code)
    except GeoError as error:
        raise GeoError(f"{link.service} link {link.url}: {error}") from error
    return ParsedLocation(coded.point, read_as=f"{link.service} {kind}")


def _google(link: _Link) -> LatLon | ParsedLocation:
    path = unquote(link.parts.path)
    pins = {match.groups() for match in _GOOGLE_DATA_PIN.finditer(path)}
    if len(pins) > 1:
        raise GeoError(f"{link.service} link marks {len(pins)} different places, cannot tell which: {link.url}")
    if pins:
        lat, lon = pins.pop()
        return link.checked(lat, lon)
    if "/maps/embed" in path and (centre := _GOOGLE_EMBED_CENTRE.search(link.value("pb") or "")):
        lon, lat = centre.groups()
        return link.checked(lat, lon)
    destination = link.value("daddr")
    # "daddr=A+to:B+to:C": the last stop is where the directions end.
    last_stop = destination.split("to:")[-1] if destination else None
    segments = [unquote_plus(segment) for segment in link.parts.path.split("/")]
    stops: list[str] = []
    if "dir" in segments:
        # "/maps/dir/<from>/<to>/@view/data=...": the last waypoint before the view is the destination.
        stops = [s for s in segments[segments.index("dir") + 1 :] if s and not s.startswith(("@", "data="))]
    zoom = link.value("zoom") or link.value("z")
    named = [
        segments[segments.index(marker) + 1]
        for marker in ("search", "place")
        if marker in segments[:-1] and not segments[segments.index(marker) + 1].startswith("@")
    ]
    found = link.first(
        lambda: link.text_point(link.value("query")),
        lambda: link.text_point(link.value("q")),
        lambda: link.text_point(link.value("destination")),
        lambda: link.text_point(last_stop),
        lambda: link.text_point(stops[-1] if stops else None),
        lambda: link.text_point(named[0] if named else None),
        lambda: link.text_point(link.value("viewpoint")),
        # The legacy "ll=" and "sll=" and the documented "center=" are where the map looks, at "z=" / "zoom=".
        lambda: link.view(link.text_point(link.value("ll")), zoom),
        lambda: link.view(link.text_point(link.value("center")), zoom),
        lambda: link.view(link.text_point(link.value("sll")), zoom),
    )
    if found is not None:
        return found
    view = _GOOGLE_VIEW.search(link.parts.path)
    if view:
        lat, lon, size, unit = view.groups()
        return link.view(
            link.checked(lat, lon), size if unit == "z" else None, size if unit == "m" else None
        ) or link.checked(lat, lon)
    named_only = stops or named or link.has_text("query", "q", "destination", "daddr")
    raise link.error("a place name only" if named_only else "no point in it")


def _openstreetmap(link: _Link) -> LatLon | ParsedLocation:
    segments = link.parts.path.strip("/").split("/")
    if segments[0] == "go" and len(segments) > 1:
        return _coded(link, "short link", decode_osm_shortlink, segments[1])
    marker_lat, marker_lon = link.value("mlat"), link.value("mlon")
    if marker_lat and marker_lon:
        marker = link.text_point(f"lat {marker_lat}, lon {marker_lon}")
        if marker is None:
            raise link.error(f"its marker mlat={marker_lat!r}, mlon={marker_lon!r} is not a point")
        return marker
    route = link.value("route")
    if route is not None:
        destination = link.text_point(route.split(";")[-1])
        if destination is None:
            raise link.error("a route without a destination point")
        return destination
    view = _OSM_MAP_FRAGMENT.search(link.parts.fragment)
    lat, lon, zoom = link.value("lat"), link.value("lon"), link.value("zoom")
    found = link.first(
        lambda: link.text_point(link.value("to")),
        lambda: link.text_point(link.value("query")),
        lambda: link.view(link.text_point(unquote(view.group(2)) if view else None), view.group(1) if view else None),
        # The old permalink "?lat=&lon=&zoom=" is a view; "note/new?lat=&lon=" is where the note goes.
        lambda: (link.view if zoom else lambda p, _z: p)(
            link.text_point(f"lat {lat}, lon {lon}" if lat and lon else None), zoom
        ),
    )
    if found is not None:
        return found
    if re.match(r"/(node|way|relation)/", link.parts.path):
        raise link.error("a link to a map object, not to a point")
    raise link.error("a search for a place name only" if link.has_text("query", "to") else "no point in it")


def _apple(link: _Link) -> LatLon | ParsedLocation:
    # Unified URLs (iOS 18.4): /place?coordinate=, /directions?destination=, /search?query=&center=,
    # /frame?center=; the older map links: ?daddr=, ?q=, ?ll=, ?sll=, ?address=, ?near=.
    # A dropped pin is shared as "?ll=…&q=Dropped Pin"; "sll=" and "center=" are where the map looks.
    names = ("destination", "daddr", "coordinate", "q", "ll", "address", "query", "near")
    views = ("sll", "center")
    zoom = link.value("z")
    found = link.first(
        *(lambda name=name: link.text_point(link.value(name)) for name in names),
        *(lambda name=name: link.view(link.text_point(link.value(name)), zoom) for name in views),
    )
    if found is not None:
        return found
    if link.has_text("place-id", "auid"):
        raise link.error("a place known to Apple by its identifier only")
    raise link.error("a place name only" if link.has_text(*names) else "no point in it")


def _yandex(link: _Link) -> LatLon | ParsedLocation:
    # Yandex writes longitude first everywhere except route points (rtext) and typed searches (text).
    placemarks = link.value("pt")
    if placemarks and len(placemarks.split("~")) > 1:
        raise GeoError(f"{link.service} link marks {len(placemarks.split('~'))} places, cannot tell which: {link.url}")
    route = link.value("rtext")
    found = link.first(
        lambda: link.lon_lat_point(",".join(placemarks.split(",")[:2]) if placemarks else None),
        lambda: link.lon_lat_point(link.value("whatshere[point]")),
        lambda: link.text_point(route.split("~")[-1] if route else None),
        lambda: link.text_point(link.value("text")),
        lambda: link.view(link.lon_lat_point(link.value("ll")), link.value("z")),
    )
    if found is not None:
        return found
    if route is not None:
        raise link.error("a route without a destination point")
    searched = link.has_text("text") or "/org/" in link.parts.path
    raise link.error("a search or an organisation only" if searched else "no point in it")


def _two_gis(link: _Link) -> LatLon | ParsedLocation:
    # "m=LON,LAT/ZOOM" is the map's view; a "LON,LAT" path segment ("/geo/ID/LON,LAT") is the object's point.
    view = (link.value("m") or "").split("/")
    segments = [unquote(segment) for segment in link.parts.path.split("/")]
    searched = segments[segments.index("search") + 1] if "search" in segments[:-1] else None
    in_path = [segment for segment in segments if _TWO_NUMBERS.fullmatch(segment) and segment != searched]
    found = link.first(
        lambda: link.lon_lat_point(in_path[-1] if in_path else None),
        lambda: link.text_point(searched),
        lambda: link.view(link.lon_lat_point(view[0] or None), view[1] if len(view) > 1 else None),
        lambda: link.view(link.lon_lat_point(link.value("center")), link.value("zoom")),
    )
    if found is not None:
        return found
    raise link.error("a place known to 2GIS by its identifier only" if "/firm/" in link.parts.path else "no point")


def _waze(link: _Link) -> LatLon | ParsedLocation:
    segments = link.parts.path.strip("/").split("/")
    if len(segments) == 2 and segments[0] == "ul" and segments[1].startswith("h"):
        return _coded(link, "short link", decode_geohash, segments[1][1:])
    if link.value("h"):
        return _coded(link, "short link", decode_geohash, link.value("h") or "")
    destination = link.value("to")
    found = link.first(
        lambda: link.text_point(destination.removeprefix("ll.") if destination else None),
        lambda: link.text_point(link.value("ll")),
        lambda: link.text_point(link.value("latlng")),
        lambda: link.text_point(link.value("q")),
    )
    if found is not None:
        return found
    raise link.error("a place name only" if link.has_text("q", "venue_id", "place") else "no point in it")


def _bing(link: _Link) -> LatLon | ParsedLocation:
    # rtp=pos.LAT_LON_NAME~pos.LAT_LON_NAME (a route), sp=point.LAT_LON_NAME (pins), cp=LAT~LON (the view).
    def underscored(value: str | None, prefix: str) -> str | None:
        if not value:
            return None
        stops = [stop for stop in value.split("~") if stop.startswith(prefix)]
        if not stops:
            return None
        parts = stops[-1].removeprefix(prefix).split("_")
        return f"{parts[0]}, {parts[1]}" if len(parts) >= 2 else None

    centre = link.value("cp")
    found = link.first(
        lambda: link.text_point(underscored(link.value("rtp"), "pos.")),
        lambda: link.text_point(underscored(link.value("sp"), "point.")),
        lambda: link.text_point(link.value("q")),
        lambda: link.text_point(link.value("where1")),
        lambda: link.view(link.text_point(centre.replace("~", ", ") if centre else None), link.value("lvl")),
    )
    if found is not None:
        return found
    raise link.error("a place name only" if link.has_text("q", "where1") else "no point in it")


def _here(link: _Link) -> LatLon | ParsedLocation:
    segments = [unquote(segment) for segment in link.parts.path.strip("/").split("/")]
    pinned = segments[1] if len(segments) > 1 and segments[0] == "l" else None
    # "map=LAT,LON,ZOOM,LAYER" is the view.
    view = (link.value("map") or "").split(",")
    found = link.first(
        lambda: link.text_point(",".join(pinned.split(",")[:2]) if pinned else None),
        lambda: link.text_point(link.value("q")),
        lambda: link.view(
            link.text_point(",".join(view[:2]) if len(view) > 1 else None), view[2] if len(view) > 2 else None
        ),
    )
    if found is not None:
        return found
    raise link.error("a place name only" if link.has_text("q") else "no point in it")


def _mapy(link: _Link) -> LatLon | ParsedLocation:
    # "source=coor&id=LON,LAT" is a marked point; "x=LON&y=LAT&z=ZOOM" is where the map looks; "q=" is typed.
    x, y = link.value("x"), link.value("y")
    identifier = link.value("id") if link.value("source") == "coor" else None
    found = link.first(
        lambda: link.lon_lat_point(identifier),
        lambda: link.text_point(link.value("q")),
        lambda: link.text_point(link.value("query")),
        lambda: link.view(link.lon_lat_point(f"{x},{y}" if x and y else None), link.value("z")),
    )
    if found is not None:
        return found
    raise link.error("a place name only" if link.has_text("q", "query") else "no point in it")


def _lat_lon_parameters(link: _Link) -> LatLon | ParsedLocation:
    """OsmAnd (`pin=`, `lat=`/`lon=`, `#zoom/lat/lon`) and Magic Earth (`lat=`/`lon=`)."""
    lat, lon = link.value("lat"), link.value("lon")
    fragment = link.parts.fragment.split("/")
    found = link.first(
        lambda: link.text_point(link.value("pin")),
        lambda: link.text_point(f"lat {lat}, lon {lon}" if lat and lon else None),
        lambda: link.view(link.text_point("/".join(fragment[1:3]) if len(fragment) == 3 else None), fragment[0]),
    )
    if found is not None:
        return found
    raise link.error("a place name only" if link.has_text("name", "q") else "no point in it")


def _ge0(link: _Link) -> LatLon | ParsedLocation:
    """CoMaps / Organic Maps / MAPS.ME: "https://comaps.at/CODE/Name", "ge0://CODE/Name", the clear form
    "https://omaps.app/49.220922,37.244553/Name" and the API form "om://map?ll=49.2,37.2&n=Name"."""
    parts = link.parts
    # "ge0://CODE/Name" keeps the code where a host would be; "https://omaps.app/CODE/Name" in the path.
    in_scheme = parts.scheme.lower() in _GE0_SCHEMES
    first = parts.netloc if in_scheme else parts.path.lstrip("/").partition("/")[0]
    if first.lower() == "map" or link.value("ll"):
        found = link.text_point(link.value("ll"))
        if found is None:
            raise link.error("no point in it")
        return found
    if GE0_LINK_CODE.fullmatch(first):
        return _coded(link, "short link", decode_ge0, first)
    found = link.text_point(unquote(first))
    if found is None:
        # Not a code and not coordinates: the apps' other pages ("omaps.app/get", the download page).
        raise NotAMapLink(f"not a map link this atlas reads ({SERVICES}): {link.url} is not a point's link")
    return found


def _is_google(host: str, path: str) -> bool:
    is_google_domain = re.fullmatch(r"(?:www\.|maps\.)?google(?:\.com?)?\.[a-z]{2,3}", host) is not None
    return is_google_domain and (host.startswith("maps.") or path.startswith("/maps"))


_Reader = Callable[[_Link], LatLon | ParsedLocation]
_READERS: Final[tuple[tuple[str, Callable[[str, str], bool], _Reader], ...]] = (
    ("Google Maps", _is_google, _google),
    (
        "OpenStreetMap",
        lambda host, _path: host in ("openstreetmap.org", "www.openstreetmap.org", "osm.org", "www.osm.org"),
        _openstreetmap,
    ),
    ("Apple Maps", lambda host, _path: host in ("maps.apple.com", "maps.apple"), _apple),
    (
        "Yandex Maps",
        lambda host, path: (
            (
                re.fullmatch(r"(?:www\.)?yandex\.(?:ru|ua|com|by|kz|com\.tr|uz)", host) is not None
                and path.startswith(("/maps", "/navi"))
            )
            or re.fullmatch(r"maps\.yandex\.(?:ru|ua|com|by|kz)", host) is not None
        ),
        _yandex,
    ),
    (
        "2GIS",
        lambda host, _path: re.fullmatch(r"(?:www\.)?2gis\.(?:[a-z]{2,3}|com\.[a-z]{2})", host) is not None,
        _two_gis,
    ),
    ("Waze", lambda host, _path: host in ("waze.com", "www.waze.com", "ul.waze.com"), _waze),
    ("Bing Maps", lambda host, path: host in ("bing.com", "www.bing.com") and path.startswith("/maps"), _bing),
    ("HERE WeGo", lambda host, _path: host in ("wego.here.com", "share.here.com"), _here),
    ("Mapy.cz", lambda host, _path: re.fullmatch(r"(?:[a-z]{2}\.|www\.)?mapy\.(?:cz|com)", host) is not None, _mapy),
    ("OsmAnd", lambda host, _path: host in ("osmand.net", "www.osmand.net"), _lat_lon_parameters),
    ("Magic Earth", lambda host, _path: host in ("magicearth.com", "www.magicearth.com"), _lat_lon_parameters),
    ("CoMaps / Organic Maps / MAPS.ME", lambda host, _path: host in _GE0_HOSTS, _ge0),
)
_SCHEMES: Final[dict[str, tuple[str, _Reader]]] = {
    "comgooglemaps": ("Google Maps", _google),
    "comgooglemapsurl": ("Google Maps", _google),
    "maps": ("Apple Maps", _apple),
    "yandexmaps": ("Yandex Maps", _yandex),
    "waze": ("Waze", _waze),
    **dict.fromkeys(_GE0_SCHEMES, ("CoMaps / Organic Maps / MAPS.ME", _ge0)),
}


def read_map_link(url: str) -> ParsedLocation:
    """The point a map link shows, with the uncertainty a `geo:` URI gives; refuses links without
    coordinates, short links that hide their point behind a redirect, and services this atlas does not read.
    """
    text = url.strip()
    if text[:4].lower() == "geo:":
        return parse_geo_uri(text)
    if text.lower().startswith("google.navigation:"):
        # Android's navigation intent: "google.navigation:q=49.2,37.2&mode=w".
        text = "comgooglemaps://?" + text.split(":", 1)[1]
    if re.match(r"[a-z][a-z0-9+.-]*://", text, re.IGNORECASE) is None:
        text = "https://" + text
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    reader: _Reader
    if scheme in _SCHEMES:
        service, reader = _SCHEMES[scheme]
    else:
        host = (parts.hostname or "").lower()
        address = host + parts.path
        if any(address.startswith(short) or address + "/" == short for short in _REDIRECT_SHORT_LINKS):
            raise GeoError(f"short link hides its coordinates behind a redirect; open it and copy the full link: {url}")
        known = next(((name, read) for name, matches, read in _READERS if matches(host, parts.path)), None)
        if known is None:
            raise NotAMapLink(f"not a map link this atlas reads ({SERVICES}): {url}")
        service, reader = known
    found = reader(_Link(service, url.strip(), parts, parse_qs(parts.query, keep_blank_values=True)))
    if isinstance(found, ParsedLocation):
        return found
    return ParsedLocation(found, read_as=f"{service} link")


def parse_map_link(url: str) -> LatLon:
    """The point a map link shows (see `read_map_link` for what is read and refused)."""
    return read_map_link(url).point


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
