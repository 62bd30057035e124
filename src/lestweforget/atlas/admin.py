"""The editors' admin: every record, validated by the model's own rules, with the site's parts edited in place."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import filters
from .forms import EventAdminForm, SiteAdminForm, SiteNameFormSet
from .models import Approach, Claim, ClaimSubject, Event, Settlement, Site, SiteName, Source, StatusChange

admin.site.site_header = _("Lest We Forget: editors")
admin.site.site_title = _("Lest We Forget")


class SiteNameInline(admin.TabularInline):
    model = SiteName
    formset = SiteNameFormSet
    extra = 1


class ApproachInline(admin.StackedInline):
    model = Approach
    extra = 0
    filter_horizontal = ("sources",)


class StatusInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    autocomplete_fields = ("source",)


class ClaimInline(admin.StackedInline):
    model = Claim
    extra = 0
    autocomplete_fields = ("source", "subject")
    fields = (
        "subject",
        ("value", "number", "unit", "status"),
        ("asserted", "source"),
        ("asserted_by_en", "asserted_by_uk"),
        ("note_en", "note_uk"),
    )


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    form = SiteAdminForm
    list_display = ("display_name", "kind", "settlement", "is_published", "sensitivity", "uncertainty_m", "updated")
    list_display_links = ("display_name",)
    list_filter = ("kind", "is_published", "sensitivity")
    # Names are found through the atlas name search (any script and common spelling, typo-tolerant, indexed where an
    # app registers an index: `filters.register_name_search`), slugs exactly; a scan of every name, slug and summary
    # with LIKE took seconds at a million sites and found "Изюм" but not "Izyum".
    search_fields = ("=slug",)
    search_help_text = _(
        "A site's name in any script or common spelling (Izium, Izyum, Ізюм, Изюм), or its exact slug."
    )
    # The admin's second count, of every site, is a full scan at a million sites; the matches are counted still.
    show_full_result_count = False
    readonly_fields = ("public_latitude", "public_longitude", "public_uncertainty_m", "h3_r7", "created", "updated")
    autocomplete_fields = ("settlement", "location_source")
    inlines = (SiteNameInline, ApproachInline, StatusInline, ClaimInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "slug",
                    "kind",
                    "settlement",
                    "is_published",
                    "confirm_implausible",
                    "summary_en",
                    "summary_uk",
                )
            },
        ),
        (
            _("Precise location (restricted)"),
            {
                "fields": (
                    ("latitude", "longitude", "uncertainty_m"),
                    "place_text",
                    "location_method_en",
                    "location_method_uk",
                    "location_source",
                )
            },
        ),
        (
            _("Public location"),
            {
                "fields": (
                    ("sensitivity", "generalise_m"),
                    ("public_latitude", "public_longitude", "public_uncertainty_m"),
                    "h3_r7",
                )
            },
        ),
        (_("Record"), {"fields": ("created", "updated")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Site]:
        return super().get_queryset(request).select_related("settlement").prefetch_related("names")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Site], search_term: str
    ) -> tuple[QuerySet[Site], bool]:
        by_slug, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        text = search_term.strip()
        if not text:
            return by_slug, may_have_duplicates
        try:
            ids = filters.search_ids(filters.parse({"q": text}).q)
        except filters.FilterError:
            problem = _("Search: give a name of at most %(count)d characters, without control characters.")
            self.message_user(request, problem % {"count": filters.MAX_QUERY_CHARS}, level=messages.WARNING)
            return queryset.none(), False
        return by_slug | queryset.filter(pk__in=ids), may_have_duplicates

    @admin.display(description=_("name"), ordering="slug")
    def display_name(self, site: Site) -> str:
        """The site's name in the editor's language (else English), as readers know it, not its slug."""
        return site.name()


@admin.register(Settlement)
class SettlementAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_en", "name_uk", "latitude", "longitude")
    search_fields = ("slug", "name_en", "name_uk", "name_ru", "other_names")
    autocomplete_fields = ("source",)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("key", "kind", "publisher", "publisher_uk", "title", "published", "language")
    list_filter = ("kind", "language")
    search_fields = ("key", "title", "publisher", "publisher_uk", "author", "url")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = ("date", "precision", "kind", "title_en", "site", "settlement")
    list_filter = ("kind", "precision")
    search_fields = ("title_en", "title_uk", "description_en")
    autocomplete_fields = ("site", "settlement")
    filter_horizontal = ("sources",)


@admin.register(ClaimSubject)
class ClaimSubjectAdmin(admin.ModelAdmin):
    """The subjects claims are grouped by; editors choose one for each claim rather than typing a key."""

    list_display = ("key", "label_en", "label_uk", "claim_count")
    search_fields = ("key", "label_en", "label_uk")

    @admin.display(description=_("claims"))
    def claim_count(self, subject: ClaimSubject) -> int:
        return subject.claims.count()


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("site", "subject", "value", "status", "asserted", "source")
    list_filter = ("status", "subject")
    search_fields = (
        "subject__key",
        "subject__label_en",
        "subject__label_uk",
        "value",
        "asserted_by_en",
        "asserted_by_uk",
    )
    autocomplete_fields = ("site", "source", "subject")
