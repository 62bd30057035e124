"""The editorial pages, one URL namespace ("editorial"):

- account pages under /accounts/ (sign in with the second factor, invitations, password reset);
- the staff's review pages under /editorial/ (queue, decisions, proposals, a contributor's own submissions);
- `public_urlpatterns`: the public suggestion form, mounted by the project beside the atlas pages (no namespace).

All of it sits under the page's language prefix (see lestweforget.urls): /accounts/… and /uk/accounts/….
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import review_views, views

public_urlpatterns = [
    path("suggest/", review_views.suggest, name="suggest"),
    path("suggest/thanks/", review_views.suggest_thanks, name="suggest-thanks"),
    path("sites/<slug:slug>/suggest/", review_views.suggest, name="site-suggest"),
]

account_urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(next_page="atlas"), name="logout"),
    path("two-factor/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("invite/", views.invite, name="invite"),
    path("invitation/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
    path(
        "invitation/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="editorial/invitation_done.html"),
        name="invitation-done",
    ),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="editorial/password_reset_done.html"),
        name="password-reset-done",
    ),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="editorial/password_reset_complete.html"),
        name="password-reset-complete",
    ),
]

review_urlpatterns = [
    path("queue/", review_views.queue, name="queue"),
    path("queue/<int:pk>/", review_views.decide, name="decide"),
    path("propose/<str:kind>/<str:pk>/", review_views.propose, name="propose"),
    path("new/<str:kind>/", review_views.submit_new, name="new"),
    path("mine/", review_views.mine, name="mine"),
]

app_name = "editorial"
urlpatterns = [
    path("accounts/", include(account_urlpatterns)),
    path("editorial/", include(review_urlpatterns)),
]
