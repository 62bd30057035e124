from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    """The national register: bulk import, the name search index and viewport clustering over atlas sites."""

    name = "lestweforget.register"
    label = "register"
    verbose_name = _("Register")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lestweforget.atlas import evidence_records, filters, page_cache, record_ledger

        from . import evidence, models, nearby, search_index, view_cells

        # The index and the cell counts follow the sites; rewriting them is no change a reader sees.
        page_cache.exempt(models.SiteSearch, models.SearchWord, models.SiteWord, models.ViewCell, models.ViewMonth)
        search_index.connect()
        view_cells.connect()
        filters.register_name_search(search_index.ranked_search)
        nearby.register()
        # Publishing imported rows is an editor's record edit; the import writes its own entries per batch.
        record_ledger.connect(models.ImportedRow)
        evidence_records.register_holder(evidence.DATASET_EVIDENCE)
