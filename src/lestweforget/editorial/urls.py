"""The editorial pages: public suggestion forms (under the page's language prefix) and the staff's review pages."""

from __future__ import annotations

from django.urls import path

from . import views

public_urlpatterns = [
    path("suggest/", views.suggest, name="suggest"),
    path("suggest/thanks/", views.suggest_thanks, name="suggest-thanks"),
    path("sites/<slug:slug>/suggest/", views.suggest, name="site-suggest"),
]

app_name = "editorial"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("queue/<int:pk>/", views.decide, name="decide"),
    path("propose/<str:kind>/<str:pk>/", views.propose, name="propose"),
    path("new/<str:kind>/", views.submit_new, name="new"),
    path("mine/", views.mine, name="mine"),
]
