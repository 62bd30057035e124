"""The project's URLs and a page that shows only the photos partial, so it can be tested on its own."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from lestweforget.atlas.models import Site
from lestweforget.photos import views as photo_views
from lestweforget.urls import handler400, handler404, handler500
from lestweforget.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler404", "handler500", "urlpatterns"]


def photos_partial(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_object_or_404(Site, slug=slug, is_published=True)
    return render(request, "photos/_photos.html", {"photos": photo_views.photo_cards(site, request.user)})


urlpatterns = [*project_urlpatterns]
# In the language-prefixed part, as site pages are, so that /uk/ shows the Ukrainian captions.
urlpatterns += i18n_patterns(path("test-photos/<slug:slug>/", photos_partial), prefix_default_language=False)
