"""The editors' view of imported datasets: each run and each row, and publishing rows in bulk."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .importing import publish_rows
from .models import DatasetImport, ImportedRow


def _published(modeladmin: admin.ModelAdmin, request: HttpRequest, rows: QuerySet[ImportedRow]) -> None:
    refused: list[str] = []
    count = publish_rows(rows, refused)
    modeladmin.message_user(
        request, ngettext("Published %(n)d row.", "Published %(n)d rows.", count) % {"n": count}, messages.SUCCESS
    )
    if refused:
        modeladmin.message_user(
            request, _("Not published: %(reasons)s") % {"reasons": "; ".join(refused)}, messages.ERROR
        )


@admin.action(
    description=_("Publish the selected rows (their events, and the sites they made)"), permissions=["change"]
)
def publish_selected_rows(modeladmin: admin.ModelAdmin, request: HttpRequest, rows: QuerySet[ImportedRow]) -> None:
    _published(modeladmin, request, rows.select_related("site").prefetch_related("sources"))


@admin.action(description=_("Publish every row of the selected imports"), permissions=["change"])
def publish_selected_imports(
    modeladmin: admin.ModelAdmin, request: HttpRequest, imports: QuerySet[DatasetImport]
) -> None:
    rows = ImportedRow.objects.filter(dataset_import__in=imports).select_related("site").prefetch_related("sources")
    _published(modeladmin, request, rows)


@admin.register(DatasetImport)
class DatasetImportAdmin(admin.ModelAdmin):
    list_display = ("dataset", "file_name", "format", "status", "started", "imported_by")
    list_filter = ("dataset", "format", "status")
    readonly_fields = [f.name for f in DatasetImport._meta.fields]
    actions = [publish_selected_imports]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ImportedRow)
class ImportedRowAdmin(admin.ModelAdmin):
    list_display = ("external_id", "dataset", "date", "title", "site", "match_reason", "content_note", "is_published")
    list_filter = ("dataset", "is_published", "match_reason", "content_note", "made_site")
    search_fields = ("external_id", "title", "site__slug")
    readonly_fields = [f.name for f in ImportedRow._meta.fields] + ["sources"]
    list_select_related = ("site",)
    actions = [publish_selected_rows]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
