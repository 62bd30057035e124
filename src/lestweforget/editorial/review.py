"""Review before publishing: proposing, suggesting, accepting and rejecting. The web and `lwf review` call these.

What a contributor may propose is said per kind of record (`REVIEWABLE`): its model and the fields open to
proposals. Values travel as a form submits them (text, or a list of text for a many-to-many field), and go through
the record's own model form when accepted, so every validator of the record applies (plain text, dates not in the
future, the model's ``clean``). Nothing is written to a record before an editor accepts.

Every step is a ledger entry (`review.proposed`, `review.suggested`, `review.accepted`, `review.rejected`) naming who
(a pseudonymous `user:<id>`), what and, for a decision, the reason; the record's own change follows as
`record.edited`, and a signed checkpoint after them (see `atlas.record_ledger`).

Errors: `ReviewError` (a 400: what is wrong, by field), `StaleError` (a 409: the record changed since the proposal).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.forms.models import modelform_factory
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from lestweforget.atlas.models import Site
from lestweforget.atlas.record_ledger import append_on_commit, ledger_object
from lestweforget.atlas.validators import validate_plain_text

from .permissions import can_review, can_submit, ledger_actor
from .submissions import Submission

Value = str | list[str]
PUBLIC_ACTOR = "anonymous:public-form"


class ReviewError(ValueError):
    """A request the review cannot carry out, with what is wrong (``errors``: field -> messages)."""

    def __init__(self, message: str, errors: Mapping[str, Sequence[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = dict(errors or {})


class StaleError(ReviewError):
    """The record changed since the proposal was made (``fields``: those that did)."""

    def __init__(self, message: str, fields: Sequence[str]) -> None:
        super().__init__(message)
        self.fields = list(fields)


@dataclass(frozen=True)
class Reviewable:
    """A kind of record open to proposals: ``fields`` may be revised, ``new_fields`` make a new one (empty: none)."""

    name: str
    model: str
    fields: tuple[str, ...]
    new_fields: tuple[str, ...]
    site_of: Callable[[Any], Site | None]
    is_public: Callable[[Any], bool]

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def form_class(self, fields: Sequence[str]) -> type[forms.ModelForm]:  # type: ignore[type-arg]
        return modelform_factory(self.model_class(), fields=list(fields))


def _site_published(site: Site | None) -> bool:
    return site is not None and site.is_published


_EVENT_FIELDS = ("kind", "date", "date_end", "precision", "title_en", "title_uk", "description_en", "description_uk")
_CLAIM_FIELDS = (
    "subject",
    "value",
    "number",
    "unit",
    "status",
    "asserted",
    "asserted_by",
    "source",
    "note_en",
    "note_uk",
)
_SOURCE_FIELDS = ("kind", "title", "publisher", "author", "url", "published", "published_precision", "retrieved")

# Precise coordinates are not among a site's fields: a contributor never sees a sensitive site's precise point, so
# a change of place goes to an editor as a suggestion, in words.
REVIEWABLE: dict[str, Reviewable] = {
    r.name: r
    for r in (
        Reviewable(
            "site",
            "atlas.Site",
            ("kind", "summary_en", "summary_uk", "location_method_en", "location_method_uk"),
            (),
            lambda site: site,
            lambda site: site.is_published,
        ),
        Reviewable(
            "event",
            "atlas.Event",
            (*_EVENT_FIELDS, "sources"),
            ("site", *_EVENT_FIELDS, "sources"),
            lambda event: event.site,
            lambda event: _site_published(event.site),
        ),
        Reviewable(
            "claim",
            "atlas.Claim",
            _CLAIM_FIELDS,
            ("site", *_CLAIM_FIELDS),
            lambda claim: claim.site,
            lambda claim: _site_published(claim.site),
        ),
        Reviewable(
            "source",
            "atlas.Source",
            _SOURCE_FIELDS,
            ("key", *_SOURCE_FIELDS, "language"),
            lambda source: None,
            lambda source: True,
        ),
        Reviewable(
            "photo",
            "photos.Photo",
            ("caption_en", "caption_uk"),
            (),
            lambda photo: photo.site,
            lambda photo: photo.is_published and _site_published(photo.site),
        ),
        Reviewable(
            "diary-entry",
            "photos.DiaryEntry",
            ("caption_en", "caption_uk", "text_en", "text_uk"),
            (),
            lambda entry: entry.diary.site,
            lambda entry: entry.diary.is_published and _site_published(entry.diary.site),
        ),
    )
}


def reviewable(name: str) -> Reviewable:
    """The kind of record called ``name``; ReviewError naming the kinds there are for any other."""
    try:
        return REVIEWABLE[name]
    except KeyError:
        raise ReviewError(f"there is no kind of record {name!r}; the kinds are {', '.join(REVIEWABLE)}") from None


def reviewable_of(submission: Submission) -> Reviewable | None:
    if submission.record_type is None:
        return None
    label = f"{submission.record_type.app_label}.{submission.record_type.model}"
    return next((r for r in REVIEWABLE.values() if r.model.lower() == label), None)


def _text(value: Any) -> Value:
    """A prepared form value as the text a form would submit."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | QuerySet):
        return [str(_text(v)) for v in value]
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


def current_values(kind: Reviewable, record: models.Model, fields: Sequence[str] | None = None) -> dict[str, Value]:
    """What ``record``'s fields hold now, as form text (field -> value)."""
    form = kind.form_class(fields or kind.fields)(instance=record)
    return {name: _text(form[name].value()) for name in form.fields}


def values_token(values: Mapping[str, Value]) -> str:
    """A short digest of some values, so that an editor's form can say which version of a record they saw."""
    return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def _clean(
    kind: Reviewable, fields: Sequence[str], data: MultiValueDict[str, str], record: models.Model | None
) -> forms.ModelForm:  # type: ignore[type-arg]
    form = kind.form_class(fields)(data=data, instance=record)
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        summary = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
        raise ReviewError(f"the {kind.name} is not valid: {summary}", errors)
    return form


def _as_data(values: Mapping[str, Value]) -> MultiValueDict[str, str]:
    data: MultiValueDict[str, str] = MultiValueDict()
    for name, value in values.items():
        data.setlist(name, list(value) if isinstance(value, list) else [value])
    return data


def _submitted(data: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Value]:
    """The given fields' values from a request's data (a QueryDict) or a plain mapping."""
    values: dict[str, Value] = {}
    for name in fields:
        if hasattr(data, "getlist") and len(data.getlist(name)) > 1:
            values[name] = [str(v) for v in data.getlist(name)]
        elif name in data:
            raw = data[name]
            values[name] = [str(v) for v in raw] if isinstance(raw, list | tuple) else str(raw)
    return values


def _record(kind: Reviewable, pk: Any) -> models.Model:
    try:
        return kind.model_class()._default_manager.get(pk=pk)
    except (kind.model_class().DoesNotExist, ValueError, TypeError):
        raise ReviewError(f"there is no {kind.name} {pk!r}") from None


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionError(message)


def propose_revision(user: Any, kind_name: str, pk: Any, data: Mapping[str, Any]) -> Submission:
    """Propose new values for some fields of a published record; the record itself is untouched.

    ``data``: field -> value as a form submits it; fields left out, or given unchanged, are not proposed. Raises
    ReviewError (unknown kind or record, invalid values, nothing changed), PermissionError (not a contributor or
    editor, or a record that is not public).
    """
    _refuse_unless(can_submit(user), "only contributors and editors may propose edits")
    kind = reviewable(kind_name)
    record = _record(kind, pk)
    _refuse_unless(kind.is_public(record) or can_review(user), f"this {kind.name} is not published")
    base = current_values(kind, record)
    wanted = {**base, **_submitted(data, kind.fields)}
    form = _clean(kind, kind.fields, _as_data(wanted), record)
    cleaned = {name: _text(form.fields[name].prepare_value(form.cleaned_data[name])) for name in kind.fields}
    changed = {name: value for name, value in cleaned.items() if value != base[name]}
    if not changed:
        raise ReviewError(f"nothing to propose: the {kind.name}'s fields are as published")
    site = kind.site_of(record)
    with transaction.atomic():
        submission = Submission.objects.create(
            kind=Submission.Kind.REVISION,
            record_type=ContentType.objects.get_for_model(record),
            record_id=str(record.pk),
            site=site,
            proposed=changed,
            base={name: base[name] for name in changed},
            submitted_by=user,
        )
        append_on_commit(
            "review.proposed",
            ledger_object(record),
            {
                "submission": submission.pk,
                "model": record._meta.label_lower,
                "pk": str(record.pk),
                "fields": sorted(changed),
            },
            actor=ledger_actor(user),
        )
    return submission


def submit_new(user: Any, kind_name: str, data: Mapping[str, Any]) -> Submission:
    """Submit a new record as a draft: it exists only in the queue until an editor accepts it.

    Raises ReviewError (a kind that takes no new records from contributors, invalid values), PermissionError.
    """
    _refuse_unless(can_submit(user), "only contributors and editors may submit records")
    kind = reviewable(kind_name)
    if not kind.new_fields:
        raise ReviewError(
            f"new {kind.name} records are not taken here; the kinds are "
            + ", ".join(r.name for r in REVIEWABLE.values() if r.new_fields)
        )
    form = _clean(kind, kind.new_fields, _as_data(_submitted(data, kind.new_fields)), None)
    values = {name: _text(form.fields[name].prepare_value(form.cleaned_data[name])) for name in kind.new_fields}
    site = form.cleaned_data.get("site")
    _refuse_unless(site is None or site.is_published or can_review(user), "this site is not published")
    with transaction.atomic():
        submission = Submission.objects.create(
            kind=Submission.Kind.NEW,
            record_type=ContentType.objects.get_for_model(kind.model_class()),
            site=site,
            proposed=values,
            submitted_by=user,
        )
        append_on_commit(
            "review.proposed",
            submission.ledger_name(),
            {"submission": submission.pk, "model": kind.model.lower(), "new": True, "fields": sorted(values)},
            actor=ledger_actor(user),
        )
    return submission


def suggest(site: Site | None, message: str, contact: str, address_key: str) -> Submission:
    """A public suggestion or report, with no account: free text for an editor, never shown publicly.

    ``address_key`` is a keyed hash of the sender's address (see `suggestions`), never the address. Raises
    ReviewError for an empty or over-long message or one with control characters.
    """
    errors: dict[str, list[str]] = {}
    message, contact = message.strip(), contact.strip()
    if not message:
        errors["message"] = ["Write what should be corrected or reported."]
    elif len(message) > 5000:
        errors["message"] = [f"At most 5000 characters, please (this has {len(message)})."]
    if len(contact) > 300:
        errors["contact"] = ["At most 300 characters."]
    for name, value in (("message", message), ("contact", contact)):
        try:
            validate_plain_text(value)
        except forms.ValidationError as e:
            errors.setdefault(name, []).extend(e.messages)
    if errors:
        raise ReviewError("the suggestion is not valid", errors)
    with transaction.atomic():
        submission = Submission.objects.create(
            kind=Submission.Kind.SUGGESTION, site=site, message=message, contact=contact, address_key=address_key
        )
        details: dict[str, Any] = {"submission": submission.pk}
        if site is not None:
            details["site"] = site.slug
        append_on_commit("review.suggested", submission.ledger_name(), details, actor=PUBLIC_ACTOR)
    return submission


@dataclass(frozen=True)
class FieldChange:
    """One row of the side-by-side view: the field, its label, what it was when proposed, is now, and would be."""

    name: str
    label: str
    base: Value | None
    current: Value | None
    proposed: Value
    stale: bool

    @property
    def editable(self) -> bool:
        """Whether an editor can change the value in a text box (not a list of choices)."""
        return isinstance(self.proposed, str)


def changes(submission: Submission) -> list[FieldChange]:
    """The proposed values beside the published ones, field by field (a suggestion has none)."""
    kind = reviewable_of(submission)
    if kind is None:
        return []
    record = _current_record(submission, kind)
    fields = list(submission.proposed)
    form = kind.form_class(fields)()
    now = current_values(kind, record, fields) if record is not None else {}
    rows = []
    for name in fields:
        base = submission.base.get(name) if submission.kind == Submission.Kind.REVISION else None
        current = now.get(name)
        label = str(form.fields[name].label) if name in form.fields else name
        stale = submission.kind == Submission.Kind.REVISION and current != base
        rows.append(FieldChange(name, label, base, current, submission.proposed[name], stale))
    return rows


def _current_record(submission: Submission, kind: Reviewable) -> models.Model | None:
    if submission.kind != Submission.Kind.REVISION:
        return None
    return kind.model_class()._default_manager.filter(pk=submission.record_id).first()


def stale_fields(submission: Submission) -> list[str]:
    """The proposed fields whose published value changed since the proposal was made."""
    return [change.name for change in changes(submission) if change.stale]


def _decidable(user: Any, submission: Submission) -> None:
    _refuse_unless(can_review(user), "only editors may accept or reject")
    if submission.status != Submission.Status.PENDING:
        raise ReviewError(f"submission {submission.pk} was already {submission.get_status_display()}")


def accept(
    user: Any,
    submission: Submission,
    edited: Mapping[str, Any] | None = None,
    seen: str | None = None,
    note: str = "",
) -> models.Model | None:
    """Accept a submission: apply its values (with an editor's ``edited`` ones over them) to the record, or create
    it, and record the decision. Returns the record (None for a suggestion, which an editor acts on by hand).

    A revision whose record changed since it was proposed is refused (StaleError) unless ``seen`` is the
    `values_token` of the record's current values, which the editor's side-by-side page sends: they saw them.
    """
    _decidable(user, submission)
    kind = reviewable_of(submission)
    details: dict[str, Any] = {"submission": submission.pk, "kind": submission.kind}
    record: models.Model | None = None
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != Submission.Status.PENDING:
            raise ReviewError(f"submission {submission.pk} was already {locked.get_status_display()}")
        if kind is not None:
            record, applied, by_editor = _apply(kind, submission, edited or {}, seen)
            submission.record_id = str(record.pk)
            submission.proposed = {**submission.proposed, **by_editor}
            details.update({"model": record._meta.label_lower, "pk": str(record.pk), "fields": sorted(applied)})
            if by_editor:
                details["edited_by_editor"] = sorted(by_editor)
        if submission.submitted_by_id is not None:
            details["proposed_by"] = f"user:{submission.submitted_by_id}"
        if note:
            details["reason"] = note
        submission.status = Submission.Status.ACCEPTED
        submission.decided_by = user
        submission.decided = timezone.now()
        submission.reason = note
        submission.save()
        name = ledger_object(record) if record is not None else submission.ledger_name()
        append_on_commit("review.accepted", name, details, actor=ledger_actor(user))
    return record


def _apply(
    kind: Reviewable, submission: Submission, edited: Mapping[str, Any], seen: str | None
) -> tuple[models.Model, dict[str, Value], dict[str, Value]]:
    if submission.kind == Submission.Kind.REVISION:
        record = _current_record(submission, kind)
        if record is None:
            raise ReviewError(f"the {kind.name} this revision is for no longer exists")
        fields = kind.fields
        now = current_values(kind, record)
        stale = [name for name in submission.proposed if now.get(name) != submission.base.get(name)]
        if stale and seen != values_token(now):
            raise StaleError(
                f"the {kind.name} changed since this revision was proposed ({', '.join(stale)}): "
                "open it, compare, and accept what should stand",
                stale,
            )
        start: dict[str, Value] = now
    else:
        record, fields, start = None, kind.new_fields, {}
    # A browser sends a text box's line breaks as CR LF.
    typed = {k: v.replace("\r\n", "\n") if isinstance(v, str) else v for k, v in _submitted(edited, fields).items()}
    by_editor = {k: v for k, v in typed.items() if v != submission.proposed.get(k)}
    values = {**start, **submission.proposed, **by_editor}
    form = _clean(kind, fields, _as_data(values), record)
    saved = form.save()
    applied = {k: v for k, v in values.items() if k in submission.proposed or k in by_editor}
    return saved, applied, by_editor


def reject(user: Any, submission: Submission, reason: str) -> None:
    """Reject a submission with a reason (required, plain text), and record the decision; nothing else changes."""
    _decidable(user, submission)
    reason = reason.strip()
    if not reason:
        raise ReviewError("a rejection needs a reason", {"reason": ["Say why, for whoever proposed it."]})
    try:
        validate_plain_text(reason)
    except forms.ValidationError as e:
        raise ReviewError(f"the reason is not valid: {' '.join(e.messages)}", {"reason": e.messages}) from e
    kind = reviewable_of(submission)
    record = _current_record(submission, kind) if kind is not None else None
    details: dict[str, Any] = {"submission": submission.pk, "kind": submission.kind, "reason": reason}
    if submission.submitted_by_id is not None:
        details["proposed_by"] = f"user:{submission.submitted_by_id}"
    with transaction.atomic():
        updated = Submission.objects.filter(pk=submission.pk, status=Submission.Status.PENDING).update(
            status=Submission.Status.REJECTED, decided_by=user, decided=timezone.now(), reason=reason
        )
        if not updated:
            raise ReviewError(f"submission {submission.pk} was already decided")
        name = ledger_object(record) if record is not None else submission.ledger_name()
        append_on_commit("review.rejected", name, details, actor=ledger_actor(user))
    submission.refresh_from_db()


def waiting(site: str = "", kind: str = "", contributor: str = "") -> QuerySet[Submission]:
    """Everything waiting, oldest first; ``site`` a slug, ``kind`` a REVIEWABLE name or "suggestion",
    ``contributor`` an account id or "anonymous". Raises ReviewError for an unknown kind or contributor."""
    queryset = Submission.objects.filter(status=Submission.Status.PENDING).select_related(
        "site", "record_type", "submitted_by"
    )
    if site:
        queryset = queryset.filter(site__slug=site)
    if kind == Submission.Kind.SUGGESTION:
        queryset = queryset.filter(kind=Submission.Kind.SUGGESTION)
    elif kind:
        model = reviewable(kind).model_class()
        queryset = queryset.filter(record_type=ContentType.objects.get_for_model(model))
    if contributor == "anonymous":
        queryset = queryset.filter(submitted_by__isnull=True)
    elif contributor:
        if not contributor.isdigit():
            raise ReviewError(f"contributor {contributor!r} is not an account number or 'anonymous'")
        queryset = queryset.filter(submitted_by_id=int(contributor))
    return queryset.order_by("created", "id")


def waiting_counts() -> dict[str, int]:
    """How many submissions wait, by kind (new, revision, suggestion), and in all ("all")."""
    counts = {
        row["kind"]: row["n"]
        for row in Submission.objects.filter(status="pending").values("kind").annotate(n=Count("id"))
    }
    return {**{k: counts.get(k, 0) for k in Submission.Kind.values}, "all": sum(counts.values())}


INTAKE_PROPOSALS = ("ProposedSite", "ProposedEvent", "ProposedClaim", "ProposedLocation")


@dataclass(frozen=True)
class ArticleWaiting:
    """An imported article (intake app) with items still waiting; they are decided on its own admin page."""

    pk: int
    title: str
    items: int
    created: datetime | None


def articles_waiting() -> list[ArticleWaiting]:
    """The intake app's imported articles with undecided items, oldest first (empty without the intake app).

    The intake app reviews its drafts on its own admin page (each item beside the article's sentence); the queue
    lists them so that nothing waiting is out of an editor's sight.
    """
    if not apps.is_installed("lestweforget.intake"):
        return []
    counts: dict[int, int] = {}
    for name in INTAKE_PROPOSALS:
        model = apps.get_model("intake", name)
        for row in model._default_manager.filter(decision="pending").values("article").annotate(n=Count("id")):
            counts[row["article"]] = counts.get(row["article"], 0) + row["n"]
    articles = apps.get_model("intake", "ArticleImport")._default_manager.filter(pk__in=counts).order_by("pk")
    return [
        ArticleWaiting(a.pk, str(getattr(a, "title", "") or a), counts[a.pk], getattr(a, "created", None))
        for a in articles
    ]


def own_submissions(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Submission]:
    """A contributor's own submissions, newest first (nobody else's)."""
    if not user.is_authenticated:
        return Submission.objects.none()
    return Submission.objects.filter(submitted_by_id=user.pk).order_by("-created", "-id")


def decide_many(user: Any, ids: Iterable[int], decision: str, reason: str = "") -> tuple[list[int], dict[int, str]]:
    """Accept or reject several submissions; each stands alone. Returns the ids done and, for the rest, why not
    (a stale revision is not accepted in a batch: it needs the side-by-side look)."""
    if decision not in ("accept", "reject"):
        raise ReviewError(f"decision {decision!r} is neither 'accept' nor 'reject'")
    if decision == "reject" and not reason.strip():
        raise ReviewError("a rejection needs a reason", {"reason": ["Say why, for whoever proposed it."]})
    done: list[int] = []
    refused: dict[int, str] = {}
    for submission in Submission.objects.filter(pk__in=list(ids)).order_by("created", "id"):
        try:
            if decision == "accept":
                accept(user, submission, note=reason)
            else:
                reject(user, submission, reason)
        except ReviewError as e:
            refused[submission.pk] = str(e)
        else:
            done.append(submission.pk)
    return done, refused
