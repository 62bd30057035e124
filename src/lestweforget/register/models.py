"""What the register keeps beside the atlas: dataset imports and their rows; the normalised, transliterated names
each site is found by; and per-cell sums of published sites for the map's viewport.

`SiteSearch.text` holds every name of a site (and of its settlement) reduced to loose Latin keys, one word each,
space-separated: "Масове поховання в Ізюмі", "Izium" and "Изюм" all give "izium". Every key is a `SearchWord`
(indexed by trigram: pg_trgm GIN on PostgreSQL, an FTS5 trigram table on SQLite) and `SiteWord` links it to its
sites; all kept by `search_index`. `ViewCell` and `ViewMonth` are kept by `view_cells`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteSearch(models.Model):
    site = models.OneToOneField(
        "atlas.Site", on_delete=models.CASCADE, primary_key=True, related_name="search_entry", verbose_name=_("site")
    )
    text = models.TextField(_("search keys"), blank=True)

    class Meta:
        verbose_name = _("site search entry")
        verbose_name_plural = _("site search entries")

    def __str__(self) -> str:
        return self.text


class DatasetImport(models.Model):
    """One run of `lwf import sites`: which file (by SHA-256), in which format and dataset, the merge rule it
    used, what it did (``counts``), who ran it (a pseudonymous id) and whether it finished."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running or stopped part-way (run it again to resume)")
        COMPLETE = "complete", _("complete")

    dataset = models.CharField(_("dataset"), max_length=60)
    format = models.CharField(_("format"), max_length=10)
    file_name = models.CharField(_("file name"), max_length=500)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    rule = models.TextField(_("merge rule"))
    counts = models.JSONField(_("what it did"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    imported_by = models.CharField(_("imported by (pseudonymous id)"), max_length=80)
    started = models.DateTimeField(_("started"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started"]
        verbose_name = _("dataset import")
        verbose_name_plural = _("dataset imports")

    def __str__(self) -> str:
        return f"{self.dataset}: {self.file_name}"


class ImportedRow(models.Model):
    """One dataset row in the atlas: its ``external_id`` in its ``dataset`` (so importing again finds it), the
    site it joined or made, its event (None while it waits for publication: a row joining a published site adds
    its event only when an editor publishes the row) and sources, and why it joined that site."""

    class ContentNote(models.TextChoices):
        NONE = "", _("none")
        GRAPHIC = "graphic", _("graphic: the linked material may show the dead or injured")

    dataset = models.CharField(_("dataset"), max_length=60)
    external_id = models.CharField(_("id in the dataset"), max_length=200)
    fingerprint = models.CharField(_("SHA-256 of the row's values"), max_length=64)
    dataset_import = models.ForeignKey(
        DatasetImport, verbose_name=_("import"), on_delete=models.PROTECT, related_name="rows"
    )
    row = models.PositiveIntegerField(_("row in the file"))
    category = models.CharField(_("category"), max_length=200, blank=True)
    site = models.ForeignKey(
        "atlas.Site", verbose_name=_("site"), on_delete=models.CASCADE, related_name="imported_rows"
    )
    made_site = models.BooleanField(_("made the site"), default=False)
    match_reason = models.CharField(_("joined the site by"), max_length=40, blank=True)
    match_distance_m = models.FloatField(_("distance to the site (m)"), null=True, blank=True)
    event = models.ForeignKey(
        "atlas.Event", verbose_name=_("event"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sources = models.ManyToManyField("atlas.Source", verbose_name=_("sources"), related_name="+")
    event_kind = models.CharField(_("event kind"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"))
    date_end = models.DateField(_("end date"), null=True, blank=True)
    # The town and oblast as the row names them: publishing checks the site's point against them.
    place = models.CharField(_("place in the row"), max_length=200, blank=True)
    region = models.CharField(_("region in the row"), max_length=200, blank=True)
    content_note = models.CharField(
        _("content note"), max_length=10, choices=ContentNote.choices, default=ContentNote.NONE, blank=True
    )
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["dataset", "row"]
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        constraints = [models.UniqueConstraint(fields=["dataset", "external_id"], name="imported_row_once_per_dataset")]

    def __str__(self) -> str:
        return f"{self.dataset} {self.external_id}"


class ViewCell(models.Model):
    """The published sites of one H3 cell (of their public points) summed up, so a wide view needs no scan of sites:
    how many, the sums of their latitudes and longitudes (for the cluster's mean point) and the box they span (to
    tell a cell wholly inside a view from one the view's edge cuts). Kept by `view_cells`.

    A cell has one row for all its sites (``kind`` empty) and one for the sites of each kind it holds, so a view
    narrowed to kinds is summed from the kept rows too. A finer cell's rows are kept apart for each coarser cell its
    sites are in (``parent``, empty at the coarsest): H3 cells do not nest (`view_cells.PARENT`)."""

    resolution = models.PositiveSmallIntegerField()
    cell = models.CharField(max_length=16)
    parent = models.CharField(max_length=16, blank=True, default="")
    kind = models.CharField(max_length=20, blank=True, default="")
    count = models.PositiveIntegerField()
    latitude_sum = models.FloatField()
    longitude_sum = models.FloatField()
    south = models.FloatField()
    west = models.FloatField()
    north = models.FloatField()
    east = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resolution", "cell", "parent", "kind"], name="view_cell_parent_kind_once")
        ]
        indexes = [
            models.Index(fields=["resolution", "kind", "south", "north"], name="view_cell_kind_box"),
            models.Index(fields=["resolution", "kind", "parent"], name="view_cell_kind_parent"),
        ]

    def __str__(self) -> str:
        return f"r{self.resolution} {self.cell}{' ' + self.kind if self.kind else ''}: {self.count}"


class ViewMonth(models.Model):
    """The public events (citing a source) of the published sites of one H3 cell, counted for one month of their
    dates ("2022-09"), so the timeline's histogram of a wide view needs no scan of events. Like `ViewCell`, a cell has
    a row for the events of all its sites (``kind`` empty) and one for those of its sites of each kind. Kept by
    `view_cells`. A finer cell's rows are kept apart for each coarser cell its sites are in (``parent``), as
    `ViewCell`'s."""

    resolution = models.PositiveSmallIntegerField()
    cell = models.CharField(max_length=16)
    parent = models.CharField(max_length=16, blank=True, default="")
    kind = models.CharField(max_length=20, blank=True, default="")
    month = models.CharField(max_length=7)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resolution", "kind", "cell", "parent", "month"], name="view_month_once"),
        ]

    def __str__(self) -> str:
        return f"r{self.resolution} {self.cell}{' ' + self.kind if self.kind else ''} {self.month}: {self.count}"


class SearchWord(models.Model):
    """One search key (a loose Latin word, see `names`) any site's name gives: the vocabulary the fuzzy match runs
    over. PostgreSQL indexes it with pg_trgm (GIN), SQLite with the FTS5 trigram table `register_searchword_fts`."""

    word = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.word


class SiteWord(models.Model):
    """A site has a search key: the inverted index from a matched word to its sites."""

    site = models.ForeignKey("atlas.Site", on_delete=models.CASCADE, related_name="search_words")
    word = models.ForeignKey(SearchWord, on_delete=models.CASCADE, related_name="site_words")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["word", "site"], name="site_word_once")]

    def __str__(self) -> str:
        return f"{self.site_id}: {self.word_id}"
