"""Photos as evidence: who brought them, what their metadata says, the quarantine, and the diaries told with them.

An original lives in the evidence store under its SHA-256; a Photo row records what the import read from it and the
derivatives made from it. The public sees only derivatives of published photos of published sites.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lestweforget.atlas.models import Localized, Site
from lestweforget.atlas.validators import validate_latitude, validate_longitude, validate_not_in_future


class Contributor(models.Model):
    """Whoever brought evidence in, known to the public only by a pseudonym; the ledger records this id."""

    pseudonym = models.CharField(_("pseudonym"), max_length=120, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pseudonym"]
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def actor_id(self) -> str:
        return f"contributor:{self.pk}"


def public_photo_q(prefix: str = "") -> models.Q:
    """The photos the public may see, as a filter (``prefix`` "photo__" from a relation): published, and for a
    held-back one, only with an editor's reason; a row saved before that rule without one stays out."""
    return models.Q(**{f"{prefix}is_published": True}) & (
        models.Q(**{f"{prefix}held_back_reason": ""}) | ~models.Q(**{f"{prefix}release_reason": ""})
    )


class Photo(Localized):
    """An original in the evidence store, what its metadata says, and the clean copies made from it."""

    class PositionSource(models.TextChoices):
        EXIF = "exif", _("camera GPS")
        TRACK = "track", _("interpolated from a GPS track")
        NONE = "none", _("no position")

    class UtcSource(models.TextChoices):
        OFFSET = "offset", _("the file's UTC offset")
        GPS = "gps", _("the GPS time stamp")
        ASSUMED = "assumed", _("an offset given at import")

    class HeadingRef(models.TextChoices):
        TRUE = "T", _("true north")
        MAGNETIC = "M", _("magnetic north")

    class ContentNote(models.TextChoices):
        NONE = "", _("none")
        HUMAN_REMAINS = "human_remains", _("human remains")
        INJURIES = "injuries", _("injuries")
        GRAVES = "graves", _("graves and exhumation")
        DISTRESS = "distress", _("people in distress")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="photos")
    sha256 = models.CharField(_("SHA-256 of the original"), max_length=64, unique=True)
    original_name = models.CharField(_("original file name"), max_length=500)
    size_bytes = models.BigIntegerField(_("size (bytes)"))
    format = models.CharField(_("format"), max_length=10)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    orientation = models.PositiveSmallIntegerField(_("EXIF orientation"), null=True, blank=True)
    # The camera clock's reading as written, without a zone ("2008-10-22T16:28:39"): a wall-clock time is not
    # an instant until its offset is known, so it is kept as text rather than guessed into a DateTimeField.
    capture_time_local = models.CharField(_("capture time (camera clock)"), max_length=32, blank=True)
    capture_time_source = models.CharField(_("capture time from"), max_length=40, blank=True)
    utc_offset_minutes = models.SmallIntegerField(_("UTC offset (minutes)"), null=True, blank=True)
    capture_time_utc = models.DateTimeField(_("capture time (UTC)"), null=True, blank=True)
    capture_time_utc_source = models.CharField(_("UTC time from"), max_length=10, choices=UtcSource.choices, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_latitude])
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_longitude])
    altitude_m = models.FloatField(_("altitude (m)"), null=True, blank=True)
    accuracy_m = models.FloatField(_("accuracy (m)"), null=True, blank=True)
    heading_deg = models.FloatField(_("heading (°)"), null=True, blank=True)
    heading_ref = models.CharField(_("heading relative to"), max_length=1, choices=HeadingRef.choices, blank=True)
    position_source = models.CharField(
        _("position from"), max_length=10, choices=PositionSource.choices, default=PositionSource.NONE
    )
    track_gap_s = models.FloatField(_("time to nearest track point (s)"), null=True, blank=True)
    track_sha256 = models.CharField(_("GPS track used (SHA-256)"), max_length=64, blank=True)
    device_make = models.CharField(_("device make (restricted)"), max_length=120, blank=True)
    device_model = models.CharField(_("device model (restricted)"), max_length=120, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    perceptual_hash = models.CharField(_("perceptual hash"), max_length=32, blank=True)
    thumb_sha256 = models.CharField(_("thumbnail SHA-256"), max_length=64, blank=True)
    web_sha256 = models.CharField(_("web copy SHA-256"), max_length=64, blank=True)
    thumb_size = models.CharField(max_length=20, blank=True)
    web_size = models.CharField(max_length=20, blank=True)
    caption_en = models.TextField(_("caption (English)"), blank=True)
    caption_uk = models.TextField(_("caption (Ukrainian)"), blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True, default="CC BY 4.0")
    content_note = models.CharField(
        _("content note"), max_length=20, choices=ContentNote.choices, default=ContentNote.NONE, blank=True
    )
    contributor = models.ForeignKey(Contributor, on_delete=models.PROTECT, null=True, blank=True, related_name="photos")
    is_published = models.BooleanField(_("published"), default=False)
    held_back_reason = models.CharField(_("held back because"), max_length=300, blank=True)
    release_reason = models.TextField(
        _("published despite the hold because"),
        blank=True,
        help_text=_(
            "Only for a photo the import held back: why an editor publishes it all the same. Its camera position is "
            "then shown only at the site's public precision."
        ),
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["capture_time_utc", "capture_time_local", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"

    @property
    def is_graphic(self) -> bool:
        return bool(self.content_note)

    @property
    def is_public(self) -> bool:
        """Whether the public may see it (the site aside): `public_photo_q` for one row."""
        return self.is_published and (not self.is_held_back or bool(self.release_reason))

    @property
    def is_held_back(self) -> bool:
        """Held back by the import (taken far from the site): published only by an editor's recorded choice."""
        return bool(self.held_back_reason)

    def publication_refusal(self) -> str:
        """Why this photo may not be published as it stands ("" when it may): a held-back photo needs an editor's
        reason in `release_reason`."""
        if self.is_published and self.is_held_back and not self.release_reason.strip():
            return str(
                _(
                    "“%(name)s” was held back by the import (%(reason)s). Ticking “published” is not enough: give "
                    "your reason in “published despite the hold because”; its camera position will then be shown "
                    "only at the site's public precision."
                )
                % {"name": self.original_name, "reason": self.held_back_reason}
            )
        return ""

    def clean(self) -> None:
        if refusal := self.publication_refusal():
            raise ValidationError({"is_published": refusal})

    def save(self, *args: object, **kwargs: object) -> None:
        # Enforced on every save, not only in forms: no door publishes a held-back photo without a reason.
        if refusal := self.publication_refusal():
            raise ValidationError({"is_published": refusal})
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    # How the record ledger (atlas.record_ledger) names a photo and what it records of one.

    def ledger_name(self) -> str:
        """A photo is named by its original's hash, the name every evidence entry uses."""
        return f"sha256:{self.sha256}"

    def ledger_action(self, changed: Sequence[str]) -> str | None:
        """Publishing and withdrawing are entries of their own, so the import can tell an editor's decision."""
        if "is_published" in changed:
            return "photo.published" if self.is_published else "photo.unpublished"
        return None

    def ledger_details(self, changed: Sequence[str]) -> dict[str, str]:
        """Publishing a held-back photo records the hold and the editor's reason in the entry itself."""
        if self.is_held_back and self.is_published and ({"is_published", "release_reason"} & set(changed)):
            return {"held_back_reason": self.held_back_reason, "release_reason": self.release_reason}
        return {}

    def ledger_released_objects(self) -> dict[str, str]:
        """The stored files a deleted photo leaves behind (role -> SHA-256): they stay in the store, each marked as
        no longer listed by the atlas, so verify does not take them for objects nobody recorded."""
        kept = {"thumb": self.thumb_sha256, "web": self.web_sha256}
        if self.track_sha256 and not Photo.objects.filter(track_sha256=self.track_sha256).exists():
            kept["track"] = self.track_sha256
        return {role: sha256 for role, sha256 in kept.items() if sha256}


class QuarantinedFile(models.Model):
    """A file an import could not read: its bytes are kept in the store's quarantine with the reason."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="quarantined_files")
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=500)
    error = models.TextField()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        constraints = [models.UniqueConstraint(fields=["site", "sha256"], name="quarantined_once_per_site")]
        verbose_name = _("quarantined file")
        verbose_name_plural = _("quarantined files")

    def __str__(self) -> str:
        return f"{self.original_name}: {self.error}"


class Diary(Localized):
    """One visit told in photos: who went, when, what they saw, in the order they tell it."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="diaries")
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=300, blank=True)
    author = models.ForeignKey(
        Contributor,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="diaries",
    )
    visit_date = models.DateField(_("visit date"), null=True, blank=True, validators=[validate_not_in_future])
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    introduction_uk = models.TextField(_("introduction (Ukrainian)"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["visit_date", "id"]
        verbose_name = _("photo diary")
        verbose_name_plural = _("photo diaries")
        constraints = [models.UniqueConstraint(fields=["site", "title_en"], name="diary_title_once_per_site")]

    def __str__(self) -> str:
        return self.title_en


class DiaryEntry(Localized):
    """One photo of a diary in its place in the story; a named entry is also a waypoint of the walk."""

    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="entries")
    photo = models.ForeignKey(Photo, on_delete=models.PROTECT, related_name="diary_entries")
    # Not a PositiveIntegerField: reordering parks entries at negative positions for a moment (see admin).
    position = models.IntegerField(
        _("position"), validators=[MinValueValidator(1)], help_text=_("Entries are read in rising order.")
    )
    caption_en = models.TextField(_("caption (English)"), blank=True, help_text=_("Blank: the photo's caption."))
    caption_uk = models.TextField(_("caption (Ukrainian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    text_uk = models.TextField(_("text (Ukrainian)"), blank=True)
    waypoint_name_en = models.CharField(
        _("waypoint name (English)"),
        max_length=200,
        blank=True,
        help_text=_("Name it to mark this entry as a waypoint; waypoints are numbered in reading order."),
    )
    waypoint_name_uk = models.CharField(_("waypoint name (Ukrainian)"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        constraints = [
            models.UniqueConstraint(fields=["diary", "position"], name="entry_position_once_per_diary"),
            models.UniqueConstraint(fields=["diary", "photo"], name="photo_once_per_diary"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.photo.original_name}"

    def clean(self) -> None:
        if self.photo_id and self.diary_id and self.photo.site_id != self.diary.site_id:
            raise ValidationError({"photo": _("The photo belongs to another site than the diary.")})
