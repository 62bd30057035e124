"""Account pages, under the page's language prefix (see lestweforget.urls): /accounts/… and /uk/accounts/…"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "editorial"

urlpatterns = [
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
