"""Field validators whose messages say which value is wrong and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import CharField, Model, TextField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lestweforget.exports import find_control_character


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


def validate_plain_text(value: str) -> None:
    """Refuse text holding a control character (the rule of `lestweforget.exports.plain_text`), naming it and where."""
    if not isinstance(value, str) or (found := find_control_character(value)) is None:
        return
    raise ValidationError(
        _(
            "Contains the invisible control character %(code)s at character %(position)s (after “%(before)s”). "
            "Delete it: text pasted from a word processor often carries one for a line break."
        ),
        params={"code": found.code_point, "position": found.index + 1, "before": found.before},
        code="control_character",
    )


def require_plain_text(models: Iterable[type[Model]]) -> None:
    """Give every CharField and TextField of ``models`` the `validate_plain_text` validator (idempotent).

    Applied once at start-up to every model of the project's apps, so a field added later is covered without
    anyone remembering to; kept out of the fields' deconstruction (so out of migrations), since a validator does
    not touch the schema."""
    for model in models:
        for field in model._meta.get_fields():
            if isinstance(field, CharField | TextField) and validate_plain_text not in field.validators:
                field.validators.append(validate_plain_text)
