"""URLs: public pages in English (no prefix) and Ukrainian (/uk/), the API, the admin, and each app's own."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from lestweforget.atlas import views
from lestweforget.atlas.api import api
from lestweforget.editorial import urls as editorial_urls
from lestweforget.photos import urls as photo_urls
from lestweforget.register import api as register_api
from lestweforget.register import views as register_views

api.add_router("/viewport", register_api.router)

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    *photo_urls.file_urlpatterns,
]
urlpatterns += i18n_patterns(
    path("", register_views.atlas, name="atlas"),
    path("about/", views.about, name="about"),
    path("sites/<slug:slug>/", views.site_detail, name="site"),
    path("sites/<slug:slug>/export.<str:fmt>", views.site_export, name="site-export"),
    *photo_urls.page_urlpatterns,
    path("export/atlas.<str:fmt>", views.atlas_export, name="atlas-export"),
    *editorial_urls.public_urlpatterns,
    path("admin/", admin.site.urls),
    path("", include(editorial_urls)),
    prefix_default_language=False,
)

handler400 = "lestweforget.atlas.views.bad_request"
handler404 = "lestweforget.atlas.views.not_found"
handler500 = "lestweforget.atlas.views.server_error"
