"""URLs: public pages in English (no prefix) and Ukrainian (/uk/), the API, the admin."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from lestweforget.atlas import photo_views, views
from lestweforget.atlas.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    re_path(
        r"^photos/(?P<sha256>[0-9a-f]{64})/(?P<label>thumb|web)\.jpg$",
        photo_views.photo_derivative,
        name="photo-derivative",
    ),
    re_path(r"^evidence/(?P<sha256>[0-9a-f]{64})$", photo_views.evidence_original, name="evidence-original"),
]
urlpatterns += i18n_patterns(
    path("", views.atlas, name="atlas"),
    path("sites/<slug:slug>/", views.site_detail, name="site"),
    path("sites/<slug:slug>/export.<str:fmt>", views.site_export, name="site-export"),
    path("sites/<slug:slug>/guide.zip", views.site_guide, name="site-guide"),
    path("export/atlas.<str:fmt>", views.atlas_export, name="atlas-export"),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler400 = "lestweforget.atlas.views.bad_request"
handler404 = "lestweforget.atlas.views.not_found"
handler500 = "lestweforget.atlas.views.server_error"
