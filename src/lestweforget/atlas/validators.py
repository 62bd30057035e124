"""Field validators whose messages say which value is wrong and why."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def validate_latitude(value: float) -> None:
    if value is None or not -90 <= value <= 90:
        raise ValidationError(_("Latitude %(value)s is outside -90..90."), params={"value": value}, code="latitude")


def validate_longitude(value: float) -> None:
    if value is None or not -180 <= value <= 180:
        raise ValidationError(_("Longitude %(value)s is outside -180..180."), params={"value": value}, code="longitude")


def validate_positive_metres(value: float) -> None:
    if value is None or not value > 0:
        raise ValidationError(
            _("Uncertainty must be more than 0 metres (got %(value)s)."),
            params={"value": value},
            code="uncertainty",
        )


def validate_not_in_future(value: dt.date) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("%(value)s is in the future."), params={"value": value.isoformat()}, code="future")
