"""Photo addresses: clean copies for everyone, originals and evidence bags for investigators (no language prefix,
as files), and a site's field guide (under the page's language prefix, see lestweforget.urls)."""

from __future__ import annotations

from django.urls import path, re_path

from . import views

file_urlpatterns = [
    re_path(
        r"^photos/(?P<sha256>[0-9a-f]{64})/(?P<label>thumb|web)\.jpg$",
        views.photo_derivative,
        name="photo-derivative",
    ),
    re_path(r"^evidence/(?P<sha256>[0-9a-f]{64})$", views.evidence_original, name="evidence-original"),
    path("evidence/sites/<slug:slug>/bag.zip", views.site_evidence_bag, name="site-evidence-bag"),
]

page_urlpatterns = [
    path("sites/<slug:slug>/guide.zip", views.site_guide, name="site-guide"),
]
