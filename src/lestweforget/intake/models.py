"""An imported article and the draft made from it: the archived original (by its SHA-256), the Source that points
at it, and each proposed item (a site, an event, a claim, a location) waiting for an editor's decision.

Nothing here is public. An accepted item becomes an atlas record (a Site, Event, Claim, or a site's location) that
cites the article's Source; a rejected one stays here, marked, so that importing the article again proposes nothing
new and the review queue can list what was decided.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lestweforget.atlas.models import Claim, DatePrecision, Event, Site, Source
from lestweforget.atlas.validators import validate_latitude, validate_longitude, validate_positive_metres

# How a point was given, as the articles library names it, for the editors' pages.
HOW_NAMES = {
    "map link": _("map link"),
    "embedded map": _("embedded map"),
    "coordinates in the text": _("coordinates in the text"),
}


class ArticleImport(models.Model):
    """One article's bytes, imported once: kept in the evidence store under ``sha256`` whether or not they could be
    read; ``status`` says which, ``error`` why not."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft for review")
        REFUSED = "refused", _("refused: not readable as an article")

    sha256 = models.CharField(_("SHA-256 of the archived copy"), max_length=64, unique=True)
    original_name = models.CharField(_("file name"), max_length=500)
    size_bytes = models.BigIntegerField(_("size (bytes)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    error = models.TextField(_("why it was refused"), blank=True)
    source = models.OneToOneField(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="article_import",
    )
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    site_given = models.ForeignKey(
        Site,
        verbose_name=_("site named at import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    byline = models.CharField(_("byline as written"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    format = models.CharField(_("format"), max_length=10, blank=True)
    findings = models.JSONField(_("what the reader found"), default=dict, blank=True)
    imported_by = models.CharField(_("imported by (pseudonymous id)"), max_length=80)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("imported article")
        verbose_name_plural = _("imported articles")

    def __str__(self) -> str:
        return self.title or self.original_name

    def ledger_name(self) -> str:
        return f"sha256:{self.sha256}"

    def proposals(self) -> list[ProposedItem]:
        """Every proposed item of this article, sites first."""
        return [
            *self.proposed_sites.all(),
            *self.proposed_events.all(),
            *self.proposed_claims.all(),
            *self.proposed_locations.all(),
        ]


class Decision(models.TextChoices):
    PENDING = "pending", _("waiting for review")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class ProposedItem(models.Model):
    """What every proposed item has: the article, the sentence it came from, how sure the reader was, and the
    editor's decision (who, when)."""

    article = models.ForeignKey(ArticleImport, verbose_name=_("article"), on_delete=models.CASCADE)
    quote = models.TextField(_("the article's sentence"), blank=True)
    as_written = models.CharField(_("as written"), max_length=500, blank=True)
    confidence = models.FloatField(_("reader's confidence"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.CharField(_("decided by (pseudonymous id)"), max_length=80, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("editor's note"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.decision == Decision.PENDING


class ProposedSite(ProposedItem):
    """A site the article is about: one already in the atlas (matched by name, by a map point, or named at
    import), or a new one at the place the article names, with that place's uncertainty."""

    class Proposal(models.TextChoices):
        MATCH = "match", _("a site already in the atlas")
        NEW = "new", _("a new site")

    article = models.ForeignKey(
        ArticleImport, verbose_name=_("article"), on_delete=models.CASCADE, related_name="proposed_sites"
    )
    proposal = models.CharField(_("proposal"), max_length=10, choices=Proposal.choices)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Reason(models.TextChoices):
        GIVEN = "given", _("named when the article was imported")
        NAMED = "named", _("named in the article")
        MAP_POINT = "map_point", _("a map point in the article lies within %(detail)s m of it")
        IN_SETTLEMENT = "in_settlement", _("a site in %(detail)s, which the article names")
        NEW_AT_POINT = "new_at_point", _("at the article's %(detail)s")
        NEW_AT_PLACE = "new_at_place", _("at the place the article names most (%(detail)s times)")
        NO_PLACE = "no_place", _("the article names no place")

    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    reason_detail = models.CharField(_("why, in detail"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Site.Kind.choices, default=Site.Kind.OTHER)
    place_label = models.CharField(_("place in the gazetteer"), max_length=300, blank=True)
    place_key = models.CharField(_("gazetteer key"), max_length=120, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_latitude])
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_longitude])
    uncertainty_m = models.FloatField(
        _("uncertainty (m)"), null=True, blank=True, validators=[validate_positive_metres]
    )

    class Meta:
        ordering = ["article", "id"]
        verbose_name = _("proposed site")
        verbose_name_plural = _("proposed sites")

    def __str__(self) -> str:
        return self.site.slug if self.site is not None else self.name

    def reason_text(self) -> str:
        """Why the reader proposes this site, in the active language."""
        detail = self.reason_detail
        if self.reason == self.Reason.NEW_AT_POINT:
            detail = str(HOW_NAMES.get(detail, detail))
        return str(self.Reason(self.reason).label) % {"detail": detail}


class ProposedEvent(ProposedItem):
    """A dated step the article reports, with the date's precision and the sentence as the quote."""

    article = models.ForeignKey(
        ArticleImport, verbose_name=_("article"), on_delete=models.CASCADE, related_name="proposed_events"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Event.Kind.choices, default=Event.Kind.OTHER)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    date_end = models.DateField(_("end date"), null=True, blank=True)
    precision = models.CharField(_("precision"), max_length=10, choices=DatePrecision.choices)
    event = models.ForeignKey(
        Event, verbose_name=_("event made"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["article", "date", "id"]
        verbose_name = _("proposed event")
        verbose_name_plural = _("proposed events")

    def __str__(self) -> str:
        return f"{self.date} {self.title[:60]}"


class ProposedClaim(ProposedItem):
    """A figure the article states (value or range, qualifier, unit), to stand beside the claims already recorded."""

    article = models.ForeignKey(
        ArticleImport, verbose_name=_("article"), on_delete=models.CASCADE, related_name="proposed_claims"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.SlugField(_("subject"), max_length=80)
    subject_label_en = models.CharField(_("subject (English)"), max_length=200)
    value = models.CharField(_("value as stated"), max_length=200)
    low = models.FloatField(_("lowest value"))
    high = models.FloatField(_("highest value"))
    qualifier = models.CharField(_("qualifier"), max_length=20, blank=True)
    unit = models.CharField(_("unit"), max_length=40)
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim made"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["article", "id"]
        verbose_name = _("proposed claim")
        verbose_name_plural = _("proposed claims")

    def __str__(self) -> str:
        return f"{self.value} {self.unit}"

    def recorded_beside(self) -> list[Claim]:
        """The claims the atlas already records about the same thing at the same site: those of the same subject,
        else (a subject the site does not use yet) those counting the same unit."""
        if self.site_id is None:
            return []
        claims = Claim.objects.filter(site_id=self.site_id).select_related("source").order_by("asserted", "id")
        return list(claims.filter(subject__key=self.subject)) or list(claims.filter(unit=self.unit))

    def agrees_with(self, number: float) -> bool:
        """Whether ``number`` fits this figure as stated: 447 fits "more than 440", not "436"."""
        rules = {
            "more than": number > self.low,
            "at least": number >= self.low,
            "fewer than": number < self.high,
            "up to": number <= self.high,
            "almost": self.high * 0.9 <= number <= self.high,
            "about": self.low * 0.9 <= number <= self.high * 1.1,
        }
        return rules.get(self.qualifier, self.low <= number <= self.high)

    def disagreeing(self) -> list[Claim]:
        """The claims already recorded about the same thing whose number this figure does not fit."""
        return [c for c in self.recorded_beside() if c.number is not None and not self.agrees_with(float(c.number))]

    def beside(self) -> dict[str, list[tuple[str, list[str]]]]:
        """The recorded values about the same thing, each with the sources that give it: those this figure fits
        ("agree"), those it does not ("disagree"), and those without a number to compare ("other")."""
        disagreeing = {claim.pk for claim in self.disagreeing()}
        groups: dict[str, dict[str, list[str]]] = {"agree": {}, "disagree": {}, "other": {}}
        for claim in self.recorded_beside():
            group = "other" if claim.number is None else "disagree" if claim.pk in disagreeing else "agree"
            groups[group].setdefault(f"{claim.value} {claim.unit}".strip(), []).append(claim.source.key)
        return {name: list(values.items()) for name, values in groups.items()}

    def disagrees(self) -> bool:
        """Whether a claim already recorded about the same thing gives a number this figure does not fit."""
        return bool(self.disagreeing())


class ProposedLocation(ProposedItem):
    """A point from a map link or coordinates in the article, for a site's location."""

    article = models.ForeignKey(
        ArticleImport, verbose_name=_("article"), on_delete=models.CASCADE, related_name="proposed_locations"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    latitude = models.FloatField(_("latitude"), validators=[validate_latitude])
    longitude = models.FloatField(_("longitude"), validators=[validate_longitude])
    uncertainty_m = models.FloatField(_("uncertainty (m)"), default=100, validators=[validate_positive_metres])
    how = models.CharField(_("found as"), max_length=40)

    class Meta:
        ordering = ["article", "id"]
        verbose_name = _("proposed location")
        verbose_name_plural = _("proposed locations")

    def __str__(self) -> str:
        return f"{self.latitude:.5f}, {self.longitude:.5f}"

    def how_text(self) -> str:
        return str(HOW_NAMES.get(self.how, self.how))
