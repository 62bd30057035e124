"""Public pages for readers who are not signed in, kept for a few seconds, so 200 readers cost a handful of renders.

A site page takes some 100 ms of CPU to build; the same page for every anonymous reader is kept in the "pages" cache
(files under the data directory, shared by every server process) for settings.PAGE_CACHE_SECONDS (LWF_PAGE_CACHE_
SECONDS; 0 turns it off). An edit shows within that time. A change that hides or moves something, or takes something
away, must not wait: publishing or withdrawing, a change of sensitivity, location or content note, and any deletion,
clear every kept page at once (`invalidate`, called from model signals). Edits made with QuerySet.update() send no
signal and show when their pages expire.

Only GET and HEAD requests of anonymous readers, answered 200 with HTML or JSON, are kept; never the admin, the
language switch, files or downloads. A kept page's CSRF token (the language form holds one) is replaced by the
reader's own when it is served, so forms keep working.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import models
from django.db.models.signals import post_delete, pre_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

CACHE_ALIAS = "pages"
_GENERATION_KEY = "generation"
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = "\x00csrf\x00"
_KEPT_TYPES = ("text/html", "application/json")
_NEVER_KEPT = ("/admin/", "/i18n/", "/evidence/", "/photos/", "/static/", "/media/")
# Under either language prefix: the admin, and account pages (sign-in, invitation and password links).
_NEVER_KEPT_PARTS = ("/admin/", "/accounts/")
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition")
# Fields whose change hides, moves or exposes something: such a save clears every kept page at once.
VISIBILITY_FIELDS = frozenset(
    {
        "is_published",
        "sensitivity",
        "generalise_m",
        "latitude",
        "longitude",
        "uncertainty_m",
        "start_latitude",
        "start_longitude",
        "content_note",
        "held_back_reason",
    }
)


def _seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def _generation() -> str:
    cache = caches[CACHE_ALIAS]
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        generation = secrets.token_hex(4)
        cache.add(_GENERATION_KEY, generation, timeout=None)
        generation = cache.get(_GENERATION_KEY, generation)
    return str(generation)


def invalidate() -> None:
    """Forget every kept page, in every server process (a new generation makes every kept key unreachable)."""
    caches[CACHE_ALIAS].set(_GENERATION_KEY, secrets.token_hex(4), timeout=None)


def _key(request: HttpRequest) -> str:
    language = getattr(request, "LANGUAGE_CODE", "")
    # The address hashed: a key stays short whatever the address (one of 10 000 characters would otherwise be
    # refused by memcached and warned about, whole, in the error log on every request).
    address = hashlib.sha256(f"{request.scheme}://{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return f"page:{_generation()}:{language}:{address}"


def _keepable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or _seconds() <= 0:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not request.path.startswith(_NEVER_KEPT) and not any(part in request.path for part in _NEVER_KEPT_PARTS)


def _keepable_response(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.has_header("Content-Disposition"):
        return False
    if response.cookies.keys() - {settings.CSRF_COOKIE_NAME}:
        return False  # it starts a session or sets something else of the reader's own
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    return response.get("Content-Type", "").startswith(_KEPT_TYPES)


class PublicPageCacheMiddleware:
    """Serve anonymous readers' public pages from the "pages" cache; keep what it does not have yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _keepable_request(request):
            return self.get_response(request)
        cache = caches[CACHE_ALIAS]
        key = _key(request)
        kept = cache.get(key)
        if kept is not None:
            return _served(request, kept)
        response = self.get_response(request)
        if _keepable_response(response):
            content = response.content
            if b'name="csrfmiddlewaretoken"' in content:
                text = _CSRF_INPUT.sub(rf"\g<1>{_CSRF_PLACEHOLDER}\g<2>", content.decode(response.charset))
                content = text.encode(response.charset)
            headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
            cache.set(key, {"content": content, "headers": headers, "charset": response.charset}, _seconds())
        return response


def _served(request: HttpRequest, kept: dict[str, Any]) -> HttpResponse:
    content: bytes = kept["content"]
    placeholder = _CSRF_PLACEHOLDER.encode()
    if placeholder in content:
        # The reader's own token; get_token also has the CSRF middleware set the matching cookie.
        content = content.replace(placeholder, get_token(request).encode("ascii"))
    response = HttpResponse(content)
    for name, value in kept["headers"].items():
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def _clear_on_visibility_change(sender: type[models.Model], instance: models.Model, raw: bool, **kwargs: Any) -> None:
    if raw or instance.pk is None or _seconds() <= 0:
        return
    watched = [field.attname for field in sender._meta.concrete_fields if field.name in VISIBILITY_FIELDS]
    if not watched:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values(*watched).first()
    if stored is not None and any(stored[name] != getattr(instance, name) for name in watched):
        invalidate()


def _clear_on_delete(sender: type[models.Model], **kwargs: Any) -> None:
    if _seconds() > 0:
        invalidate()


def connect(models_to_watch: list[type[models.Model]]) -> None:
    """Clear kept pages when one of these models changes what is visible, or loses a row (idempotent)."""
    for model in models_to_watch:
        uid = f"lwf-page-cache-{model._meta.label_lower}"
        pre_save.connect(_clear_on_visibility_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_clear_on_delete, sender=model, dispatch_uid=f"{uid}-delete")


def exempt(*derived: type[models.Model]) -> None:
    """Stop watching models whose rows are derived from watched ones (a search index, per-cell counts): their rows
    are rewritten whenever a site is saved, and the site's own save already decides whether kept pages go."""
    for model in derived:
        uid = f"lwf-page-cache-{model._meta.label_lower}"
        pre_save.disconnect(sender=model, dispatch_uid=f"{uid}-save")
        post_delete.disconnect(sender=model, dispatch_uid=f"{uid}-delete")
