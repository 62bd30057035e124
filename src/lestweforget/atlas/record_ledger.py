"""Every edit of a record is a ledger entry: sites, claims, events, sources, and what other apps connect (photos).

Entries are appended once the database transaction commits (a rolled-back edit never happened), under the
pseudonymous actor set with `acting_as` (the CLI's operator id, or `user:<id>` for a logged-in editor through
`LedgerActorMiddleware`). An entry names the changed fields and the SHA-256 of the record's values, not the
values themselves, so the ledger pins down what a record said without copying restricted fields into it.

After the entries, the ledger gets a signed checkpoint (kept in the database too, `LedgerCheckpoint`): once at the
end of a request (`LedgerActorMiddleware`) or a `checkpointed()` block, else after each entry, so that no admin or
review change stays outside a checkpoint for longer than it takes to make it. Every change made through the Django
admin (users and groups included) is also an entry of its own, `admin.added` / `admin.changed` / `admin.deleted`,
naming the record and the changed fields (by their labels), from the admin's own log. Apps record their decisions
(a review's acceptance, say) with `append_on_commit`.

A model may say how it is recorded by defining `ledger_name()` (its name in the ledger), `ledger_action(changed)`
(an action of its own for some changes, such as publishing), `ledger_details(changed)` (what an entry must say beyond
the changed fields, such as an editor's reason for a decision) and `ledger_released_objects()` (stored files a deletion
leaves behind, role -> SHA-256); other apps connect their models with `connect(Model, ...)`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse

from . import evidence_records
from .evidence_records import open_ledger
from .models import Claim, ClaimSubject, Event, Site, Source

ATLAS_MODELS: tuple[type[models.Model], ...] = (Site, Claim, ClaimSubject, Event, Source)
UNKNOWN_ACTOR = "system:unattributed"

_actor: ContextVar[str | Callable[[], str] | None] = ContextVar("lwf_ledger_actor", default=None)
_unrecorded: ContextVar[bool] = ContextVar("lwf_ledger_unrecorded", default=False)
# Inside `checkpointed()`: how many entries were appended and not yet signed (a list, so the block sees them).
_unsigned: ContextVar[list[int] | None] = ContextVar("lwf_ledger_unsigned", default=None)
_BEFORE = "_lwf_values_before_save"
_recorded: list[type[models.Model]] = []
_connected = [False]


@contextlib.contextmanager
def acting_as(actor: str | Callable[[], str]) -> Iterator[None]:
    """Attribute the record edits made inside the block to ``actor`` (a pseudonymous id, or a function giving
    one when the first edit is recorded)."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


@contextlib.contextmanager
def unrecorded() -> Iterator[None]:
    """For code that writes its own, more precise ledger entries (the photo import): no generic entries."""
    token = _unrecorded.set(True)
    try:
        yield
    finally:
        _unrecorded.reset(token)


@contextlib.contextmanager
def checkpointed() -> Iterator[None]:
    """Sign one checkpoint at the end of the block for every entry appended inside it, rather than one per entry."""
    pending = [0]
    token = _unsigned.set(pending)
    try:
        yield
    finally:
        _unsigned.reset(token)
        if pending[0]:
            evidence_records.checkpoint_if_needed(open_ledger())


def ledger_object(instance: models.Model) -> str:
    """How the ledger names a record: by its own `ledger_name()` (a photo: its original's hash), else by its slug,
    key or id."""
    if callable(named := getattr(instance, "ledger_name", None)):
        return str(named())
    if isinstance(instance, Site):
        return f"site:{instance.slug}"
    if isinstance(instance, Source):
        return f"source:{instance.key}"
    return f"{instance._meta.model_name}:{instance.pk}"


def _values(instance: models.Model) -> dict[str, Any]:
    return {
        field.attname: field.to_python(field.value_from_object(instance))
        for field in instance._meta.concrete_fields
        if not getattr(field, "auto_now", False)
    }


def _values_sha256(values: dict[str, Any]) -> str:
    text = json.dumps(values, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _site_slug(instance: models.Model) -> str | None:
    if isinstance(instance, Site):
        return str(instance.slug)
    site = getattr(instance, "site", None) if getattr(instance, "site_id", None) else None
    return str(site.slug) if isinstance(site, Site) else None


def _remember_before(sender: type[models.Model], instance: models.Model, raw: bool, **kwargs: Any) -> None:
    if raw or _unrecorded.get() or instance.pk is None:
        return
    before = sender._default_manager.filter(pk=instance.pk).first()
    setattr(instance, _BEFORE, _values(before) if before is not None else None)


def _record_save(sender: type[models.Model], instance: models.Model, created: bool, raw: bool, **kwargs: Any) -> None:
    if raw or _unrecorded.get():
        return
    before: dict[str, Any] | None = getattr(instance, _BEFORE, None)
    after = _values(instance)
    changed = sorted(k for k, v in after.items() if before is None or before.get(k) != v)
    if not created and before is not None and not changed:
        return  # saved without a change: nothing was edited
    action = "record.edited"
    if before is not None and callable(own_action := getattr(instance, "ledger_action", None)):
        action = own_action(changed) or action
    details: dict[str, Any] = {
        "model": instance._meta.label_lower,
        "pk": instance.pk,
        "created": created,
        "changed": changed,
        "values_sha256": _values_sha256(after),
    }
    if (slug := _site_slug(instance)) is not None:
        details["site"] = slug
    if before is not None and callable(own_details := getattr(instance, "ledger_details", None)):
        details.update(own_details(changed))
    append_on_commit(action, ledger_object(instance), details)


def _record_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _unrecorded.get():
        return
    details: dict[str, Any] = {"model": instance._meta.label_lower, "pk": instance.pk}
    if (slug := _site_slug(instance)) is not None:
        details["site"] = slug
    objects = [ledger_object(instance)]
    released = getattr(instance, "ledger_released_objects", None)
    for role, sha256 in (released() if callable(released) else {}).items():
        details[f"{role}_sha256"] = sha256
        if f"sha256:{sha256}" not in objects:
            objects.append(f"sha256:{sha256}")
    for name in objects:
        append_on_commit("record.deleted", name, details)


def append_on_commit(action: str, object: str, details: dict[str, Any], actor: str | None = None) -> None:
    """Append an entry once the current transaction commits (at once outside one), under ``actor`` or the one set
    with `acting_as`, then sign a checkpoint (at the end of the `checkpointed()` block when inside one)."""
    chosen = _actor.get()
    actor = actor or (chosen() if callable(chosen) else chosen) or UNKNOWN_ACTOR
    pending = _unsigned.get()

    def append() -> None:
        ledger = open_ledger()
        ledger.append(actor, action, object, details)
        if pending is not None and _unsigned.get() is pending:
            pending[0] += 1
        else:
            evidence_records.checkpoint_if_needed(ledger)

    transaction.on_commit(append)


_ADMIN_ACTIONS = {1: "admin.added", 2: "admin.changed", 3: "admin.deleted"}


def _record_admin_log(sender: type[models.Model], instance: Any, created: bool, raw: bool, **kwargs: Any) -> None:
    """An entry for each change made through the Django admin, from its LogEntry: who, what, which fields.

    The object's name as the admin shows it (`object_repr`, a person's e-mail address maybe) stays out.
    """
    if raw or not created or _unrecorded.get():
        return
    content_type = instance.content_type
    label = f"{content_type.app_label}.{content_type.model}" if content_type is not None else "unknown"
    fields: list[str] = []
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        for message in json.loads(instance.change_message or "[]"):
            fields.extend(str(name) for name in message.get("changed", {}).get("fields", []))
    append_on_commit(
        _ADMIN_ACTIONS.get(instance.action_flag, "admin.changed"),
        f"{label}:{instance.object_id}",
        {"model": label, "pk": instance.object_id, "changed": sorted(set(fields))},
        actor=f"user:{instance.user_id}",
    )


def is_connected() -> bool:
    return _connected[0]


def connect(*models_to_record: type[models.Model]) -> None:
    """Add these models to the recorded ones and connect the handlers of every recorded model (idempotent); each
    app connects its own models when it is ready, and `connect()` alone connects again after `disconnect`."""
    for model in models_to_record:
        if model not in _recorded:
            _recorded.append(model)
    _connected[0] = True
    from django.contrib.admin.models import LogEntry

    post_save.connect(_record_admin_log, sender=LogEntry, dispatch_uid="lwf-ledger-admin-log")
    for model in _recorded:
        uid = f"lwf-ledger-{model._meta.label_lower}"
        pre_save.connect(_remember_before, sender=model, dispatch_uid=f"{uid}-before")
        post_save.connect(_record_save, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_record_delete, sender=model, dispatch_uid=f"{uid}-delete")


def disconnect() -> None:
    """Undo `connect` (for tests that must not write a ledger)."""
    _connected[0] = False
    from django.contrib.admin.models import LogEntry

    post_save.disconnect(sender=LogEntry, dispatch_uid="lwf-ledger-admin-log")
    for model in _recorded:
        uid = f"lwf-ledger-{model._meta.label_lower}"
        pre_save.disconnect(sender=model, dispatch_uid=f"{uid}-before")
        post_save.disconnect(sender=model, dispatch_uid=f"{uid}-save")
        post_delete.disconnect(sender=model, dispatch_uid=f"{uid}-delete")


class LedgerActorMiddleware:
    """Attribute a request's edits to its logged-in user as `user:<id>` (a pseudonymous id, not a name), and sign one
    checkpoint after a request that appended entries."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        with checkpointed():
            if user is None or not user.is_authenticated:
                return self.get_response(request)
            with acting_as(f"user:{user.pk}"):
                return self.get_response(request)
