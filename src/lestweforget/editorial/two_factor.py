"""The second factor: a TOTP authenticator app (RFC 6238) per account, through django-otp.

An account whose role needs two factors (`permissions.needs_two_factor`) signs in with its password and then a
six-digit code. The first time, it enrols an authenticator: `pending_device` gives the secret (as an otpauth://
link and a QR code), and `confirm_device` accepts it once the app shows a right code. A confirmed device can only
be replaced by a session already verified with it (or by an admin removing it), so a stolen password alone cannot
enrol a new one.
"""

from __future__ import annotations

import base64
import io

import segno
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator"


def has_confirmed_device(user: AbstractBaseUser) -> bool:
    return bool(user_has_device(user, confirmed=True))


def pending_device(user: AbstractBaseUser) -> TOTPDevice:
    """The account's unconfirmed authenticator, made with a new random secret if it has none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def qr_svg_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// link as a QR code, an SVG data: URI for an <img> (the CSP allows data: images)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(out, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def secret_base32(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed in (base32, in groups of four)."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def confirm_device(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Confirm ``device`` if ``token`` is its current code, and mark this session verified with it."""
    if not device.verify_token(token.replace(" ", "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True
