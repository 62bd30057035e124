"""Public pages: the atlas map, a site's page, downloads, and error pages that say what was wrong."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lestweforget import geo
from lestweforget.exports import FORMATS

from . import filters, public, site_parts
from .models import Site


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def site_or_404(slug: str) -> Site:
    try:
        return public.public_site(slug)
    except Site.DoesNotExist:
        raise Http404(_("There is no published site called “%(slug)s”.") % {"slug": slug}) from None


def about(request: HttpRequest) -> HttpResponse:
    """Who publishes the atlas and its policies: sources, contributors' anonymity, corrections, content notes."""
    return render(request, "atlas/about.html")


def site_detail(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_or_404(slug)
    forms = public.location_forms(site)
    offset = public.settlement_offset(site)
    approach = getattr(site, "approach", None)
    directions = public.public_directions(site)
    approach_offset = geo.describe_offset(directions.start_point, site.public_point) if directions else None
    return render(
        request,
        "atlas/site.html",
        {
            "site": site,
            "forms": forms,
            "offset": offset,
            "offset_text": public.settlement_offset_text(site),
            "offers_directions": public.offers_directions(site),
            "approach": approach,
            "approach_offset": approach_offset,
            # The reader's own language first, then the others, each language's primary name first.
            "names": sorted(
                site.names.all(), key=lambda n: (n.language != request.LANGUAGE_CODE, n.language, not n.is_primary)
            ),
            "parts": site_parts.rendered_page_parts(request, site),
            "statuses": site.statuses.select_related("source"),
            "events": public.public_events(site),
            "claim_groups": public.claim_groups(site),
            "sources": public.cited_sources(site),
            "formats": FORMATS,
            # The page in the reader's language: the Ukrainian page cites the Ukrainian address.
            "citable_url": request.build_absolute_uri(reverse("site", args=[site.slug])),
            "marker": {
                "lat": public.published_coordinates(site)[0],
                "lon": public.published_coordinates(site)[1],
                "uncertainty_m": site.public_uncertainty_m,
                "name": site.name(),
            },
        },
    )


def _export_response(collection_format: str, body: str, filename: str) -> HttpResponse:
    export = FORMATS[collection_format]
    response = HttpResponse(body, content_type=f"{export.media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export.extension}"'
    return response


def _check_format(fmt: str) -> None:
    """Refuse a format the atlas does not export with 404 naming the formats it does: "export.shp" is a file
    that does not exist, not a malformed request (RFC 9110 §15.5.5)."""
    if fmt not in FORMATS:
        raise Http404(
            _("“%(fmt)s” is not an export format; choose one of %(choices)s.")
            % {"fmt": fmt, "choices": ", ".join(sorted(FORMATS))}
        )


def site_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    _check_format(fmt)
    site = site_or_404(slug)
    base = base_url(request)
    collection = public.site_collection(site, base)
    return _export_response(fmt, FORMATS[fmt].write(collection), f"lestweforget-{slugify(site.slug)}")


def atlas_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The published sites the query's filters keep (all without any; see `filters`), streamed for GeoJSON and CSV."""
    _check_format(fmt)
    try:
        chosen = filters.parse(request.GET)
    except filters.UnknownUnit as error:
        return HttpResponse(str(error), status=error.status, content_type="text/plain; charset=utf-8")
    except filters.FilterError as error:
        raise BadRequest(error.for_reader()) from None
    sites = filters.apply(public.public_sites(), chosen)
    export = FORMATS[fmt]
    body = public.export_stream(fmt, sites, base_url(request), _("Lest We Forget: atlas"))
    response = StreamingHttpResponse(body, content_type=f"{export.media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lestweforget-atlas.{export.extension}"'
    return response


def login_locked(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: object = None
) -> HttpResponse:
    """What django-axes answers a sign-in to a locked account or from a locked address: 429 and how long to wait."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "lockout.html", context, status=429)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", {"reason": str(exception or "")}, status=400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = (
        exception.args[0] if exception is not None and exception.args and isinstance(exception.args[0], str) else ""
    )
    return render(request, "404.html", {"reason": reason, "path": request.path}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
