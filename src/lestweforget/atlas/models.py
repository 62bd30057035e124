"""The domain, stored: sites and their names, locations and approach; events, claims and the sources behind them.

Reader-facing text is kept in English and Ukrainian side by side (`summary_en`, `summary_uk`); `localized()` picks the
one for the active language and falls back to English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lestweforget import geo

from . import plausibility
from .validators import validate_latitude, validate_longitude, validate_not_in_future, validate_positive_metres

H3_RESOLUTIONS = (5, 7, 9)


class Localized(models.Model):
    """Gives a model `localized(field)`: the `<field>_<language>` value for the active language, else English."""

    class Meta:
        abstract = True

    def localized(self, field: str) -> str:
        language = (get_language() or "en").split("-")[0]
        value = getattr(self, f"{field}_{language}", "") or ""
        return value or getattr(self, f"{field}_en", "") or ""


class DatePrecision(models.TextChoices):
    DAY = "day", _("on the day")
    MONTH = "month", _("in the month")
    YEAR = "year", _("in the year")
    BY = "by", _("on or before")
    RANGE = "range", _("between")
    APPROX = "approx", _("about")


class Source(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", _("article")
        OFFICIAL = "official", _("official statement")
        REPORT = "report", _("report")
        DATASET = "dataset", _("dataset")
        SATELLITE = "satellite", _("satellite image")
        ENCYCLOPEDIA = "encyclopedia", _("encyclopedia")
        TESTIMONY = "testimony", _("testimony")
        SOCIAL_POST = "social_post", _("social-media post")

    class ContentNote(models.TextChoices):
        NONE = "", _("none")
        GRAPHIC = "graphic", _("may show the dead or injured")

    key = models.SlugField(_("key"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ARTICLE)
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    publisher_uk = models.CharField(
        _("publisher (Ukrainian)"),
        max_length=200,
        blank=True,
        help_text=_("How Ukrainian pages name the publisher, when it differs: “Вікіпедія (англійська)”."),
    )
    author = models.CharField(_("author or pseudonym"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    published = models.DateField(_("published"), null=True, blank=True, validators=[validate_not_in_future])
    published_precision = models.CharField(
        _("published date precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    retrieved = models.DateField(_("retrieved"), null=True, blank=True, validators=[validate_not_in_future])
    language = models.CharField(_("language"), max_length=8, default="en")
    archived_sha256 = models.CharField(_("archived copy (SHA-256)"), max_length=64, blank=True)
    # What the linked material shows, said beside the link so that no reader opens it unwarned.
    content_note = models.CharField(
        _("content note"), max_length=10, choices=ContentNote.choices, default=ContentNote.NONE, blank=True
    )

    class Meta:
        ordering = ["published", "key"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}" if self.publisher else self.title

    @property
    def citation_label(self) -> str:
        """How a page cites the source in the active language: its publisher (the Ukrainian form on Ukrainian
        pages when there is one), else its title."""
        if (get_language() or "en").split("-")[0] == "uk" and self.publisher_uk:
            return self.publisher_uk
        return self.publisher or self.title

    @property
    def citation_label_is_translated(self) -> bool:
        """Whether `citation_label` is in the reader's language; if not, pages mark it with the source's own."""
        return (get_language() or "en").split("-")[0] != "uk" or bool(self.publisher_uk)


class Settlement(Localized):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    other_names = models.CharField(_("other spellings"), max_length=500, blank=True)
    region_en = models.CharField(_("region (English)"), max_length=200, blank=True)
    region_uk = models.CharField(_("region (Ukrainian)"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), validators=[validate_latitude])
    longitude = models.FloatField(_("longitude"), validators=[validate_longitude])
    description_en = models.TextField(_("description (English)"), blank=True)
    description_uk = models.TextField(_("description (Ukrainian)"), blank=True)
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")

    def __str__(self) -> str:
        return self.name_en

    @property
    def point(self) -> geo.LatLon:
        return geo.LatLon(self.latitude, self.longitude)


class AdminUnit(models.Model):
    """One of Ukraine's administrative units, as the codifier KATOTTG has it (`geo.admin_units`): a first-level
    unit (an oblast, Crimea, Kyiv or Sevastopol) or a raion of the 2020 reform. A copy of the codifier's package,
    written by `units.store_units` so web processes need not load it; never edited by hand."""

    class Level(models.TextChoices):
        OBLAST = "oblast", _("oblast")
        RAION = "raion", _("raion")

    code = models.CharField(_("KATOTTG code"), max_length=19, primary_key=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent_code = models.CharField(_("oblast"), max_length=19, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=100)
    # Other spellings a reader may use, one a line.
    other_names = models.TextField(_("other spellings"), blank=True)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")

    def __str__(self) -> str:
        return self.name_en


class UnitPlace(models.Model):
    """A populated place whose units the codifier gives: what `units` places a site by (its nearest one)."""

    latitude = models.FloatField()
    longitude = models.FloatField()
    oblast_code = models.CharField(max_length=19)
    raion_code = models.CharField(max_length=19, blank=True)


def choose_name(names: Mapping[str, str], language: str) -> str | None:
    """Of a site's names by language code ({"uk": "Масове поховання в Ізюмі", ...}, the primary first), the one to
    show a reader of ``language``: theirs, else English, else Ukrainian, else any (a site imported with only a
    Cyrillic name showed its transliterated slug on English pages); None when it has none."""
    for wanted in (language, "en", "uk"):
        if names.get(wanted):
            return names[wanted]
    return next((name for name in names.values() if name), None)


# What `Site.derive_public_location` reads and what the save signals (view cells, page cache) watch; and the columns
# derived from them, written whenever one of them is.
SAVED_ONE_BY_ONE = frozenset({"latitude", "longitude", "uncertainty_m", "sensitivity", "generalise_m", "is_published"})
DERIVED_COLUMNS = (
    "public_latitude",
    "public_longitude",
    "public_uncertainty_m",
    "published_latitude",
    "published_longitude",
    "h3_r5",
    "h3_r7",
    "h3_r9",
    "oblast_code",
    "raion_code",
)


class SiteQuerySet(models.QuerySet["Site"]):
    """Sites; an update of what the public point and the register's indexes are derived from goes through
    `Site.save()` for each affected row, so no bulk update leaves a stale public point, H3 cell, view-cell sum,
    search entry or kept page behind."""

    def update(self, **kwargs: Any) -> int:
        derived_from = sorted(kwargs.keys() & SAVED_ONE_BY_ONE)
        if not derived_from:
            return super().update(**kwargs)
        expressions = [name for name in derived_from if hasattr(kwargs[name], "resolve_expression")]
        if expressions:
            raise TypeError(
                f"Site.objects.update({expressions[0]}=<expression>): the public point is derived from "
                f"{expressions[0]} in Python; give a value, or set it on each site and call site.save()"
            )
        with transaction.atomic(using=self.db):
            count = 0
            # The rows as they are now (the filter may name a field this update changes).
            pks = list(self.order_by().values_list("pk", flat=True))
            for start in range(0, len(pks), 500):
                for site in self.model._default_manager.using(self.db).filter(pk__in=pks[start : start + 500]):
                    for name, value in kwargs.items():
                        setattr(site, name, value)
                    site.save(using=self.db)
                    count += 1
            return count

    def bulk_update(self, objs: Iterable[Site], fields: Sequence[str], batch_size: int | None = None) -> int:
        """As `update`: when ``fields`` name what the public point is derived from, each site is saved (those
        fields and the derived columns only) through `Site.save()`."""
        if not set(fields) & SAVED_ONE_BY_ONE:
            return super().bulk_update(objs, fields, batch_size=batch_size)
        sites = list(objs)
        with transaction.atomic(using=self.db):
            for site in sites:
                site.save(using=self.db, update_fields=fields)
        return len(sites)


class Site(Localized):
    class Kind(models.TextChoices):
        MASS_GRAVE = "mass_grave", _("mass grave")
        BURIAL_SITE = "burial_site", _("burial site")
        EXECUTION_SITE = "execution_site", _("execution site")
        DETENTION_SITE = "detention_site", _("detention and torture site")
        MEMORIAL = "memorial", _("memorial")
        OTHER = "other", _("other")

    class Sensitivity(models.TextChoices):
        PUBLIC = "public", _("public: the precise point is shown")
        GENERALISED = "generalised", _("generalised: only a point on a coarse grid is shown")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    settlement = models.ForeignKey(
        Settlement, verbose_name=_("settlement"), on_delete=models.PROTECT, null=True, blank=True, related_name="sites"
    )
    summary_en = models.TextField(_("summary (English)"))
    summary_uk = models.TextField(_("summary (Ukrainian)"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)

    latitude = models.FloatField(_("latitude"), validators=[validate_latitude])
    longitude = models.FloatField(_("longitude"), validators=[validate_longitude])
    uncertainty_m = models.FloatField(_("uncertainty (m)"), validators=[validate_positive_metres])
    location_method_en = models.TextField(_("how the location was determined (English)"), blank=True)
    location_method_uk = models.TextField(_("how the location was determined (Ukrainian)"), blank=True)
    location_source = models.ForeignKey(
        Source,
        verbose_name=_("location source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="located_sites",
    )
    sensitivity = models.CharField(
        _("sensitivity"), max_length=20, choices=Sensitivity.choices, default=Sensitivity.PUBLIC
    )
    generalise_m = models.PositiveIntegerField(
        _("generalisation grid (m)"), default=1000, help_text=_("Cell size of the public point for generalised sites.")
    )
    # The implausibilities (see plausibility.py) an editor has confirmed, comma-separated codes.
    confirmed_problems = models.CharField(_("confirmed problems"), max_length=100, blank=True, editable=False)

    # Derived on save from the fields above, so no public query ever needs to touch the precise point.
    public_latitude = models.FloatField(editable=False, default=0)
    public_longitude = models.FloatField(editable=False, default=0)
    public_uncertainty_m = models.FloatField(editable=False, default=0)
    # The public point as written for the public (a generalised one rounded to the digits its radius allows, see
    # `geo.rounded_point`): what a bounding box is matched against, so a filter keeps exactly the points readers see.
    published_latitude = models.FloatField(editable=False, default=0)
    published_longitude = models.FloatField(editable=False, default=0)
    h3_r5 = models.CharField(max_length=16, editable=False, db_index=True, default="")
    h3_r7 = models.CharField(max_length=16, editable=False, db_index=True, default="")
    h3_r9 = models.CharField(max_length=16, editable=False, db_index=True, default="")
    # KATOTTG codes of the units the public point lies in (so a generalised site's raion tells no more than its
    # public point does); "" where it lies in none. Plain codes, not keys: `AdminUnit` is a copy of a package.
    oblast_code = models.CharField(max_length=19, editable=False, db_index=True, blank=True, default="")
    raion_code = models.CharField(max_length=19, editable=False, db_index=True, blank=True, default="")

    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        # Whether a settlement has a published site, asked once per settlement event by the public event rule.
        indexes = [
            models.Index(fields=["settlement", "is_published"], name="site_settlement_published"),
            models.Index(fields=["published_latitude", "published_longitude"], name="site_published_point"),
        ]

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        """The name to show a reader of the given (or active) language (`choose_name`), else the slug."""
        language = (language or get_language() or "en").split("-")[0]
        names: dict[str, str] = {}
        for site_name in sorted(self.names.all(), key=lambda n: (not n.is_primary, n.pk or 0)):
            names.setdefault(site_name.language, site_name.name)
        return choose_name(names, language) or self.slug

    @property
    def point(self) -> geo.LatLon:
        return geo.LatLon(self.latitude, self.longitude)

    @property
    def public_point(self) -> geo.LatLon:
        return geo.LatLon(self.public_latitude, self.public_longitude)

    @property
    def is_generalised(self) -> bool:
        return self.sensitivity == self.Sensitivity.GENERALISED

    def clean(self) -> None:
        if self.sensitivity == self.Sensitivity.GENERALISED and not self.generalise_m:
            raise ValidationError({"generalise_m": _("A generalised site needs a grid size above 0 metres.")})
        # Set by a form's "I have checked this site" box (not stored: the confirmed codes are).
        self.check_plausible(None, confirm=bool(getattr(self, "confirm_implausible", False)))

    def check_plausible(self, names: Sequence[str] | None, confirm: bool = False) -> None:
        """Refuse (ValidationError on `is_published`, naming each problem) to publish a site that looks wrong
        (`plausibility`) unless an editor has confirmed that problem; ``confirm`` records every current one as
        confirmed. ``names`` are the site's names in every language as they will be saved, or None to leave the
        name check to whoever knows them (a form's name rows, the record loader)."""
        problems = plausibility.location_problems(self)
        if names is not None:
            problems += plausibility.name_problems(names)
        current = {problem.code for problem in problems}
        kept = set(filter(None, self.confirmed_problems.split(",")))
        kept &= current if names is not None else current | {plausibility.NO_NAME}
        if confirm:
            kept |= current
        self.confirmed_problems = ",".join(sorted(kept))
        if self.is_published and (left := plausibility.unconfirmed(problems, self.confirmed_problems)):
            raise ValidationError({"is_published": plausibility.confirmation_needed(left)})

    def derive_public_location(self, with_units: bool = True) -> None:
        """Fill the public point, its H3 cells and (unless ``with_units`` is False, for a bulk loader that calls
        `units.assign_units` on a whole batch) its oblast and raion from the precise point and the sensitivity."""
        precise = self.point
        if self.is_generalised:
            public = geo.generalise(precise, float(self.generalise_m))
            # The public circle must still contain the true point wherever it lay in its cell.
            self.public_uncertainty_m = max(self.uncertainty_m, self.generalise_m * 0.71)
        else:
            public = precise
            self.public_uncertainty_m = self.uncertainty_m
        self.public_latitude, self.public_longitude = public.lat, public.lon
        self.published_latitude, self.published_longitude = (
            geo.rounded_point(public.lat, public.lon, self.public_uncertainty_m)
            if self.is_generalised
            else (public.lat, public.lon)
        )
        self.h3_r5, self.h3_r7, self.h3_r9 = (geo.h3_cell(public, r) for r in H3_RESOLUTIONS)
        if with_units:
            # Imported here: `units` reads this module's models.
            from lestweforget.atlas.units import assign_units

            assign_units([self])

    def save(self, *args: object, **kwargs: Any) -> None:
        self.derive_public_location()
        update_fields = kwargs.get("update_fields")
        # save(update_fields=["latitude"]) must write the public point it moves too.
        if update_fields is not None and set(update_fields) & SAVED_ONE_BY_ONE:
            kwargs["update_fields"] = {*update_fields, *DERIVED_COLUMNS}
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SiteName(Localized):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=8)
    name = models.CharField(_("name"), max_length=300)
    is_primary = models.BooleanField(_("primary"), default=False)
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    note_uk = models.CharField(_("note (Ukrainian)"), max_length=300, blank=True)

    class Meta:
        ordering = ["language", "-is_primary", "id"]
        verbose_name = _("site name")
        verbose_name_plural = _("site names")
        constraints = [
            models.UniqueConstraint(fields=["site", "language", "name"], name="site_name_unique"),
            models.UniqueConstraint(
                fields=["site", "language"], condition=models.Q(is_primary=True), name="one_primary_name_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class Approach(Localized):
    class Mode(models.TextChoices):
        WALK = "walk", _("on foot")
        DRIVE = "drive", _("by car")

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="approach")
    start_name_en = models.CharField(_("start point (English)"), max_length=300)
    start_name_uk = models.CharField(_("start point (Ukrainian)"), max_length=300, blank=True)
    start_latitude = models.FloatField(_("start latitude"), validators=[validate_latitude])
    start_longitude = models.FloatField(_("start longitude"), validators=[validate_longitude])
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.DRIVE)
    directions_en = models.TextField(_("directions (English)"))
    directions_uk = models.TextField(_("directions (Ukrainian)"), blank=True)
    safety_en = models.TextField(_("safety notes (English)"))
    safety_uk = models.TextField(_("safety notes (Ukrainian)"), blank=True)
    last_checked = models.DateField(_("last checked"), validators=[validate_not_in_future])
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True)

    class Meta:
        verbose_name = _("approach")
        verbose_name_plural = _("approaches")

    def __str__(self) -> str:
        return f"{self.site.slug}: {self.start_name_en}"

    @property
    def start_point(self) -> geo.LatLon:
        return geo.LatLon(self.start_latitude, self.start_longitude)


class StatusChange(models.Model):
    class Status(models.TextChoices):
        REPORTED = "reported", _("reported")
        VERIFIED = "verified", _("verified")
        EXHUMED = "exhumed", _("exhumed")
        MEMORIALISED = "memorialised", _("memorialised")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    date = models.DateField(_("date"), validators=[validate_not_in_future])
    precision = models.CharField(_("precision"), max_length=10, choices=DatePrecision.choices, default="day")
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        constraints = [models.UniqueConstraint(fields=["site", "status", "date"], name="status_once_a_day")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.date}"


class Event(Localized):
    class Kind(models.TextChoices):
        INVASION = "invasion", _("invasion")
        ATTACK = "attack", _("attack")
        OCCUPATION = "occupation", _("occupation")
        LIBERATION = "liberation", _("liberation")
        DISCOVERY = "discovery", _("discovery")
        EXHUMATION = "exhumation", _("exhumation")
        IDENTIFICATION = "identification", _("identification")
        INVESTIGATION = "investigation", _("investigation")
        MEMORIAL = "memorial", _("memorial")
        REBURIAL = "reburial", _("reburial")
        OTHER = "other", _("other")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="events", null=True, blank=True)
    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="events", null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"), validators=[validate_not_in_future])
    date_end = models.DateField(_("end date"), null=True, blank=True, validators=[validate_not_in_future])
    precision = models.CharField(_("precision"), max_length=10, choices=DatePrecision.choices, default="day")
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=300, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_uk = models.TextField(_("description (Ukrainian)"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        # The timeline's keyset pages read events in this order from the index, never sorting them all.
        indexes = [models.Index(fields=["date", "id"], name="event_date_id")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(site__isnull=False, settlement__isnull=True)
                | models.Q(site__isnull=True, settlement__isnull=False),
                name="event_belongs_to_site_or_settlement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title_en}"

    def clean(self) -> None:
        if bool(self.site_id) == bool(self.settlement_id):
            raise ValidationError(_("An event belongs to either a site or a settlement, not both and not neither."))
        if self.precision == DatePrecision.RANGE and not self.date_end:
            raise ValidationError({"date_end": _("A date range needs an end date.")})
        if self.date_end and self.date and self.date_end < self.date:
            raise ValidationError({"date_end": _("The end date is before the start date.")})

    @staticmethod
    def validate_sources(sources: Sequence[Source]) -> None:
        """Every fact needs a source: refuses (ValidationError on `sources`) an event that cites none. Called with
        the sources as they will be saved (a form's choice, a record file's list), since a many-to-many is stored
        after the event itself; an event saved with none some other way is never public (`public.public_events`)."""
        if not sources:
            raise ValidationError({"sources": _("An event must cite at least one source.")})

    @classmethod
    def sourced(cls) -> models.Q:
        """A filter for the events that cite at least one source (the only ones the public may see)."""
        return models.Q(models.Exists(cls.sources.through.objects.filter(event=models.OuterRef("pk"))))


class ClaimSubject(Localized):
    """What claims are about ("bodies exhumed", "children among the dead"): chosen from a list, so claims about
    one thing stand side by side and a typo cannot start a group of its own."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_uk = models.CharField(_("label (Ukrainian)"), max_length=200, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("claim subject")
        verbose_name_plural = _("claim subjects")

    def __str__(self) -> str:
        return self.localized("label") or self.key


class Claim(Localized):
    class Status(models.TextChoices):
        REPORTED = "reported", _("reported")
        CONFIRMED = "confirmed", _("confirmed")
        DISPUTED = "disputed", _("disputed")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="claims")
    subject = models.ForeignKey(
        ClaimSubject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="claims"
    )
    value = models.CharField(_("value as stated"), max_length=200)
    number = models.DecimalField(_("numeric value"), max_digits=14, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REPORTED)
    asserted = models.DateField(_("asserted on"), null=True, blank=True, validators=[validate_not_in_future])
    asserted_by_en = models.CharField(_("asserted by (English)"), max_length=300, blank=True)
    asserted_by_uk = models.CharField(_("asserted by (Ukrainian)"), max_length=300, blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        error_messages={"null": _("A claim must cite a source."), "blank": _("A claim must cite a source.")},
    )
    note_en = models.TextField(_("note (English)"), blank=True)
    note_uk = models.TextField(_("note (Ukrainian)"), blank=True)

    class Meta:
        ordering = ["subject__key", "asserted", "id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(fields=["site", "subject", "value", "source"], name="claim_once_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.subject.label_en}: {self.value}"


class LedgerCheckpoint(models.Model):
    """A copy of each signed ledger checkpoint, kept in the database rather than beside the ledger.

    `lwf verify` compares the latest with the ledger and its checkpoints file, so that cutting the ledger's tail
    together with the checkpoints that cover it, or deleting the checkpoints file, disagrees with this copy (see
    `lestweforget.evidence.verify` for what this does and does not defend against). Rows are only ever added.
    """

    size = models.PositiveBigIntegerField(_("entries signed"))
    root_hash = models.CharField(_("Merkle root"), max_length=64)
    time = models.CharField(_("signed at"), max_length=40)
    signature = models.CharField(_("signature"), max_length=100)

    class Meta:
        verbose_name = _("ledger checkpoint")
        verbose_name_plural = _("ledger checkpoints")
        ordering = ["size", "id"]

    def __str__(self) -> str:
        return f"{self.size} @ {self.time}"
