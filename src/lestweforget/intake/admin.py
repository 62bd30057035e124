"""The editors' review of imported articles: the upload form, one page per article with every proposed item beside
the sentence it came from (claims beside those already recorded), and a decision for each; and each kind of
proposed item on its own list, for bulk decisions. The archived copy and what the reader found cannot be changed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .forms import ArticleUploadForm, DecisionForm
from .importing import IntakeError, import_article
from .models import ArticleImport, ProposedClaim, ProposedEvent, ProposedItem, ProposedLocation, ProposedSite
from .review import ReviewError, accept, reject

# How the reader resolved a place, as the articles library names it.
RESOLUTIONS = {
    "unique": _("the only place of that name"),
    "oblast named with it": _("by the oblast named with it"),
    "oblast in the sentence": _("by the oblast in the same sentence"),
    "oblast of the article": _("by the oblast the article is about"),
    "nearby places": _("by the other places near it"),
    "largest namesake": _("the largest place of that name"),
    "ambiguous": _("ambiguous"),
}


def _place_label(place: dict[str, Any]) -> str:
    """A gazetteer place in the active language: "Ізюм (Харківська область)" on a Ukrainian page."""
    if get_language() == "uk" and place.get("name_uk"):
        if place.get("kind") == "oblast" or not place.get("oblast_uk"):
            return str(place["name_uk"])
        return f"{place['name_uk']} ({place['oblast_uk']} область)"
    return str(place.get("label") or place.get("name"))


def _actor(request: HttpRequest) -> str:
    return f"user:{request.user.pk}"


def _decide(request: HttpRequest, item: ProposedItem, decision: str) -> bool:
    try:
        if decision == "accept":
            accept(item, _actor(request))
        else:
            reject(item, _actor(request))
    except ReviewError as error:
        messages.error(request, str(error))
        return False
    return True


class DecisionFormSet(BaseInlineFormSet):
    """Saves an editor's edits, then applies each row's decision; a row that cannot be accepted stays pending with
    the reason shown."""

    request: HttpRequest

    def save(self, commit: bool = True) -> list[Any]:
        saved = super().save(commit=commit)
        for form in self.forms:
            decision = form.cleaned_data.get("decide") if hasattr(form, "cleaned_data") else None
            if decision and form.instance.pk is not None and form.instance.is_pending:
                form.instance.refresh_from_db()
                _decide(self.request, form.instance, decision)
        return saved


class ProposedInline(admin.TabularInline):
    form = DecisionForm
    formset = DecisionFormSet
    extra = 0
    can_delete = False
    show_change_link = False
    readonly_fields: tuple[str, ...] = ("as_written", "quote", "confidence", "decision_state")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("decision"))
    def decision_state(self, item: ProposedItem) -> str:
        if item.is_pending:
            return str(item.get_decision_display())  # type: ignore[attr-defined]
        return f"{item.get_decision_display()} ({item.decided_by}, {item.decided_at:%Y-%m-%d %H:%M})"  # type: ignore[attr-defined]


class ProposedSiteInline(ProposedInline):
    model = ProposedSite
    fields = (
        "as_written",
        "why",
        "confidence",
        "decision_state",
        "decide",
        "proposal",
        "site",
        "name",
        "kind",
        "latitude",
        "longitude",
        "uncertainty_m",
        "place_label",
    )
    readonly_fields = ("proposal", "why", "place_label", "as_written", "confidence", "decision_state")

    @admin.display(description=_("why"))
    def why(self, item: ProposedSite) -> str:
        return item.reason_text()


class ProposedEventInline(ProposedInline):
    model = ProposedEvent
    fields = (
        "as_written",
        "quote",
        "decision_state",
        "decide",
        "date",
        "date_end",
        "precision",
        "site",
        "kind",
        "title",
    )


class ProposedClaimInline(ProposedInline):
    model = ProposedClaim
    fields = (
        "as_written",
        "quote",
        "recorded",
        "decision_state",
        "decide",
        "value",
        "qualifier",
        "low",
        "high",
        "unit",
        "site",
        "subject",
        "subject_label_en",
    )
    readonly_fields = ("as_written", "quote", "recorded", "decision_state")

    @admin.display(description=_("already recorded"))
    def recorded(self, item: ProposedClaim) -> str:
        """The values already recorded about the same thing, each with how many sources give it; those this figure
        does not fit under "sources disagree"."""
        if not item.recorded_beside():
            return gettext("nothing yet") if item.site_id else gettext("choose the site first")
        headings = {
            "agree": gettext("as recorded"),
            "disagree": gettext("sources disagree"),
            "other": gettext("also recorded"),
        }
        parts = []
        for group, values in item.beside().items():
            if values:
                rows = format_html_join(
                    "",
                    '<li class="lwf-{}" title="{}">{} ({})</li>',
                    ((group, ", ".join(keys), value, len(keys)) for value, keys in values),
                )
                parts.append(format_html("<strong>{}</strong><ul>{}</ul>", headings[group], rows))
        return format_html_join("", "{}", ((part,) for part in parts))


class ProposedLocationInline(ProposedInline):
    model = ProposedLocation
    fields = (
        "as_written",
        "quote",
        "how",
        "decision_state",
        "decide",
        "site",
        "latitude",
        "longitude",
        "uncertainty_m",
    )
    readonly_fields = ("how", "as_written", "quote", "decision_state")


@admin.register(ArticleImport)
class ArticleImportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "language", "source", "pending", "imported_at")
    list_filter = ("status", "language")
    search_fields = ("title", "original_name", "sha256", "url", "byline")
    inlines = (ProposedSiteInline, ProposedEventInline, ProposedClaimInline, ProposedLocationInline)

    class Media:
        css = {"all": ("intake/review.css",)}

    fields = (
        "title",
        "byline",
        "status",
        "error",
        "source",
        "url",
        "site_given",
        "language",
        "format",
        "original_name",
        "sha256",
        "size_bytes",
        "imported_by",
        "imported_at",
        "places_found",
        "unreadable_map_links",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArticleImport]:
        waiting = [
            Count(relation, filter=Q(**{f"{relation}__decision": "pending"}), distinct=True)
            for relation in ("proposed_sites", "proposed_events", "proposed_claims", "proposed_locations")
        ]
        return super().get_queryset(request).annotate(_pending=waiting[0] + waiting[1] + waiting[2] + waiting[3])

    @admin.display(description=_("items waiting"), ordering="_pending")
    def pending(self, row: ArticleImport) -> int:
        return int(getattr(row, "_pending", 0))

    @admin.display(description=_("places the article names"))
    def places_found(self, row: ArticleImport) -> str:
        places = row.findings.get("places", []) if isinstance(row.findings, dict) else []
        items = []
        for mention in places:
            place = mention.get("place")
            how = RESOLUTIONS.get(mention.get("resolution", ""), mention.get("resolution", ""))
            if place:
                where = gettext("%(label)s: %(latitude)s, %(longitude)s, ±%(metres)s m") % {
                    "label": _place_label(place),
                    "latitude": number_format(place["latitude"], 4),
                    "longitude": number_format(place["longitude"], 4),
                    "metres": number_format(place["uncertainty_m"], 0, force_grouping=True),
                }
                items.append((mention["text"], f"{where} ({how}, {number_format(mention['confidence'], 2)})"))
            else:
                names = ", ".join(_place_label(c) for c in mention.get("candidates", []))
                items.append((mention["text"], gettext("ambiguous: %(names)s") % {"names": names}))
        if not items:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>«{}»: {}</li>", items))

    @admin.display(description=_("map links without a point"))
    def unreadable_map_links(self, row: ArticleImport) -> str:
        links = row.findings.get("unreadable_map_links", []) if isinstance(row.findings, dict) else []
        if not links:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}: {}</li>", ((link["url"], link["reason"]) for link in links))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff and request.user.has_perm("intake.add_articleimport"))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the archived copy is evidence; its record stays

    def get_urls(self) -> list[URLPattern]:
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="intake_articleimport_upload")
        return [upload, *super().get_urls()]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:intake_articleimport_upload"))

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """The upload form: a file or pasted text in, the draft's review page out (or the reason it was refused)."""
        if not self.has_add_permission(request):
            return HttpResponse(gettext("You may not import articles."), status=403)
        form = ArticleUploadForm(request.POST or None, request.FILES or None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                data, name = form.article_bytes()
                site = form.cleaned_data.get("site")
                try:
                    result = import_article(
                        data,
                        name,
                        _actor(request),
                        url=form.cleaned_data.get("url") or None,
                        site_slug=site.slug if site else None,
                    )
                except IntakeError as error:
                    form.add_error(None, str(error))
                else:
                    row = result.article
                    change = reverse("admin:intake_articleimport_change", args=[row.pk])
                    if result.refused:
                        messages.error(
                            request,
                            gettext("%(error)s The file is kept as evidence (SHA-256 %(sha)s).")
                            % {"error": row.error, "sha": row.sha256},
                        )
                    elif not result.created:
                        messages.info(request, gettext("This article was imported before; nothing changed."))
                    else:
                        messages.success(request, gettext("Imported as a draft: review each item below."))
                    return HttpResponseRedirect(change)
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import an article"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/intake/articleimport/upload.html", context, status=status)


class ProposedItemAdmin(admin.ModelAdmin):
    """One kind of proposed item across articles, for bulk decisions."""

    list_filter = ("decision", "article__language")
    actions = ("accept_selected", "reject_selected")
    readonly_fields = ("article", "as_written", "quote", "confidence", "decision", "decided_by", "decided_at")
    form = ModelForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _bulk(self, request: HttpRequest, queryset: QuerySet[Any], decision: str) -> None:
        done = sum(_decide(request, item, decision) for item in queryset.filter(decision="pending"))
        if done:
            messages.success(request, gettext("%(count)d item(s) decided.") % {"count": done})

    @admin.action(description=_("Accept the selected items"), permissions=["change"])
    def accept_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._bulk(request, queryset, "accept")

    @admin.action(description=_("Reject the selected items"), permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._bulk(request, queryset, "reject")


@admin.register(ProposedSite)
class ProposedSiteAdmin(ProposedItemAdmin):
    list_display = ("__str__", "proposal", "why", "article", "decision")

    @admin.display(description=_("why"))
    def why(self, item: ProposedSite) -> str:
        return item.reason_text()


@admin.register(ProposedEvent)
class ProposedEventAdmin(ProposedItemAdmin):
    list_display = ("date", "precision", "title", "site", "article", "decision")


@admin.register(ProposedClaim)
class ProposedClaimAdmin(ProposedItemAdmin):
    list_display = ("value", "unit", "site", "article", "disagreement", "decision")

    @admin.display(description=_("sources disagree"), boolean=True)
    def disagreement(self, item: ProposedClaim) -> bool:
        return item.disagrees()


@admin.register(ProposedLocation)
class ProposedLocationAdmin(ProposedItemAdmin):
    list_display = ("__str__", "found_as", "site", "article", "decision")

    @admin.display(description=_("found as"))
    def found_as(self, item: ProposedLocation) -> str:
        return item.how_text()
