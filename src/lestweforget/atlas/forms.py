"""The editors' forms: placing a site's point from text or on a map, and the rules checked where an editor
decides (an event cites a source; an implausible site is published only once confirmed).

The point can be typed in any form `lwf where` reads (decimal, DMS, MGRS, SK-42, Plus Codes, map links, `geo:`
URIs), read by `lestweforget.geo.parse_location`, or placed on the map widget, whose script (atlas/site_map_picker.js,
no inline script) writes the latitude and longitude fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lestweforget import geo

from .models import Event, Site


class LocationTextField(forms.CharField):
    """Text naming a point, in any form `geo.parse_location` reads; cleans to a `geo.ParsedLocation`, or None when
    left blank. A text it cannot read is refused with geo's own message, which names the text."""

    def to_python(self, value: Any) -> geo.ParsedLocation | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return geo.parse_location(text)
        except geo.GeoError as error:
            raise ValidationError(
                gettext("Cannot read a point from this text: %(error)s"), code="unreadable", params={"error": error}
            ) from error


class PointPickerWidget(forms.TextInput):
    """The text input, and under it a map on which a click places the point and a drag moves it; the map writes
    the form's latitude and longitude inputs (named in data attributes)."""

    template_name = "atlas/widgets/point_picker.html"

    class Media:
        css = {"all": ("leaflet/leaflet.css", "atlas/site_map_picker.css")}
        js = ("leaflet/leaflet.js", "atlas/map_words.js", "atlas/site_map_picker.js")

    def __init__(self, latitude_input: str, longitude_input: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"size": 60, **(attrs or {})})
        self.latitude_input = latitude_input
        self.longitude_input = longitude_input

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["picker"] = {
            "latitude_input": self.latitude_input,
            "longitude_input": self.longitude_input,
            "tile_url": settings.MAP_TILE_URL,
        }
        return context


class SiteAdminForm(forms.ModelForm):
    """A site with its point from the latitude and longitude fields, the map, or a typed place; an implausible
    site (see plausibility.py) is published only with the confirmation box ticked."""

    place_text = LocationTextField(
        label=_("Place the point from text"),
        required=False,
        help_text=_(
            "Coordinates in any form (decimal, degrees-minutes-seconds, MGRS, SK-42, Plus Code) or a map link: "
            "they replace the latitude and longitude. Or click the map to place the point, and drag it to move it."
        ),
        widget=PointPickerWidget("id_latitude", "id_longitude"),
    )
    confirm_implausible = forms.BooleanField(
        label=_("I have checked this site: publish it as it is"),
        required=False,
        help_text=_("Needed only when the site looks wrong (at 0°, 0°, far from its settlement, or with no name)."),
    )

    class Meta:
        model = Site
        fields = "__all__"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Either these or the text: `clean` asks for one of them.
        for name in ("latitude", "longitude"):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        place = cleaned.get("place_text")
        if place is not None:
            cleaned["latitude"], cleaned["longitude"] = place.lat, place.lon
            if place.uncertainty_m is not None:
                cleaned["uncertainty_m"] = place.uncertainty_m
            for name in ("latitude", "longitude"):
                self.errors.pop(name, None)
        elif "place_text" not in self.errors:
            for name in ("latitude", "longitude"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(
                        name, gettext("Give the latitude and longitude, place the point on the map, or type it.")
                    )
        # Read by Site.clean (location problems) and by the name rows' check (a site with no name).
        self.instance.confirm_implausible = bool(cleaned.get("confirm_implausible"))
        return cleaned


class SiteNameFormSet(BaseInlineFormSet):
    """The site's names as they will be saved: a published site with none at all needs the editor's confirmation
    (the site form's box), like its other implausibilities."""

    def clean(self) -> None:
        super().clean()
        site = self.instance
        if any(form.errors for form in self.forms):
            return
        names = [
            str(form.cleaned_data.get("name") or "")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            site.check_plausible(names, confirm=bool(getattr(site, "confirm_implausible", False)))
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class EventAdminForm(forms.ModelForm):
    """An event cites at least one source, checked here since a many-to-many is saved after the event."""

    class Meta:
        model = Event
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if "sources" in self.fields and "sources" not in self.errors:
            try:
                Event.validate_sources(list(cleaned.get("sources") or []))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned
