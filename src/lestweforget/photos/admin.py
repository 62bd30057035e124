"""The editors' admin for photos, the quarantine and diaries: captions, credits, publication and a diary's order;
what a file and its import recorded cannot be changed here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .addresses import derivative_path, original_path
from .models import Contributor, Diary, DiaryEntry, Photo, QuarantinedFile
from .publication import publish_many


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ("pseudonym", "created")
    search_fields = ("pseudonym",)
    readonly_fields = ("created",)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    """Editors caption, credit and publish photos; what the file and the import recorded cannot be changed."""

    list_display = (
        "thumbnail",
        "original_name",
        "site",
        "capture_time_utc",
        "position_source",
        "is_published",
        "held_back",
    )
    list_filter = ("is_published", "site", "position_source", "content_note")
    search_fields = ("original_name", "sha256", "caption_en", "caption_uk", "credit")
    date_hierarchy = "capture_time_utc"
    editable_fields = (
        "caption_en",
        "caption_uk",
        "credit",
        "licence",
        "content_note",
        "is_published",
        "release_reason",
    )
    recorded_fields = (
        "held_back_reason",
        "preview",
        "original",
        "site",
        "sha256",
        "original_name",
        "size_bytes",
        "format",
        "width",
        "height",
        "orientation",
        "capture_time_local",
        "capture_time_source",
        "utc_offset_minutes",
        "capture_time_utc",
        "capture_time_utc_source",
        "latitude",
        "longitude",
        "altitude_m",
        "accuracy_m",
        "heading_deg",
        "heading_ref",
        "position_source",
        "track_gap_s",
        "track_sha256",
        "device_make",
        "device_model",
        "flags",
        "perceptual_hash",
        "thumb_sha256",
        "thumb_size",
        "web_sha256",
        "web_size",
        "contributor",
        "imported_at",
    )
    readonly_fields = recorded_fields
    fieldsets = (
        (_("For readers"), {"fields": editable_fields}),
        (_("Recorded at import (restricted, unchangeable)"), {"fields": recorded_fields}),
    )

    actions = ("publish_photos", "unpublish_photos")
    list_select_related = ("site",)

    @admin.display(description=_("thumbnail"))
    def thumbnail(self, photo: Photo) -> str:
        """The thumbnail derivative (never the original), small, so the list shows what each photo is."""
        if not photo.thumb_sha256:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="96" loading="lazy" class="photo-thumbnail">',
            derivative_path(photo.thumb_sha256, "thumb"),
        )

    @admin.action(description=_("Publish the selected photos (not those held back)"))
    def publish_photos(self, request: HttpRequest, queryset: QuerySet[Photo]) -> None:
        """Publish each selected photo one by one (so each is validated and recorded in the ledger); a held-back
        photo without an editor's reason is refused and named: it is published only from its own page."""
        published, refused = publish_many(queryset, True)
        if published:
            self.message_user(
                request,
                ngettext("%(count)d photo published.", "%(count)d photos published.", published) % {"count": published},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                _(
                    "Not published, held back by the import: %(names)s. Open each one and give your reason in "
                    "“published despite the hold because” to publish it."
                )
                % {"names": ", ".join(refused)},
                messages.ERROR,
            )

    @admin.action(description=_("Unpublish the selected photos"))
    def unpublish_photos(self, request: HttpRequest, queryset: QuerySet[Photo]) -> None:
        unpublished, _refused = publish_many(queryset, False)
        self.message_user(
            request,
            ngettext("%(count)d photo unpublished.", "%(count)d photos unpublished.", unpublished)
            % {"count": unpublished},
            messages.SUCCESS,
        )

    @admin.display(boolean=True, description=_("held back"))
    def held_back(self, photo: Photo) -> bool:
        return bool(photo.held_back_reason)

    @admin.display(description=_("preview"))
    def preview(self, photo: Photo) -> str:
        if not photo.thumb_sha256:
            return "—"
        return format_html('<img src="{}" alt="" width="320">', derivative_path(photo.thumb_sha256, "thumb"))

    @admin.display(description=_("original"))
    def original(self, photo: Photo) -> str:
        return format_html('<a href="{}" download>{}</a>', original_path(photo.sha256), photo.original_name)

    def has_add_permission(self, request: object) -> bool:
        # Photos enter only through `lwf import photos`, which stores and records the original first.
        return False


@admin.register(QuarantinedFile)
class QuarantinedFileAdmin(admin.ModelAdmin):
    list_display = ("original_name", "site", "error", "imported_at")
    list_filter = ("site",)
    search_fields = ("original_name", "sha256", "error")
    readonly_fields = ("site", "sha256", "original_name", "error", "imported_at")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


class DiaryEntryInline(admin.TabularInline):
    """Reorder by editing positions, caption an entry, and name it to mark it as a waypoint."""

    model = DiaryEntry
    extra = 0
    autocomplete_fields = ("photo",)
    fields = (
        "position",
        "preview",
        "photo",
        "caption_en",
        "caption_uk",
        "text_en",
        "text_uk",
        "waypoint_name_en",
        "waypoint_name_uk",
    )
    readonly_fields = ("preview",)
    ordering = ("position", "id")

    @admin.display(description=_("preview"))
    def preview(self, entry: DiaryEntry) -> str:
        if not entry.pk or not entry.photo.thumb_sha256:
            return "—"
        return format_html('<img src="{}" alt="" width="160">', derivative_path(entry.photo.thumb_sha256, "thumb"))


@admin.register(Diary)
class DiaryAdmin(admin.ModelAdmin):
    list_display = ("title_en", "site", "author", "visit_date", "is_published", "entry_count")
    list_filter = ("is_published", "site")
    search_fields = ("title_en", "title_uk", "introduction_en", "author__pseudonym")
    autocomplete_fields = ("site", "author")
    inlines = (DiaryEntryInline,)
    fields = (
        ("site", "is_published"),
        ("title_en", "title_uk"),
        ("author", "visit_date"),
        "introduction_en",
        "introduction_uk",
    )

    @admin.display(description=_("entries"))
    def entry_count(self, diary: Diary) -> int:
        return diary.entries.count()

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not DiaryEntry:
            super().save_formset(request, form, formset, change)
            return
        entries = formset.save(commit=False)
        with transaction.atomic():
            for entry in formset.deleted_objects:
                entry.delete()
            # Saved one by one, a swap of two positions would collide halfway; park the moved entries first.
            moved = [entry.pk for entry in entries if entry.pk]
            for pk in moved:
                DiaryEntry.objects.filter(pk=pk).update(position=-pk)
            for entry in entries:
                entry.save()
            formset.save_m2m()
