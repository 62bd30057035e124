"""Photos on the web: the clean derivatives of published photos for everyone (of unpublished ones for editors and
investigators), originals and evidence bags for investigators and admins only (each download ledgered), and a
site's offline field guide. Who may see what is decided in lestweforget.editorial.permissions.

A request for anything the reader may not see gets the same 404 as one for something that does not exist, so
the public cannot learn that an unpublished photo or an original is there.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.utils.text import slugify
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from lestweforget.atlas import evidence_records
from lestweforget.atlas.models import Site
from lestweforget.atlas.views import base_url, site_or_404
from lestweforget.editorial import permissions
from lestweforget.editorial.evidence_access import record_download
from lestweforget.evidence import EvidenceError

from . import field_guide
from .addresses import derivative_path, original_path
from .models import Photo, public_photo_q
from .summary import DERIVATIVE_LABELS

# Derivatives are named by the original's hash and never change; a year is the longest HTTP caching allows.
# An hour, and never "immutable": a photo an editor unpublishes must drop out of shared caches soon after.
PUBLIC_CACHE = "public, max-age=3600"
RESTRICTED_CACHE = "private, no-store"
SAFE_METHODS = ["GET", "HEAD"]
ORIGINAL_CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "HEIF": "image/heic",
    "PNG": "image/png",
    "TIFF": "image/tiff",
    "WEBP": "image/webp",
}


def public_photos(site: Site) -> list[Photo]:
    """The photos of a published site that an editor has published, in capture order."""
    if not site.is_published:
        return []
    return list(site.photos.filter(public_photo_q()).select_related("contributor"))


@dataclass(frozen=True)
class PhotoCard:
    """What the site page shows for one photo. The restricted fields are filled only for an investigator."""

    thumb_url: str
    web_url: str
    width: int
    height: int
    caption: str
    credit: str
    licence: str
    content_note: str  # the note's words, or "" when the photo needs none
    original_url: str = ""
    original_name: str = ""
    device: str = ""


def photo_cards(site: Site, user: AbstractBaseUser | AnonymousUser) -> list[PhotoCard]:
    """The site's published photos as the page shows them; originals and devices only for an investigator."""
    editor = permissions.can_download_originals(user)
    cards = []
    for photo in public_photos(site):
        device = " ".join(part for part in (photo.device_make, photo.device_model) if part)
        cards.append(
            PhotoCard(
                thumb_url=derivative_path(photo.thumb_sha256, "thumb"),
                web_url=derivative_path(photo.web_sha256, "web"),
                width=photo.width,
                height=photo.height,
                caption=photo.localized("caption"),
                credit=photo.credit,
                licence=photo.licence,
                content_note=str(photo.get_content_note_display()) if photo.content_note else "",
                original_url=original_path(photo.sha256) if editor else "",
                original_name=photo.original_name if editor else "",
                device=device if editor else "",
            )
        )
    return cards


def _open(sha256: str) -> FileResponse:
    try:
        handle = evidence_records.open_store(create=False).open(sha256)
    except EvidenceError:
        raise Http404("not found") from None
    return FileResponse(handle)


def photo_derivative(request: HttpRequest, sha256: str, label: str) -> HttpResponseBase:
    """A derivative, named by its own hash, of a published photo of a published site; an editor may see
    unpublished ones."""
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    if label not in DERIVATIVE_LABELS:
        raise Http404("not found")
    photo = Photo.objects.select_related("site").filter(**{f"{label}_sha256": sha256}).first()
    public = photo is not None and photo.is_public and photo.site.is_published
    if photo is None or not (public or permissions.can_see_unpublished(request.user)):
        raise Http404("not found")
    derivative = getattr(photo, f"{label}_sha256")
    if not derivative:
        raise Http404("not found")
    response = _open(derivative)
    response["Content-Type"] = "image/jpeg"
    response["Content-Disposition"] = f'inline; filename="{derivative[:16]}-{label}.jpg"'
    response["Cache-Control"] = PUBLIC_CACHE if public else RESTRICTED_CACHE
    response["ETag"] = f'"{derivative}"'
    return response


def evidence_original(request: HttpRequest, sha256: str) -> HttpResponseBase:
    """An original exactly as stored, for an investigator or admin signed in with two factors (a ledger entry per
    download); one without the second factor is sent to it; everyone else gets 404."""
    if request.method not in SAFE_METHODS:
        return HttpResponseNotAllowed(SAFE_METHODS)
    if (refused := permissions.refusal(request, permissions.can_download_originals)) is not None:
        return refused
    photo = Photo.objects.filter(sha256=sha256).first()
    if photo is None:
        raise Http404("not found")
    response = _open(sha256)
    if request.method == "GET":
        record_download(request.user, f"sha256:{sha256}", "original", site=photo.site.slug)
    response["Content-Type"] = ORIGINAL_CONTENT_TYPES.get(photo.format, "application/octet-stream")
    response["Content-Disposition"] = _attachment(photo.original_name)
    response["Cache-Control"] = RESTRICTED_CACHE
    response["ETag"] = f'"{sha256}"'
    return response


@require_safe
@permissions.role_required(permissions.can_download_originals)
def site_evidence_bag(request: HttpRequest, slug: str) -> HttpResponseBase:
    """A site's evidence bag (BagIt, zipped) for an investigator or admin; the export is ledgered under their id,
    as `lwf export evidence --as` does."""
    from .evidence_bag import export_site_evidence

    site = Site.objects.filter(slug=slug).first()
    if site is None:
        raise Http404("not found")
    work = Path(tempfile.mkdtemp(prefix="lwf-bag-"))
    name = f"lestweforget-{slugify(slug)}-evidence"
    try:
        export_site_evidence(slug, work / name, permissions.ledger_actor(request.user))
        archive = shutil.make_archive(str(work / name), "zip", root_dir=work, base_dir=name)
        handle = open(archive, "rb")  # noqa: SIM115 (FileResponse closes it)
    except EvidenceError as error:
        shutil.rmtree(work, ignore_errors=True)
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    finally:
        shutil.rmtree(work / name, ignore_errors=True)
    # The zip's name stays open while it is sent; removing it now frees the disk as soon as it is closed.
    shutil.rmtree(work, ignore_errors=True)
    response = FileResponse(handle, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    response["Cache-Control"] = RESTRICTED_CACHE
    return response


def _attachment(name: str) -> str:
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@require_safe
def site_guide(request: HttpRequest, slug: str) -> HttpResponse:
    """The site's offline field guide (a ZIP) in the page's language."""
    site = site_or_404(slug)
    language = (get_language() or "en").split("-")[0]
    if language not in field_guide.guide_languages():
        language = "en"
    body = field_guide.site_guide(site, language, base_url(request))
    response = HttpResponse(body, content_type="application/zip")
    name = f"lestweforget-{slugify(site.slug)}-guide-{language}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
