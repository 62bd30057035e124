"""The admin's view of submissions: a read-only list that leads to the review pages, where decisions are made."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .submissions import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "status", "created", "site", "record_type", "review_link")
    list_filter = ("status", "kind", "record_type")
    ordering = ("created", "id")
    # Decisions go through the review pages, so that each is checked and recorded: nothing is edited here.
    readonly_fields = [f.name for f in Submission._meta.fields]

    @admin.display(description=_("review"))
    def review_link(self, submission: Submission) -> str:
        return format_html('<a href="{}">{}</a>', reverse("editorial:decide", args=[submission.pk]), _("open"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("editorial:decide", args=[object_id]))
