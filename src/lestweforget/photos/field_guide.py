"""A site's offline field guide, built from public data only: what `lwf guide` writes and the site page offers.

Everything comes through `public` and `diaries` (the public point, never the precise one; published photos
only, as their clean derivatives read from the evidence store), and is packed by `exports.guide.build_guide`,
which refuses any image that still carries metadata.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lestweforget.atlas import evidence_records, public
from lestweforget.atlas.models import Site
from lestweforget.atlas.publisher import contact_email
from lestweforget.atlas.templatetags.atlas import web_link
from lestweforget.evidence import EvidenceError
from lestweforget.exports import plain_values
from lestweforget.exports.guide import (
    DEFAULT_LABELS_EN,
    DEFAULT_LABELS_UK,
    FieldGuide,
    GuideDiary,
    GuidePhoto,
    GuideWaypoint,
    build_guide,
)
from lestweforget.exports.locale_text import coordinates_text, day_text

from . import diaries
from .models import Photo

GUIDE_LABELS: Mapping[str, Mapping[str, str]] = {"en": DEFAULT_LABELS_EN, "uk": DEFAULT_LABELS_UK}


class FieldGuideError(Exception):
    """A guide that cannot be made (unknown language, a derivative missing from the store)."""


def guide_languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES if code in GUIDE_LABELS)


def site_guide(site: Site, language: str, base_url: str) -> bytes:
    """The published site's field guide as ZIP bytes, in ``language`` ("en" or "uk")."""
    return build_guide(field_guide(site, language, base_url))


def field_guide(site: Site, language: str, base_url: str) -> FieldGuide:
    """The guide's contents for a published site, in ``language``; ``base_url`` is the atlas's http(s) address."""
    if language not in guide_languages():
        raise FieldGuideError(f"--language {language!r}: the guide is made in {', '.join(guide_languages())}")
    with translation.override(language):
        # Rows stored before the input rule may hold control characters, which HTML cannot carry.
        return plain_values(_field_guide(site, language, base_url.rstrip("/")))


def _field_guide(site: Site, language: str, base_url: str) -> FieldGuide:
    approach = getattr(site, "approach", None)
    directions = public.public_directions(site)
    forms = public.location_forms(site)
    cited = [source for source in public.cited_sources(site) if web_link(source.url)]
    latitude, longitude = public.published_coordinates(site)
    return FieldGuide(
        language=language,
        site_name=site.name(),
        site_slug=site.slug,
        summary=site.localized("summary"),
        settlement_offset=public.settlement_offset_text(site),
        safety=approach.localized("safety") if approach is not None else "",
        directions=directions.localized("directions") if directions else "",
        start_name=directions.localized("start_name") if directions else "",
        start_latitude=directions.start_latitude if directions else None,
        start_longitude=directions.start_longitude if directions else None,
        mode_label=str(directions.get_mode_display()) if directions else "",
        last_checked_label=_day(directions.last_checked) if directions else "",
        latitude=latitude,
        longitude=longitude,
        uncertainty_m=site.public_uncertainty_m,
        coordinate_forms=(
            (_("Decimal degrees (WGS 84)"), coordinates_text(forms.decimal.value, language)),
            # Written as a map app reads it too, where the reader's own form differs (a decimal comma).
            *(
                [(_("Decimal degrees for a navigation app"), forms.decimal.value)]
                if coordinates_text(forms.decimal.value, language) != forms.decimal.value
                else []
            ),
            (_("Degrees, minutes, seconds"), coordinates_text(forms.dms.value, language)),
            ("MGRS", forms.mgrs.value),
            ("Plus Code", forms.plus_code.value),
            (
                _("SK-42 (Pulkovo 1942) Gauss-Krüger"),
                forms.sk42.value or _("outside the area of the SK-42 grid (6° E eastward to 168° W, 35° N to 82° N)"),
            ),
            ("geo: URI", forms.geo_uri.value),
        ),
        diaries=tuple(_guide_diary(diary) for diary in diaries.public_diaries(site)),
        sources=tuple(
            (f"{source.citation_label}: {source.title}" if source.publisher else source.title, source.url)
            for source in cited
        ),
        source_languages=tuple(source.language for source in cited),
        citable_url=base_url + reverse("site", args=[site.slug]),
        generated_label=_day(timezone.localdate()),
        labels=GUIDE_LABELS[language],
        directions_withheld=_directions_withheld(site),
    )


def _directions_withheld(site: Site) -> str:
    """Why a generalised site's guide has no directions, and whom to ask (LWF_CONTACT_EMAIL when set)."""
    if public.offers_directions(site):
        return ""
    text = _("Directions to this site are not published, to protect it. Ask the editors if you have a reason to visit.")
    if email := contact_email():
        text += " " + _("Write to the editors: %(email)s") % {"email": email}
    return str(text)


def _day(value: dt.date) -> str:
    return day_text(value, translation.get_language() or "en")


def _guide_diary(diary: diaries.PublicDiary) -> GuideDiary:
    waypoint_numbers = {waypoint.number for waypoint in diary.waypoints}
    photos = Photo.objects.in_bulk([e.photo_id for e in diary.entries])
    return GuideDiary(
        title=diary.title,
        author=diary.author,
        visit_date_label=_day(diary.visit_date) if diary.visit_date else "",
        introduction=diary.introduction,
        photos=tuple(_guide_photo(diary, entry, photos[entry.photo_id], waypoint_numbers) for entry in diary.entries),
        waypoints=tuple(
            GuideWaypoint(
                number=waypoint.number,
                name=waypoint.name,
                description=waypoint.entry.caption,
                latitude=waypoint.latitude,
                longitude=waypoint.longitude,
            )
            for waypoint in diary.waypoints
        ),
        route=tuple((point.latitude, point.longitude) for point in diary.route),
    )


def _guide_photo(
    diary: diaries.PublicDiary, entry: diaries.PublicEntry, photo: Photo, waypoint_numbers: set[int]
) -> GuidePhoto:
    place = entry.place
    return GuidePhoto(
        # Named by the diary and the entry's number, not by the original's hash: the guide holds no original.
        id=f"{diary.anchor}-{entry.number:03d}",
        caption=entry.caption,
        text=entry.text,
        time_label=entry.time_label,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        heading_deg=place.heading_deg if place else None,
        content_note=entry.content_note,
        web_jpeg=_derivative(photo, "web"),
        thumb_jpeg=_derivative(photo, "thumb"),
        credit=entry.credit,
        waypoint_number=entry.waypoint_number if entry.waypoint_number in waypoint_numbers else None,
    )


def _derivative(photo: Photo, label: str) -> bytes:
    sha256 = getattr(photo, f"{label}_sha256")
    if not sha256:
        raise FieldGuideError(f"{photo.original_name}: has no {label} derivative; run `lwf verify`")
    try:
        with evidence_records.open_store(create=False).open(sha256) as handle:
            return handle.read()
    except EvidenceError as error:
        raise FieldGuideError(
            f"{photo.original_name}: its {label} derivative {sha256} cannot be read ({error})"
        ) from error
