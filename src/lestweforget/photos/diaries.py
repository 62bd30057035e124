"""Photo diaries: one made from an import, and what the public may see of them.

A diary is public when it and its site are published; an entry, only when its photo is published. For a site whose
location is generalised nothing positional leaves this module: no camera positions or headings, no route, no
waypoint coordinates, since a walk's photos would give the precise place away. Pages, exports and the field guide
all take diaries from `public_diaries`, never from the models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils.translation import get_language

from lestweforget import geo
from lestweforget.atlas.models import Site
from lestweforget.exports import TrackPoint, find_control_character

from .addresses import derivative_path
from .models import Contributor, Diary, DiaryEntry, Photo, public_photo_q

# Time zones in use run from UTC-12:00 to UTC+14:00 (as the media library's own check says).
_ZONE_WEST = timedelta(hours=12)
_ZONE_EAST = timedelta(hours=14)


class DiaryError(Exception):
    """A diary that cannot be made as asked; the message names the diary and what is wrong."""


# ---------------------------------------------------------------------------------------------------------
# Capture times


def camera_clock(photo: Photo) -> datetime | None:
    """The camera clock's reading (no zone), as the file wrote it; None when the file gave none."""
    if not photo.capture_time_local:
        return None
    try:
        return datetime.fromisoformat(photo.capture_time_local).replace(tzinfo=None)
    except ValueError:
        return None


def capture_instant(photo: Photo) -> datetime | None:
    """The capture time in UTC, or None when it is not known.

    Some cameras write the GPS date a day off while its time of day is right (the media library flags this as
    "gps-time-disagrees"); such a time is moved by whole days to the one day that puts the camera clock within a
    real time zone of it, and refused (None) when no single day does.
    """
    stored: datetime | None = photo.capture_time_utc
    if stored is None:
        return None
    utc = stored.astimezone(UTC)
    local = camera_clock(photo)
    if "gps-time-disagrees" not in (photo.flags or []) or local is None:
        return utc
    candidates = [
        utc + timedelta(days=days)
        for days in (-1, 1)
        if -_ZONE_WEST <= local - (utc + timedelta(days=days)).replace(tzinfo=None) <= _ZONE_EAST
    ]
    return candidates[0] if len(candidates) == 1 else None


def capture_order_key(photo: Photo) -> tuple[bool, datetime, bool, datetime, str, str]:
    """Photos in the order they were taken: by the camera clock (a GPS date may be a day off, the clock's is
    not), then by UTC time, then by file name."""
    local = camera_clock(photo)
    utc = capture_instant(photo)
    return (
        local is None,
        local or datetime.min,
        utc is None,
        (utc or datetime.min.replace(tzinfo=UTC)).replace(tzinfo=None),
        photo.original_name,
        photo.sha256,
    )


# ---------------------------------------------------------------------------------------------------------
# Making a diary from an import


@dataclass(frozen=True)
class DiaryMade:
    """What `diary_from_photos` did: the diary, whether it is new, and how many entries it gained and has."""

    diary: Diary
    created: bool
    added: int
    entries: int


def checked_title(title: str) -> str:
    """A diary title as given on the command line, stripped; refuses (DiaryError) an empty one or one holding a
    control character, before anything is imported."""
    title = title.strip()
    if not title:
        raise DiaryError("--diary: the title is empty; give the diary a name, e.g. --diary 'Walk to the site'")
    if (found := find_control_character(title)) is not None:
        raise DiaryError(
            f"--diary {title!r}: contains the control character {found.code_point} at character {found.index + 1}; "
            "give the title as plain text"
        )
    return title


def diary_from_photos(
    site_slug: str, title: str, sha256s: Iterable[str], author: str | None = None, publish: bool = False
) -> DiaryMade:
    """The site's diary titled ``title`` (made now, or the one already there), holding one entry per photo.

    Photos are the site's ones among ``sha256s`` (originals' hashes; others are ignored); those not yet in the
    diary are added after its last entry, in the order they were taken. ``publish`` publishes a new diary; an
    existing one keeps the editors' choice. Running it again changes nothing.
    Refuses an empty title and a run with no photo of the site.
    """
    title = checked_title(title)
    try:
        site = Site.objects.get(slug=site_slug)
    except Site.DoesNotExist:
        raise DiaryError(f"--diary {title!r}: no site has the slug {site_slug!r}") from None
    photos = sorted(Photo.objects.filter(site=site, sha256__in=set(sha256s)), key=capture_order_key)
    if not photos:
        raise DiaryError(f"--diary {title!r}: no photo of this run belongs to the site {site_slug!r}; no diary made")
    with transaction.atomic():
        contributor = Contributor.objects.get_or_create(pseudonym=author)[0] if author else None
        diary, created = Diary.objects.select_for_update().get_or_create(
            site=site,
            title_en=title,
            defaults={"author": contributor, "visit_date": _visit_date(photos), "is_published": publish},
        )
        if not created and ((diary.author is None and contributor) or (diary.visit_date is None)):
            diary.author = diary.author or contributor
            diary.visit_date = diary.visit_date or _visit_date(photos)
            diary.save(update_fields=["author", "visit_date"])
        present = set(diary.entries.values_list("photo_id", flat=True))
        last = diary.entries.aggregate(last=Max("position"))["last"] or 0
        new = [photo for photo in photos if photo.pk not in present]
        DiaryEntry.objects.bulk_create(
            DiaryEntry(diary=diary, photo=photo, position=last + number) for number, photo in enumerate(new, start=1)
        )
    return DiaryMade(diary=diary, created=created, added=len(new), entries=len(present) + len(new))


def _visit_date(photos: list[Photo]) -> date | None:
    """The date of the first capture: by the camera clock where there is one, else by UTC."""
    for photo in photos:
        local = camera_clock(photo)
        if local is not None:
            return local.date()
        instant = capture_instant(photo)
        if instant is not None:
            return instant.date()
    return None


# ---------------------------------------------------------------------------------------------------------
# What the public sees


@dataclass(frozen=True)
class CameraPlace:
    """Where the camera stood and, when the file says, which way it faced (degrees clockwise from north)."""

    latitude: float
    longitude: float
    heading_deg: float | None = None
    altitude_m: float | None = None


@dataclass(frozen=True)
class PublicEntry:
    """One published photo of a diary as the public sees it; ``place`` is None for a generalised site."""

    number: int
    anchor: str
    photo_id: int
    caption: str
    text: str
    camera_clock: datetime | None
    time_utc: datetime | None
    content_note: str  # the note's words ("human remains"), or "" when the photo needs none
    thumb_url: str
    web_url: str
    width: int
    height: int
    credit: str
    licence: str
    place: CameraPlace | None
    waypoint_number: int | None
    waypoint_name: str

    @property
    def time_label(self) -> str:
        """The camera clock's time of day ("16:28"), as the photographer saw it on the day."""
        return self.camera_clock.strftime("%H:%M") if self.camera_clock else ""

    @property
    def facing_point(self) -> str:
        """The compass point the camera faced ("NE"), or "" when the file does not say."""
        if self.place is None or self.place.heading_deg is None:
            return ""
        return geo.compass_point(self.place.heading_deg)


@dataclass(frozen=True)
class PublicWaypoint:
    """A numbered waypoint of a diary at its entry's camera position (only where positions are public)."""

    number: int
    name: str
    entry: PublicEntry
    latitude: float
    longitude: float


@dataclass(frozen=True)
class PublicDiary:
    """A published diary: its published entries in reading order, its route (the camera positions in the order
    taken) and its waypoints. ``positional`` is False for a generalised site: then route and waypoints are empty
    and no entry has a place."""

    id: int
    anchor: str
    title: str
    author: str
    visit_date: date | None
    introduction: str
    entries: tuple[PublicEntry, ...]
    route: tuple[TrackPoint, ...]
    waypoints: tuple[PublicWaypoint, ...]
    positional: bool

    def map_data(self) -> dict[str, object]:
        """What the page's diary map and mini-maps draw, as JSON-ready values (nothing when not positional)."""
        if not self.positional:
            return {"route": [], "waypoints": [], "entries": []}
        return {
            "route": [[point.latitude, point.longitude] for point in self.route],
            "waypoints": [
                {
                    "number": w.number,
                    "name": w.name,
                    "lat": w.latitude,
                    "lon": w.longitude,
                    "anchor": w.entry.anchor,
                }
                for w in self.waypoints
            ],
            "entries": [
                {
                    "anchor": e.anchor,
                    "lat": e.place.latitude,
                    "lon": e.place.longitude,
                    "heading": e.place.heading_deg,
                }
                for e in self.entries
                if e.place is not None
            ],
        }


def public_diaries(site: Site) -> list[PublicDiary]:
    """The published diaries of a published site, with their published photos only."""
    if not site.is_published:
        return []
    entries = (
        DiaryEntry.objects.filter(public_photo_q("photo__"), photo__site=site)
        .select_related("photo")
        .order_by("position", "id")
    )
    diaries = (
        site.diaries.filter(is_published=True)
        .select_related("author")
        .prefetch_related(Prefetch("entries", queryset=entries))
        .order_by("visit_date", "id")
    )
    return [_public_diary(diary, site, positional=not site.is_generalised) for diary in diaries]


def _public_diary(diary: Diary, site: Site, positional: bool) -> PublicDiary:
    anchor = f"diary-{diary.pk}"
    taken: list[tuple[PublicEntry, Photo]] = []
    waypoint_number = 0
    for number, entry in enumerate(diary.entries.all(), start=1):
        name = _pick(entry, "waypoint_name")
        # Numbered among the published entries only, so a held-back photo leaves no gap in the numbers.
        if name:
            waypoint_number += 1
        public = _public_entry(entry, site, number, anchor, positional, waypoint_number if name else None, name)
        taken.append((public, entry.photo))
    entries = tuple(public for public, _photo in taken)
    waypoints = tuple(
        PublicWaypoint(e.waypoint_number, e.waypoint_name, e, e.place.latitude, e.place.longitude)
        for e in entries
        if e.waypoint_number is not None and e.place is not None
    )
    route = tuple(
        TrackPoint(e.place.latitude, e.place.longitude, e.time_utc, e.place.altitude_m)
        for e, _photo in sorted(taken, key=lambda pair: capture_order_key(pair[1]))
        if e.place is not None
    )
    return PublicDiary(
        id=diary.pk,
        anchor=anchor,
        title=diary.localized("title"),
        author=diary.author.pseudonym if diary.author else "",
        visit_date=diary.visit_date,
        introduction=diary.localized("introduction"),
        entries=entries,
        route=route if positional else (),
        waypoints=waypoints if positional else (),
        positional=positional,
    )


def public_precision_m(site: Site) -> float:
    """The site's public precision in metres: its generalisation grid, or its public uncertainty when coarser."""
    return max(float(site.generalise_m or 0), site.public_uncertainty_m)


def camera_place(photo: Photo, site: Site) -> CameraPlace | None:
    """Where the public may be told the camera stood, or None when the photo has no position.

    A photo the import held back (taken far from the site, so its place may say where the photographer lives or
    travels) is shown only at the site's public precision (`public_precision_m`), on that grid's cell centre and
    with no heading or altitude, even once an editor has published it.
    """
    if photo.latitude is None or photo.longitude is None:
        return None
    if not photo.is_held_back:
        return CameraPlace(photo.latitude, photo.longitude, photo.heading_deg, photo.altitude_m)
    point = geo.generalise(geo.LatLon(photo.latitude, photo.longitude), public_precision_m(site))
    return CameraPlace(point.lat, point.lon)


def _public_entry(
    entry: DiaryEntry,
    site: Site,
    number: int,
    anchor: str,
    positional: bool,
    waypoint: int | None,
    waypoint_name: str,
) -> PublicEntry:
    photo = entry.photo
    place = camera_place(photo, site) if positional else None
    return PublicEntry(
        number=number,
        anchor=f"{anchor}-entry-{number}",
        photo_id=photo.pk,
        caption=_caption(entry, photo),
        text=_pick(entry, "text"),
        camera_clock=camera_clock(photo),
        time_utc=capture_instant(photo),
        content_note=str(photo.get_content_note_display()) if photo.content_note else "",
        thumb_url=derivative_path(photo.thumb_sha256, "thumb"),
        web_url=derivative_path(photo.web_sha256, "web"),
        width=photo.width,
        height=photo.height,
        credit=photo.credit,
        licence=photo.licence,
        place=place,
        waypoint_number=waypoint,
        waypoint_name=waypoint_name,
    )


def _caption(entry: DiaryEntry, photo: Photo) -> str:
    """The entry's own caption, else the photo's: in the active language first, then in English."""
    language = (get_language() or "en").split("-")[0]
    for record, lang in ((entry, language), (photo, language), (entry, "en"), (photo, "en")):
        value = getattr(record, f"caption_{lang}", "") or ""
        if value:
            return str(value)
    return ""


def _pick(record: DiaryEntry | Photo, field: str) -> str:
    """The field in the active language, else in English; "" when neither is written."""
    language = (get_language() or "en").split("-")[0]
    value = getattr(record, f"{field}_{language}", "") or ""
    return value or getattr(record, f"{field}_en", "") or ""
