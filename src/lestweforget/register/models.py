"""What the register keeps beside the atlas: the normalised, transliterated names each site is found by.

`SiteSearch.text` holds every name of a site (and of its settlement) reduced to loose Latin keys, one word each,
space-separated: "Масове поховання в Ізюмі", "Izium" and "Изюм" all give "izium". PostgreSQL indexes it with
pg_trgm (GIN), SQLite with an FTS5 table using the trigram tokenizer (`register_sitesearch_fts`, rowid = site id);
both are kept by `search_index`.
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


class ViewCell(models.Model):
    """The published sites of one H3 cell (of their public points) summed up, so a wide view needs no scan of sites:
    how many, the sums of their latitudes and longitudes (for the cluster's mean point) and the box they span (to
    tell a cell wholly inside a view from one the view's edge cuts). Kept by `view_cells`."""

    resolution = models.PositiveSmallIntegerField()
    cell = models.CharField(max_length=16)
    count = models.PositiveIntegerField()
    latitude_sum = models.FloatField()
    longitude_sum = models.FloatField()
    south = models.FloatField()
    west = models.FloatField()
    north = models.FloatField()
    east = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resolution", "cell"], name="view_cell_once")]
        indexes = [models.Index(fields=["resolution", "south", "north"], name="view_cell_box")]

    def __str__(self) -> str:
        return f"r{self.resolution} {self.cell}: {self.count}"


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
