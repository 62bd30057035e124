"""The offline field guide of one site: a ZIP whose index.html works from a phone's storage with no network.

Everything a visitor needs is readable without JavaScript: the safety warning first, the approach and
directions, the coordinates in every form, the photo diaries and the sources. guide.js adds a live "you are
here" panel (distance and direction to the site and to the next waypoint, from the phone's own position and
compass) and reveals graphic photos one at a time. Nothing in the bundle loads anything from outside it, and
every image is checked to carry no metadata before it is packed.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from string import Template
from types import MappingProxyType
from urllib.parse import urlsplit

from PIL import Image
from pyproj import Geod

from .errors import ExportError
from .locale_text import coordinates_text

# A waypoint counts as reached once a position fix comes within this many metres of it (geodesic distance
# on WGS84); guide.js reads the same value from the page's data block.
WAYPOINT_REACHED_M = 30.0

# Every file gets this timestamp, so the same guide always packs to the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ASSETS = files("lestweforget.exports").joinpath("guide_assets")
_WGS84 = Geod(ellps="WGS84")

# The route sketch is a plain equirectangular drawing: fine for a walk of a few kilometres, not a survey.
# guide.js projects the visitor's dot with the same constant.
_SKETCH_METRES_PER_DEGREE = 111_320.0
_SKETCH_MAX_PX = 600.0
_SKETCH_PAD_PX = 36.0
_SKETCH_MIN_SPAN_M = 100.0
_SKETCH_LEGEND_PX = 44.0
_SKETCH_MAX_UNCERTAINTY_M = 500.0
_SCALE_BAR_STEPS_M = (5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_SAFE_STEM = re.compile(r"[^A-Za-z0-9_-]+")
_GEO_URI = re.compile(r"geo:[-+0-9.,;=a-zA-Z]+")
# Lone surrogates cannot be encoded; C0 controls other than tab and line breaks are not allowed in HTML text.
_BAD_TEXT = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")

_DIRECTION_KEYS = (
    "direction_n",
    "direction_ne",
    "direction_e",
    "direction_se",
    "direction_s",
    "direction_sw",
    "direction_w",
    "direction_nw",
)

DEFAULT_LABELS_EN: Mapping[str, str] = MappingProxyType(
    {
        "field_guide": "Field guide",
        "offline_note": "This guide works with no network. Keep it on your phone, or print it.",
        "contents": "Contents",
        "print": "Print this guide",
        "safety_first": "Safety first",
        "about": "About the site",
        "you_are_here": "You are here",
        "locate": "Show distance and direction",
        "use_compass": "Use the compass",
        "allow_location": (
            "Allow location access to see how far away the site is and which way to go. "
            "Your position stays on this phone."
        ),
        "locating": "Finding your position…",
        "no_location": (
            "Your position is not available: location is switched off or not allowed. "
            "The rest of this guide works without it."
        ),
        "position_unavailable": "No position fix yet. Keep this page open, ideally out in the open.",
        "no_script": (
            "JavaScript is off, so the live distance and direction are not shown. Everything else in this guide works."
        ),
        "distance_to_site": "To the site",
        "to_next_waypoint": "To the next waypoint",
        "all_waypoints_reached": "You have passed every waypoint of this walk.",
        "at_site": "You are at the site (within {distance}).",
        "accuracy": "Your position is accurate to about {distance}.",
        "compass_active": "The arrow points the way to go, by the phone's compass (magnetic north).",
        "compass_unavailable": (
            "No compass: the arrow points relative to north. Hold the phone with its top towards north."
        ),
        "follow_waypoints_of": "Follow the waypoints of",
        "direction_n": "north",
        "direction_ne": "north-east",
        "direction_e": "east",
        "direction_se": "south-east",
        "direction_s": "south",
        "direction_sw": "south-west",
        "direction_w": "west",
        "direction_nw": "north-west",
        "north_abbr": "N",
        "metres": "{n} m",
        "kilometres": "{n} km",
        "decimal_separator": ".",
        "getting_there": "Getting there",
        "start_point": "Start point",
        "start_to_site": "From the start to the site: {distance}, {direction} ({bearing}°).",
        "mode": "Travel",
        "last_checked": "Directions last checked",
        "directions": "Directions",
        "coordinates": "Coordinates",
        "public_point_note": "Public location of the site, accurate to ± {distance}.",
        "open_in_map_app": "Open in a map app",
        "diary": "Photo diary",
        "diary_byline": "{author} · visited {date}",
        "waypoints": "Waypoints",
        "waypoint_number": "Waypoint {number}",
        "route_sketch": "Sketch of the route walked, north up; numbered circles are the waypoints.",
        "site_marker": "Site",
        "photos": "Photos",
        "photo_credit": "Photo: {credit}",
        "photo_position": "Taken at {coordinates}",
        "facing": "facing {direction} ({bearing}°)",
        "show_graphic": "This photo shows {note}. Show it",
        "graphic_not_printed": "Photo not printed: it shows {note}.",
        "sources": "Sources",
        "online_version": "Online version",
        "generated": "Guide made {date}.",
    }
)

DEFAULT_LABELS_UK: Mapping[str, str] = MappingProxyType(
    {
        "field_guide": "Путівник",
        "offline_note": "Цей путівник працює без мережі. Збережіть його в телефоні або роздрукуйте.",
        "contents": "Зміст",
        "print": "Надрукувати путівник",
        "safety_first": "Насамперед безпека",
        "about": "Про місце",
        "you_are_here": "Ви тут",
        "locate": "Показати відстань і напрямок",
        "use_compass": "Увімкнути компас",
        "allow_location": (
            "Дозвольте доступ до геолокації, щоб бачити, як далеко до місця і куди йти. "
            "Ваше місцеперебування нікуди не передається з телефона."
        ),
        "locating": "Визначаємо ваше місцеперебування…",
        "no_location": (
            "Ваше місцеперебування невідоме: геолокацію вимкнено або не дозволено. Решта путівника працює й без неї."
        ),
        "position_unavailable": ("Координати ще не визначено. Не закривайте сторінку; краще вийти на відкрите місце."),
        "no_script": (
            "JavaScript вимкнено, тому відстань і напрямок наживо не показуються. Усе інше в путівнику працює."
        ),
        "distance_to_site": "До місця",
        "to_next_waypoint": "До наступної точки маршруту",
        "all_waypoints_reached": "Ви пройшли всі точки цього маршруту.",
        "at_site": "Ви на місці (у межах {distance}).",
        "accuracy": "Точність визначення вашого місцеперебування — близько {distance}.",
        "compass_active": "Стрілка показує, куди йти, за компасом телефона (магнітна північ).",
        "compass_unavailable": (
            "Компаса немає: стрілка показує напрямок відносно півночі. Тримайте телефон верхнім краєм на північ."
        ),
        "follow_waypoints_of": "Точки маршруту щоденника",
        "direction_n": "північ",
        "direction_ne": "північний схід",
        "direction_e": "схід",
        "direction_se": "південний схід",
        "direction_s": "південь",
        "direction_sw": "південний захід",
        "direction_w": "захід",
        "direction_nw": "північний захід",
        "north_abbr": "Пн",
        "metres": "{n} м",
        "kilometres": "{n} км",
        "decimal_separator": ",",
        "getting_there": "Як дістатися",
        "start_point": "Початкова точка",
        "start_to_site": "Від початкової точки до місця: {distance}, напрямок — {direction} ({bearing}°).",
        "mode": "Як добиратися",
        "last_checked": "Маршрут востаннє перевірено",
        "directions": "Як пройти",
        "coordinates": "Координати",
        "public_point_note": "Публічне розташування місця, точність ± {distance}.",
        "open_in_map_app": "Відкрити в застосунку з мапами",
        "diary": "Фотощоденник",
        "diary_byline": "{author} · візит {date}",
        "waypoints": "Точки маршруту",
        "waypoint_number": "Точка {number}",
        "route_sketch": "Схема пройденого маршруту, північ угорі; кружечки з номерами — точки маршруту.",
        "site_marker": "Місце",
        "photos": "Фото",
        "photo_credit": "Фото: {credit}",
        "photo_position": "Знято в точці {coordinates}",
        "facing": "камера спрямована на {direction} ({bearing}°)",
        "show_graphic": "На цьому фото {note}. Показати",
        "graphic_not_printed": "Фото не надруковано: на ньому {note}.",
        "sources": "Джерела",
        "online_version": "Онлайн-версія",
        "generated": "Путівник створено {date}.",
    }
)


@dataclass(frozen=True)
class GuidePhoto:
    """One diary entry's photo, already a clean derivative (no metadata); content_note is "" unless graphic.

    waypoint_number ties the photo to a waypoint of its diary; when None, the nearest waypoint within
    WAYPOINT_REACHED_M of the photo's position is used, if there is one.
    """

    id: str
    caption: str
    text: str
    time_label: str
    latitude: float | None
    longitude: float | None
    heading_deg: float | None
    content_note: str
    web_jpeg: bytes
    thumb_jpeg: bytes
    credit: str
    waypoint_number: int | None = None


@dataclass(frozen=True)
class GuideWaypoint:
    number: int
    name: str
    description: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class GuideDiary:
    """One visit told in photos; photos in reading order, the route as (latitude, longitude) in time order."""

    title: str
    author: str
    visit_date_label: str
    introduction: str
    photos: tuple[GuidePhoto, ...]
    waypoints: tuple[GuideWaypoint, ...]
    route: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class FieldGuide:
    """All one site's guide shows, already public and translated; latitude/longitude is the PUBLIC point.

    labels holds every UI string (the keys of DEFAULT_LABELS_EN), in the guide's language.
    """

    language: str
    site_name: str
    site_slug: str
    summary: str
    settlement_offset: str
    safety: str
    directions: str
    start_name: str
    start_latitude: float | None
    start_longitude: float | None
    mode_label: str
    last_checked_label: str
    latitude: float
    longitude: float
    uncertainty_m: float
    coordinate_forms: tuple[tuple[str, str], ...]
    diaries: tuple[GuideDiary, ...]
    sources: tuple[tuple[str, str], ...]
    citable_url: str
    generated_label: str
    labels: Mapping[str, str]
    # Why "Getting there" gives no directions (a generalised site's are withheld), in the guide's language; when
    # set, the section says so instead of standing empty.
    directions_withheld: str = ""
    # The language of each source (its title's), in the order of `sources`; a source in another language than the
    # guide's is marked with its own (`lang`), as the site page marks it.
    source_languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class _ImageFile:
    stem: str
    width: int
    height: int


def build_guide(guide: FieldGuide) -> bytes:
    """The guide as a ZIP: index.html, guide.css, guide.js and images/<id>-web.jpg, images/<id>-thumb.jpg.

    Raises ExportError for missing or malformed labels, coordinates out of range, non-http(s) source links,
    unwritable text, or an image that is not a JPEG or carries metadata (EXIF, XMP, ICC, IPTC, comments).
    """
    _check_guide(guide)
    images = _image_files(guide)
    index = _index_html(guide, images)
    entries: list[tuple[str, bytes, bool]] = [
        ("index.html", index.encode("utf-8"), True),
        ("guide.css", _asset("guide.css"), True),
        ("guide.js", _asset("guide.js"), True),
    ]
    written: set[str] = set()
    graphic_folder = False
    for photo in _all_photos(guide):
        stem = images[photo.id].stem
        if stem in written:
            continue
        written.add(stem)
        # JPEG data does not deflate; storing it keeps packing fast.
        if photo.content_note:
            # A phone's gallery shows every picture it finds: graphic photos live apart, in a folder that media
            # scanners skip (.nomedia), and without a thumbnail, since the page never shows one for them.
            if not graphic_folder:
                entries.append((f"{GRAPHIC_FOLDER}/.nomedia", b"", True))
                graphic_folder = True
            entries.append((_web_path(photo, images[photo.id]), photo.web_jpeg, False))
            continue
        entries.append((_web_path(photo, images[photo.id]), photo.web_jpeg, False))
        entries.append((f"images/{stem}-thumb.jpg", photo.thumb_jpeg, False))
    return _zip(entries)


GRAPHIC_FOLDER = "images/graphic"


def _web_path(photo: GuidePhoto, image: _ImageFile) -> str:
    folder = GRAPHIC_FOLDER if photo.content_note else "images"
    return f"{folder}/{image.stem}-web.jpg"


def format_distance(distance_m: float, labels: Mapping[str, str]) -> str:
    """A distance as a visitor reads it: "37 m", "850 m" (to 10 m), "1.3 km" (to 100 m), "23 km".

    guide.js formats with the same rules, so the page and the printed text agree.
    """
    if distance_m < 0 or not math.isfinite(distance_m):
        raise ExportError(f"distance {distance_m!r} is not a finite number of metres >= 0")
    if distance_m < 100:
        return _fill(labels["metres"], n=str(_round_half_up(distance_m)))
    if distance_m < 995:
        return _fill(labels["metres"], n=str(10 * _round_half_up(distance_m / 10)))
    if distance_m < 9_950:
        tenths = _round_half_up(distance_m / 100)
        return _fill(labels["kilometres"], n=f"{tenths // 10}{labels['decimal_separator']}{tenths % 10}")
    return _fill(labels["kilometres"], n=str(_round_half_up(distance_m / 1000)))


def compass_word(bearing_deg: float, labels: Mapping[str, str]) -> str:
    """The nearest of the eight compass points to a bearing (degrees clockwise from north), as labelled."""
    return labels[_DIRECTION_KEYS[_round_half_up((bearing_deg % 360) / 45) % 8]]


def _round_half_up(value: float) -> int:
    # Math.floor(x + 0.5) in guide.js: round() takes halves to even and would disagree with the page.
    return math.floor(value + 0.5)


def _fill(template: str, **values: str) -> str:
    """Put values into {name} placeholders; unknown placeholders stay as written (guide.js does the same)."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), template)


# --- checks -------------------------------------------------------------------------------------------------


def _check_guide(guide: FieldGuide) -> None:
    where = guide.site_slug or "guide"
    if not _LANGUAGE_TAG.fullmatch(guide.language):
        raise ExportError(f"{where}: language {guide.language!r} is not a language tag such as 'en' or 'uk'")
    _check_labels(where, guide.labels)
    _check_point(where, "site", guide.latitude, guide.longitude)
    if not (math.isfinite(guide.uncertainty_m) and guide.uncertainty_m >= 0):
        raise ExportError(f"{where}: uncertainty_m {guide.uncertainty_m!r} is not a finite number of metres >= 0")
    if (guide.start_latitude is None) != (guide.start_longitude is None):
        raise ExportError(f"{where}: the start point has only one of latitude and longitude")
    if guide.start_latitude is not None and guide.start_longitude is not None:
        _check_point(where, "start point", guide.start_latitude, guide.start_longitude)
    for label, url in guide.sources:
        _check_url(where, f"source {label!r}", url, required=True)
    if guide.source_languages and len(guide.source_languages) != len(guide.sources):
        raise ExportError(f"{where}: {len(guide.source_languages)} source languages for {len(guide.sources)} sources")
    _check_url(where, "citable_url", guide.citable_url, required=False)
    for number, diary in enumerate(guide.diaries, start=1):
        _check_diary(f"{where}, diary {number} ({diary.title!r})", diary)
    for field_name, text in _texts(guide):
        bad = _BAD_TEXT.search(text)
        if bad:
            raise ExportError(f"{where}: {field_name} contains U+{ord(bad.group()):04X}, which HTML cannot carry")


def _check_labels(where: str, labels: Mapping[str, str]) -> None:
    missing = sorted(set(DEFAULT_LABELS_EN) - set(labels))
    if missing:
        raise ExportError(f"{where}: labels lack {', '.join(missing)}")
    for key, english in DEFAULT_LABELS_EN.items():
        expected = set(_PLACEHOLDER.findall(english))
        found = set(_PLACEHOLDER.findall(labels[key]))
        if found != expected:
            wanted = ", ".join(f"{{{name}}}" for name in sorted(expected)) or "no placeholder"
            raise ExportError(f"{where}: label {key!r} is {labels[key]!r}; it must hold {wanted}")


def _check_diary(where: str, diary: GuideDiary) -> None:
    numbers = [waypoint.number for waypoint in diary.waypoints]
    duplicates = sorted({number for number in numbers if numbers.count(number) > 1})
    if duplicates:
        raise ExportError(f"{where}: waypoint number(s) {duplicates} appear more than once")
    for waypoint in diary.waypoints:
        if waypoint.number < 1:
            raise ExportError(f"{where}: waypoint {waypoint.name!r} has number {waypoint.number}; numbers start at 1")
        _check_point(where, f"waypoint {waypoint.number}", waypoint.latitude, waypoint.longitude)
    for index, (latitude, longitude) in enumerate(diary.route, start=1):
        _check_point(where, f"route point {index}", latitude, longitude)
    for photo in diary.photos:
        if not photo.id:
            raise ExportError(f"{where}: a photo has an empty id")
        if (photo.latitude is None) != (photo.longitude is None):
            raise ExportError(f"{where}: photo {photo.id} has only one of latitude and longitude")
        if photo.latitude is not None and photo.longitude is not None:
            _check_point(where, f"photo {photo.id}", photo.latitude, photo.longitude)
        if photo.heading_deg is not None and not (math.isfinite(photo.heading_deg) and 0 <= photo.heading_deg <= 360):
            raise ExportError(f"{where}: photo {photo.id} heading {photo.heading_deg!r} is outside 0..360")
        if photo.waypoint_number is not None and photo.waypoint_number not in numbers:
            raise ExportError(f"{where}: photo {photo.id} names waypoint {photo.waypoint_number}, which is not there")


def _check_point(where: str, what: str, latitude: float, longitude: float) -> None:
    for axis, value, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise ExportError(f"{where}: {what} {axis} {value!r} is outside -{limit}..{limit}")


def _check_url(where: str, field_name: str, url: str, required: bool) -> None:
    if not url and not required:
        return
    parts = urlsplit(url)
    if _URL_UNSAFE.search(url) or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        # The guide is opened from file://, where only an absolute web link means anything; javascript: or
        # data: links would run or embed what they carry.
        raise ExportError(f"{where}: {field_name} {url!r} is not an absolute http(s) link")


def _texts(guide: FieldGuide) -> Iterator[tuple[str, str]]:
    for field_name in (
        "site_name",
        "site_slug",
        "summary",
        "settlement_offset",
        "safety",
        "directions",
        "start_name",
        "mode_label",
        "last_checked_label",
        "citable_url",
        "generated_label",
        "directions_withheld",
    ):
        yield field_name, getattr(guide, field_name)
    for key, value in guide.labels.items():
        yield f"label {key!r}", value
    for label, value in guide.coordinate_forms:
        yield "a coordinate form's label", label
        yield f"coordinate form {label!r}", value
    for label, url in guide.sources:
        yield "a source's label", label
        yield f"source {label!r}", url
    for diary in guide.diaries:
        for field_name in ("title", "author", "visit_date_label", "introduction"):
            yield f"diary {diary.title!r} {field_name}", getattr(diary, field_name)
        for waypoint in diary.waypoints:
            yield f"waypoint {waypoint.number} name", waypoint.name
            yield f"waypoint {waypoint.number} description", waypoint.description
        for photo in diary.photos:
            for field_name in ("id", "caption", "text", "time_label", "content_note", "credit"):
                yield f"photo {photo.id!r} {field_name}", getattr(photo, field_name)


# --- images -------------------------------------------------------------------------------------------------


def _all_photos(guide: FieldGuide) -> Iterator[GuidePhoto]:
    for diary in guide.diaries:
        yield from diary.photos


def _image_files(guide: FieldGuide) -> dict[str, _ImageFile]:
    """One ASCII file stem per photo id, each image checked; the same id twice must be the same images."""
    images: dict[str, _ImageFile] = {}
    first_seen: dict[str, GuidePhoto] = {}
    stems: set[str] = set()
    for photo in _all_photos(guide):
        if photo.id in first_seen:
            earlier = first_seen[photo.id]
            if (earlier.web_jpeg, earlier.thumb_jpeg) != (photo.web_jpeg, photo.thumb_jpeg):
                raise ExportError(f"photo {photo.id}: appears twice with different images")
            continue
        first_seen[photo.id] = photo
        width, height = _clean_jpeg_size(photo.web_jpeg, f"photo {photo.id}: web image")
        _clean_jpeg_size(photo.thumb_jpeg, f"photo {photo.id}: thumbnail")
        base = _SAFE_STEM.sub("-", photo.id).strip("-")[:60] or "photo"
        stem, number = base, 1
        while stem in stems:
            number += 1
            stem = f"{base}-{number}"
        stems.add(stem)
        images[photo.id] = _ImageFile(stem=stem, width=width, height=height)
    return images


def _clean_jpeg_size(data: bytes, where: str) -> tuple[int, int]:
    """The JPEG's pixel size; refuses what is not a JPEG or carries any metadata segment."""
    metadata = _jpeg_metadata(data, where)
    if metadata:
        raise ExportError(f"{where}: carries {', '.join(metadata)}; the guide takes clean derivatives only")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "JPEG":
                raise ExportError(f"{where}: is {image.format}, not a JPEG")
            return image.size
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ExportError(f"{where}: not a readable JPEG ({exc})") from exc


def _jpeg_metadata(data: bytes, where: str) -> list[str]:
    """The names of the metadata a JPEG carries, read from its marker segments (ITU T.81, JFIF 1.02).

    Only a thumbnail-free JFIF APP0 and Adobe's APP14 (a colour-transform flag) count as clean.
    """
    if not data.startswith(b"\xff\xd8"):
        raise ExportError(f"{where}: not a JPEG (no start-of-image marker)")
    found: list[str] = []
    position, size = 2, len(data)
    while position < size:
        if data[position] != 0xFF:
            raise ExportError(f"{where}: not a well-formed JPEG (no marker at byte {position})")
        while position < size and data[position] == 0xFF:
            position += 1
        if position >= size:
            break
        marker = data[position]
        position += 1
        if marker == 0xD9:
            if data[position:].strip(b"\x00"):
                found.append(f"{size - position} bytes after the end of the image")
            return found
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2 or position + length > size:
            raise ExportError(f"{where}: not a well-formed JPEG (segment at byte {position} runs past the end)")
        payload = data[position + 2 : position + length]
        name = _metadata_name(marker, payload)
        if name:
            found.append(name)
        position += length
        if marker == 0xDA:
            position = _end_of_scan(data, position)
    raise ExportError(f"{where}: not a well-formed JPEG (no end-of-image marker)")


def _end_of_scan(data: bytes, position: int) -> int:
    """Where the entropy-coded data after a start-of-scan ends: the next 0xFF not stuffing or a restart."""
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            return len(data)
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2
            continue
        return position


def _metadata_name(marker: int, payload: bytes) -> str:
    if marker == 0xE0:
        if payload.startswith(b"JFIF\x00") and len(payload) >= 14 and payload[12] == payload[13] == 0:
            return ""
        return "an APP0 thumbnail or extension"
    if marker == 0xEE and payload.startswith(b"Adobe"):
        return ""
    if marker == 0xFE:
        return "a comment (COM)"
    if 0xE1 <= marker <= 0xEF:
        kinds = {
            b"Exif\x00": "EXIF",
            b"http://ns.adobe.com/xap/1.0/": "XMP",
            b"http://ns.adobe.com/xmp/extension/": "XMP",
            b"ICC_PROFILE\x00": "an ICC profile",
            b"MPF\x00": "a multi-picture index",
            b"Photoshop 3.0\x00": "IPTC/Photoshop data",
        }
        for prefix, kind in kinds.items():
            if payload.startswith(prefix):
                return kind
        return f"an APP{marker - 0xE0} segment"
    return ""


# --- the page -----------------------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


_URL_BREAK_AFTER = re.compile(r"(?<=[/?&=_.])(?=[^/?&=_.])")


def _breakable(url: str) -> str:
    """A web address as escaped HTML with a <wbr> after each slash, dot, ?, &, = and _: a phone wraps it there,
    never inside a word."""
    return "<wbr>".join(_e(part) for part in _URL_BREAK_AFTER.split(url))


def _paragraphs(text: str, css_class: str = "") -> str:
    """Plain text as HTML paragraphs: blank lines part paragraphs, single line breaks are kept."""
    attribute = f' class="{css_class}"' if css_class else ""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))]
    return "".join(f"<p{attribute}>{_e(block).replace(chr(10), '<br>')}</p>" for block in blocks if block)


def _coordinates_text(latitude: float, longitude: float, language: str) -> str:
    """A point to 6 decimals as the guide's reader writes it ("49,220922° пн. ш. 37,244553° сх. д." in Ukrainian)."""
    return coordinates_text(f"{latitude:.6f}, {longitude:.6f}", language)


def _index_html(guide: FieldGuide, images: Mapping[str, _ImageFile]) -> str:
    labels = guide.labels
    body = "\n".join(
        part
        for part in (
            _masthead(guide),
            _contents(guide),
            "<main>",
            _safety(guide),
            _live_panel(guide),
            # Shown until guide.js hides it: a <noscript> is not shown where scripts are merely blocked.
            f'<p id="no-script" class="noscript">{_e(labels["no_script"])}</p>',
            _about(guide),
            _getting_there(guide),
            _coordinates(guide),
            *(_diary(guide, diary, number, images) for number, diary in enumerate(guide.diaries, start=1)),
            _sources(guide),
            "</main>",
            _footer(guide),
        )
        if part
    )
    template = Template(_asset("index.html").decode("utf-8"))
    return template.substitute(
        language=_e(guide.language),
        title=_e(f"{guide.site_name} — {labels['field_guide']}"),
        body=body,
        data=_data_json(guide),
    )


def _masthead(guide: FieldGuide) -> str:
    labels = guide.labels
    place = f'<p class="place">{_e(guide.settlement_offset)}</p>' if guide.settlement_offset else ""
    return (
        '<header class="masthead">'
        f'<p class="kicker">{_e(labels["field_guide"])}</p>'
        f"<h1>{_e(guide.site_name)}</h1>{place}"
        f'<p class="offline-note">{_e(labels["offline_note"])}</p>'
        f'<p class="actions"><button type="button" id="print-guide" hidden>{_e(labels["print"])}</button></p>'
        "</header>"
    )


def _contents(guide: FieldGuide) -> str:
    labels = guide.labels
    links = []
    if guide.safety:
        links.append(("safety", labels["safety_first"]))
    links.append(("getting-there", labels["getting_there"]))
    links.append(("coordinates", labels["coordinates"]))
    for number, diary in enumerate(guide.diaries, start=1):
        links.append((f"diary-{number}", f"{labels['diary']}: {diary.title}"))
    if guide.sources:
        links.append(("sources", labels["sources"]))
    items = "".join(f'<li><a href="#{anchor}">{_e(text)}</a></li>' for anchor, text in links)
    return f'<nav class="contents" aria-label="{_e(labels["contents"])}"><ol>{items}</ol></nav>'


def _safety(guide: FieldGuide) -> str:
    if not guide.safety:
        return ""
    return (
        '<section id="safety" class="safety" aria-labelledby="safety-heading">'
        f'<h2 id="safety-heading">{_e(guide.labels["safety_first"])}</h2>'
        f"{_paragraphs(guide.safety)}</section>"
    )


_ARROW_SVG = (
    '<svg class="arrow" viewBox="-50 -50 100 100" aria-hidden="true" focusable="false">'
    '<circle class="arrow-dial" r="47"></circle>'
    '<path class="arrow-head" d="M0,-40 L24,32 L0,18 L-24,32 Z"></path></svg>'
)


def _live_panel(guide: FieldGuide) -> str:
    labels = guide.labels
    if guide.directions_withheld:
        # A live distance and arrow to a withheld place would be directions to it, and finer than its radius.
        return ""
    followed = [(number, diary) for number, diary in enumerate(guide.diaries, start=1) if diary.waypoints]
    choice = ""
    if len(followed) > 1:
        options = "".join(f'<option value="{number - 1}">{_e(diary.title)}</option>' for number, diary in followed)
        choice = (
            f'<p class="live-choice"><label for="live-diary">{_e(labels["follow_waypoints_of"])}</label> '
            f'<select id="live-diary">{options}</select></p>'
        )
    waypoint_target = ""
    if followed:
        waypoint_target = (
            f'<div id="live-waypoint" class="live-target" hidden>{_ARROW_SVG}<div>'
            f'<h3>{_e(labels["to_next_waypoint"])}</h3><p class="live-name"></p>'
            '<p class="live-distance"></p><p class="live-direction"></p></div></div>'
            f'<p id="live-waypoints-done" class="live-note" hidden>{_e(labels["all_waypoints_reached"])}</p>'
        )
    return (
        '<section id="live" class="live" aria-labelledby="live-heading" hidden>'
        f'<h2 id="live-heading">{_e(labels["you_are_here"])}</h2>'
        f'<p id="live-status" class="live-status" role="status">{_e(labels["allow_location"])}</p>'
        f'<p class="live-buttons"><button type="button" id="live-start">{_e(labels["locate"])}</button> '
        f'<button type="button" id="live-compass" hidden>{_e(labels["use_compass"])}</button></p>'
        f'<div id="live-site" class="live-target" hidden>{_ARROW_SVG}<div>'
        f"<h3>{_e(labels['distance_to_site'])}</h3>"
        '<p class="live-distance"></p><p class="live-direction"></p></div></div>'
        '<p id="live-at-site" class="live-arrived" hidden></p>'
        f"{waypoint_target}{choice}"
        '<p id="live-compass-note" class="live-note" hidden></p>'
        '<p id="live-accuracy" class="live-note" hidden></p>'
        "</section>"
    )


def _about(guide: FieldGuide) -> str:
    if not guide.summary:
        return ""
    return f'<section id="about"><h2>{_e(guide.labels["about"])}</h2>{_paragraphs(guide.summary)}</section>'


def _getting_there(guide: FieldGuide) -> str:
    labels = guide.labels
    facts = []
    if guide.start_name or guide.start_latitude is not None:
        start = _e(guide.start_name)
        if guide.start_latitude is not None and guide.start_longitude is not None:
            azimuth, _back, distance = _WGS84.inv(
                guide.start_longitude, guide.start_latitude, guide.longitude, guide.latitude
            )
            bearing = float(azimuth) % 360
            offset = _fill(
                labels["start_to_site"],
                distance=format_distance(float(distance), labels),
                direction=compass_word(bearing, labels),
                bearing=str(_round_half_up(bearing) % 360),
            )
            coordinates = _coordinates_text(guide.start_latitude, guide.start_longitude, guide.language)
            start += f'<br><span class="coords">{_e(coordinates)}</span><br>{_e(offset)}'
        facts.append((labels["start_point"], start))
    if guide.mode_label:
        facts.append((labels["mode"], _e(guide.mode_label)))
    if guide.last_checked_label:
        facts.append((labels["last_checked"], _e(guide.last_checked_label)))
    rows = "".join(f"<dt>{_e(term)}</dt><dd>{value}</dd>" for term, value in facts)
    directions = ""
    if guide.directions:
        directions = f'<h3 id="directions">{_e(labels["directions"])}</h3>{_paragraphs(guide.directions)}'
    withheld = _paragraphs(guide.directions_withheld, "directions-withheld")
    facts_list = f'<dl class="facts">{rows}</dl>' if rows else ""
    return (
        f'<section id="getting-there"><h2>{_e(labels["getting_there"])}</h2>'
        f"{withheld}{facts_list}{directions}</section>"
    )


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _coordinates(guide: FieldGuide) -> str:
    labels = guide.labels
    note = _fill(labels["public_point_note"], distance=format_distance(guide.uncertainty_m, labels))
    rows = []
    for label, value in guide.coordinate_forms:
        # A code (MGRS, a Plus Code, SK-42, a geo: URI, degrees as a map app reads them) is the same in every
        # language: marked so that no translator rewrites it. A Ukrainian guide's own forms are in Cyrillic words.
        code = ' translate="no"' if guide.language != "en" and not _CYRILLIC.search(value) else ""
        shown = f"<code{code}>{_e(value)}</code>"
        if _GEO_URI.fullmatch(value):
            # Too long for a phone's line in large type: it may wrap after its own comma and semicolons.
            shown = f"<code{code}>" + "<wbr>".join(_e(part) for part in re.split(r"(?<=[,;])", value)) + "</code>"
            # A geo: link opens the phone's map app (OsmAnd, Organic Maps) at the site, no network needed.
            shown += f' <a class="map-app" href="{_e(value)}">{_e(labels["open_in_map_app"])}</a>'
        rows.append(f'<tr><th scope="row">{_e(label)}</th><td>{shown}</td></tr>')
    return (
        f'<section id="coordinates"><h2>{_e(labels["coordinates"])}</h2><p>{_e(note)}</p>'
        f'<table class="coordinate-forms"><tbody>{"".join(rows)}</tbody></table></section>'
    )


def _diary(guide: FieldGuide, diary: GuideDiary, number: int, images: Mapping[str, _ImageFile]) -> str:
    labels = guide.labels
    anchor = f"diary-{number}"
    byline = _fill(labels["diary_byline"], author=diary.author, date=diary.visit_date_label)
    parts = [
        f'<section id="{anchor}" class="diary">',
        f'<h2><span class="kicker">{_e(labels["diary"])}</span> {_e(diary.title)}</h2>',
        f'<p class="byline">{_e(byline)}</p>',
        _paragraphs(diary.introduction),
        _sketch(guide, diary, number),
    ]
    waypoints = sorted(diary.waypoints, key=lambda waypoint: waypoint.number)
    if waypoints:
        items = "".join(
            f'<li id="{anchor}-waypoint-{waypoint.number}" value="{waypoint.number}">'
            f"<strong>{_e(waypoint.name)}</strong>{_paragraphs(waypoint.description)}"
            f'<span class="coords">{_e(_coordinates_text(waypoint.latitude, waypoint.longitude, guide.language))}'
            "</span></li>"
            for waypoint in waypoints
        )
        parts.append(f'<h3>{_e(labels["waypoints"])}</h3><ol class="waypoints">{items}</ol>')
    if diary.photos:
        parts.append(_contact_sheet(guide, diary, anchor, images))
        entries = "".join(f"<li>{_entry(guide, diary, photo, anchor, images[photo.id])}</li>" for photo in diary.photos)
        parts.append(f'<ol class="entries">{entries}</ol>')
    parts.append("</section>")
    return "".join(parts)


def _contact_sheet(guide: FieldGuide, diary: GuideDiary, anchor: str, images: Mapping[str, _ImageFile]) -> str:
    tiles = []
    for photo in diary.photos:
        target = f"#{anchor}-{images[photo.id].stem}"
        if photo.content_note:
            # No thumbnail of a graphic photo: only its note, until the reader opens that one entry.
            tile = f'<a class="tile tile-note" href="{target}">{_e(photo.content_note)}</a>'
        else:
            tile = (
                f'<a class="tile" href="{target}"><img src="images/{images[photo.id].stem}-thumb.jpg" '
                f'alt="{_e(photo.caption)}"></a>'
            )
        tiles.append(f"<li>{tile}</li>")
    label = _e(guide.labels["photos"])
    return f'<nav class="contact-sheet" aria-label="{label}"><ol>{"".join(tiles)}</ol></nav>'


def _entry(guide: FieldGuide, diary: GuideDiary, photo: GuidePhoto, anchor: str, image: _ImageFile) -> str:
    labels = guide.labels
    source = _web_path(photo, image)
    size = f'width="{image.width}" height="{image.height}"'
    if photo.content_note:
        prompt = _fill(labels["show_graphic"], note=photo.content_note)
        not_printed = _fill(labels["graphic_not_printed"], note=photo.content_note)
        # No src until the reader asks, so the picture is not even loaded; without JavaScript, the link opens
        # the file itself.
        picture = (
            f'<div class="veil"><a class="reveal" role="button" href="{source}">{_e(prompt)}</a></div>'
            f'<p class="print-only">{_e(not_printed)}</p>'
            f'<img data-src="{source}" {size} alt="{_e(photo.caption)}" hidden>'
        )
        css_class = "entry graphic"
    else:
        picture = f'<img src="{source}" {size} alt="{_e(photo.caption)}">'
        css_class = "entry"
    meta = [f'<span class="time">{_e(photo.time_label)}</span>'] if photo.time_label else []
    waypoint = _photo_waypoint(diary, photo)
    if waypoint is not None:
        text = _fill(labels["waypoint_number"], number=str(waypoint))
        meta.append(f'<a class="waypoint-ref" href="#{anchor}-waypoint-{waypoint}">{_e(text)}</a>')
    where = []
    if photo.latitude is not None and photo.longitude is not None:
        where.append(
            _fill(
                labels["photo_position"], coordinates=_coordinates_text(photo.latitude, photo.longitude, guide.language)
            )
        )
    if photo.heading_deg is not None:
        where.append(
            _fill(
                labels["facing"],
                direction=compass_word(photo.heading_deg, labels),
                bearing=str(_round_half_up(photo.heading_deg) % 360),
            )
        )
    details = f'<p class="position">{_e(", ".join(where))}</p>' if where else ""
    credit = f'<p class="credit">{_e(_fill(labels["photo_credit"], credit=photo.credit))}</p>' if photo.credit else ""
    return (
        f'<figure class="{css_class}" id="{anchor}-{image.stem}">{picture}<figcaption>'
        f'<p class="caption">{_e(photo.caption)}</p><p class="meta">{" · ".join(meta)}</p>'
        f"{_paragraphs(photo.text, 'entry-text')}{details}{credit}</figcaption></figure>"
    )


def _photo_waypoint(diary: GuideDiary, photo: GuidePhoto) -> int | None:
    """The waypoint a photo belongs to: the one it names, else the nearest within WAYPOINT_REACHED_M."""
    if photo.waypoint_number is not None:
        return photo.waypoint_number
    if photo.latitude is None or photo.longitude is None or not diary.waypoints:
        return None
    nearest: tuple[float, int] | None = None
    for waypoint in diary.waypoints:
        _az, _back, distance = _WGS84.inv(photo.longitude, photo.latitude, waypoint.longitude, waypoint.latitude)
        if distance <= WAYPOINT_REACHED_M and (nearest is None or distance < nearest[0]):
            nearest = (float(distance), waypoint.number)
    return nearest[1] if nearest is not None else None


def _sketch(guide: FieldGuide, diary: GuideDiary, number: int) -> str:
    """The route, waypoints and site as an inline SVG drawing with a north arrow and a scale bar; no tiles."""
    points = [*diary.route, *((waypoint.latitude, waypoint.longitude) for waypoint in diary.waypoints)]
    if not points:
        return ""
    labels = guide.labels
    points.append((guide.latitude, guide.longitude))
    site_cos_lat = max(math.cos(math.radians(guide.latitude)), 1e-6)
    if guide.uncertainty_m <= _SKETCH_MAX_UNCERTAINTY_M:
        # Room for the whole uncertainty circle; a wider one (a generalised site) would dwarf the walk.
        dlat = guide.uncertainty_m / _SKETCH_METRES_PER_DEGREE
        dlon = dlat / site_cos_lat
        points += [
            (guide.latitude - dlat, guide.longitude - dlon),
            (guide.latitude + dlat, guide.longitude + dlon),
        ]
    south, north = min(lat for lat, _ in points), max(lat for lat, _ in points)
    west, east = min(lon for _, lon in points), max(lon for _, lon in points)
    cos_lat = max(math.cos(math.radians((north + south) / 2)), 1e-6)
    span_x = max((east - west) * cos_lat * _SKETCH_METRES_PER_DEGREE, _SKETCH_MIN_SPAN_M)
    span_y = max((north - south) * _SKETCH_METRES_PER_DEGREE, _SKETCH_MIN_SPAN_M)
    # Between 2:1 wide and 3:4 tall, so a straight walk still reads as a map and fits a phone's screen.
    span_x = max(span_x, span_y * 0.75)
    span_y = max(span_y, span_x * 0.5)
    inner = _SKETCH_MAX_PX - 2 * _SKETCH_PAD_PX
    scale = min(inner / span_x, inner / span_y)  # pixels per metre
    width = span_x * scale + 2 * _SKETCH_PAD_PX
    plot_height = span_y * scale + 2 * _SKETCH_PAD_PX
    height = plot_height + _SKETCH_LEGEND_PX
    # Centre the drawing in the widened span.
    left = (west + east) / 2 - span_x / 2 / (cos_lat * _SKETCH_METRES_PER_DEGREE)
    top = (north + south) / 2 + span_y / 2 / _SKETCH_METRES_PER_DEGREE

    def project(latitude: float, longitude: float) -> tuple[float, float]:
        x = _SKETCH_PAD_PX + (longitude - left) * cos_lat * _SKETCH_METRES_PER_DEGREE * scale
        y = _SKETCH_PAD_PX + (top - latitude) * _SKETCH_METRES_PER_DEGREE * scale
        return x, y

    shapes = [f'<rect class="sketch-ground" width="{width:.1f}" height="{plot_height:.1f}"></rect>']
    site_x, site_y = project(guide.latitude, guide.longitude)
    radius = guide.uncertainty_m * scale
    if radius > 4:
        shapes.append(
            f'<circle class="sketch-uncertainty" cx="{site_x:.1f}" cy="{site_y:.1f}" r="{radius:.1f}"></circle>'
        )
    if len(diary.route) >= 2:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (project(lat, lon) for lat, lon in diary.route))
        shapes.append(f'<polyline class="sketch-route" points="{line}"></polyline>')
    shapes.append(
        f'<g class="sketch-site"><rect x="{site_x - 8:.1f}" y="{site_y - 8:.1f}" width="16" height="16" '
        f'transform="rotate(45 {site_x:.1f} {site_y:.1f})"></rect>'
        f'<text x="{site_x + 14:.1f}" y="{site_y - 10:.1f}">{_e(labels["site_marker"])}</text></g>'
    )
    for waypoint in sorted(diary.waypoints, key=lambda item: item.number):
        x, y = project(waypoint.latitude, waypoint.longitude)
        shapes.append(
            f'<g class="sketch-waypoint"><circle cx="{x:.1f}" cy="{y:.1f}" r="12"></circle>'
            f'<text x="{x:.1f}" y="{y + 5:.1f}" text-anchor="middle">{waypoint.number}</text></g>'
        )
    shapes.append('<circle class="sketch-you" r="9" cx="0" cy="0" visibility="hidden"></circle>')
    # The legend sits below the drawing, where no marker or label can cover it.
    bar_m = max((step for step in _SCALE_BAR_STEPS_M if step * scale <= width / 3), default=_SCALE_BAR_STEPS_M[0])
    bar_y = plot_height + 30
    north_x = width - 20
    shapes.append(
        f'<g class="sketch-legend"><rect y="{plot_height:.1f}" width="{width:.1f}" '
        f'height="{_SKETCH_LEGEND_PX:.1f}"></rect>'
        f'<path class="sketch-scale" d="M14,{bar_y - 7:.1f} v7 h{bar_m * scale:.1f} v-7"></path>'
        f'<text x="{bar_m * scale + 22:.1f}" y="{bar_y:.1f}">{_e(format_distance(bar_m, labels))}</text>'
        f'<path class="sketch-north" d="M{north_x:.1f},{plot_height + 8:.1f} l8,24 l-8,-6 l-8,6 z"></path>'
        f'<text x="{north_x - 14:.1f}" y="{bar_y:.1f}" text-anchor="end">'
        f"{_e(labels['north_abbr'])}</text></g>"
    )
    caption = _e(labels["route_sketch"])
    return (
        f'<figure class="sketch"><svg class="sketch-map" id="sketch-{number}" role="img" '
        f'aria-label="{caption}" viewBox="0 0 {width:.1f} {height:.1f}" '
        f'data-top="{top!r}" data-left="{left!r}" '
        f'data-cos-lat="{cos_lat!r}" data-scale="{scale!r}" data-pad="{_SKETCH_PAD_PX!r}" '
        f'data-width="{width:.1f}" data-height="{plot_height:.1f}">{"".join(shapes)}</svg>'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def _lang_attribute(language: str, guide_language: str) -> str:
    if not language or language == guide_language or not _LANGUAGE_TAG.fullmatch(language):
        return ""
    return f' lang="{_e(language)}"'


def _sources(guide: FieldGuide) -> str:
    if not guide.sources:
        return ""
    languages = guide.source_languages or ("",) * len(guide.sources)
    items = "".join(
        f'<li><a href="{_e(url)}" rel="noreferrer"{_lang_attribute(language, guide.language)}>{_e(label)}</a><br>'
        f'<span class="url">{_breakable(url)}</span></li>'
        for (label, url), language in zip(guide.sources, languages, strict=True)
    )
    heading = _e(guide.labels["sources"])
    return f'<section id="sources"><h2>{heading}</h2><ol class="sources">{items}</ol></section>'


def _footer(guide: FieldGuide) -> str:
    labels = guide.labels
    lines = []
    if guide.citable_url:
        url = _e(guide.citable_url)
        lines.append(f'<p>{_e(labels["online_version"])}: <a href="{url}" rel="noreferrer">{url}</a></p>')
    if guide.generated_label:
        lines.append(f"<p>{_e(_fill(labels['generated'], date=guide.generated_label))}</p>")
    return f'<footer class="colophon">{"".join(lines)}</footer>'


def _data_json(guide: FieldGuide) -> str:
    """What guide.js needs, as JSON safe inside a <script> element: no "<" can close it early."""
    data = {
        "language": guide.language,
        "reached_m": WAYPOINT_REACHED_M,
        "sketch_metres_per_degree": _SKETCH_METRES_PER_DEGREE,
        "site": {
            "name": guide.site_name,
            "latitude": guide.latitude,
            "longitude": guide.longitude,
            "uncertainty_m": guide.uncertainty_m,
        },
        "diaries": [
            {
                "title": diary.title,
                "waypoints": [
                    {
                        "number": waypoint.number,
                        "name": waypoint.name,
                        "latitude": waypoint.latitude,
                        "longitude": waypoint.longitude,
                    }
                    for waypoint in sorted(diary.waypoints, key=lambda item: item.number)
                ],
            }
            for diary in guide.diaries
        ],
        "labels": dict(guide.labels),
    }
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _asset(name: str) -> bytes:
    return _ASSETS.joinpath(name).read_bytes()


def _zip(entries: list[tuple[str, bytes, bool]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, compress in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
