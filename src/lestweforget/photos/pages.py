"""What the photos app adds to a site's page and its exports: the field guide button, the photo diaries, the
published photos, and each public diary's waypoints and route.

Everything comes from `diaries.public_diaries` and `views.photo_cards`, which already keep to the public rules
(published photos of published sites; nothing positional for a generalised site).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lestweforget.atlas import filters, site_parts
from lestweforget.atlas.models import Site
from lestweforget.atlas.public import reader_language, site_url
from lestweforget.exports import PlaceFeature, Track
from lestweforget.exports.locale_text import day_text

from . import diaries
from .models import Photo
from .views import photo_cards


def _diaries_context(request: HttpRequest, site: Site) -> Mapping[str, Any]:
    site_diaries = diaries.public_diaries(site)
    return {
        "diaries": site_diaries,
        "diary_maps": [(diary.anchor, diary.map_data()) for diary in site_diaries if diary.positional],
    }


def _photos_context(request: HttpRequest, site: Site) -> Mapping[str, Any]:
    return {"photos": photo_cards(site, request.user)}


def _no_context(request: HttpRequest, site: Site) -> Mapping[str, Any]:
    return {}


def diary_export(site: Site, base_url: str) -> tuple[Sequence[PlaceFeature], Sequence[Track]]:
    """Each public diary's waypoints and its route as a track; nothing for a generalised site."""
    features: list[PlaceFeature] = []
    tracks: list[Track] = []
    if site.is_generalised:
        return features, tracks
    for diary in diaries.public_diaries(site):
        features += [waypoint_feature(site, diary, waypoint, base_url) for waypoint in diary.waypoints]
        if len(diary.route) >= 2:
            tracks.append(route_track(diary))
    return features, tracks


def waypoint_feature(
    site: Site, diary: diaries.PublicDiary, waypoint: diaries.PublicWaypoint, base_url: str
) -> PlaceFeature:
    """A diary waypoint at the camera's position, linking to its entry; a graphic photo's thumbnail is left out
    (the reader has not chosen to see it) and its content note is said instead."""
    entry = waypoint.entry
    lines = [part for part in (entry.caption, entry.text) if part]
    if entry.content_note:
        lines.append(_("Content note: the photo shows %(note)s.") % {"note": entry.content_note})
    return PlaceFeature(
        id=f"{site.slug}-{diary.anchor}-waypoint-{waypoint.number}",
        name=f"{waypoint.number}. {waypoint.name}",
        latitude=waypoint.latitude,
        longitude=waypoint.longitude,
        kind="waypoint",
        description="\n\n".join(lines),
        url=f"{site_url(site, base_url, reader_language())}#{entry.anchor}",
        time=entry.time_utc,
        thumbnail_url="" if entry.content_note else base_url.rstrip("/") + entry.thumb_url,
        properties={"diary": diary.title, "number": waypoint.number},
    )


def route_track(diary: diaries.PublicDiary) -> Track:
    """A diary's route: the positions its photos were taken at, in the order they were taken."""
    when = day_text(diary.visit_date, reader_language()) if diary.visit_date else ""
    if diary.author and when:
        about = _("Walked by %(author)s on %(date)s.") % {"author": diary.author, "date": when}
    elif when:
        about = _("Walked on %(date)s.") % {"date": when}
    else:
        about = ""
    return Track(name=diary.title, points=diary.route, description=about)


def register() -> None:
    """Put the field guide button, the diaries and the photos on every site page, and diaries in its exports."""
    site_parts.register_page_part(
        site_parts.PagePart("field-guide", "getting_there", "photos/_field_guide_button.html", _no_context)
    )
    site_parts.register_page_part(
        site_parts.PagePart("diaries", "after_getting_there", "photos/_diary.html", _diaries_context)
    )
    site_parts.register_page_part(
        site_parts.PagePart("photos", "after_getting_there", "photos/_photos.html", _photos_context)
    )
    site_parts.register_export_part(site_parts.ExportPart("diaries", diary_export))
    filters.register_flag("has_photos", with_published_photos)


def with_published_photos(sites: QuerySet[Site]) -> QuerySet[Site]:
    """The sites among ``sites`` that show at least one published photo (the "has photos" filter)."""
    return sites.filter(pk__in=Photo.objects.filter(is_published=True).values("site_id"))
