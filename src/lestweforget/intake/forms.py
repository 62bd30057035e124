"""The editors' upload form: a saved article as a file or as pasted text, with where it was published and the
site it is about when known."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lestweforget.articles import MAX_ARTICLE_BYTES
from lestweforget.atlas.models import Site


class ArticleUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Saved article"),
        required=False,
        help_text=_("The page saved from the browser (.html), or the article as text (.txt) or Markdown (.md)."),
    )
    text = forms.CharField(
        label=_("…or paste the article's text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=False,
    )
    url = forms.URLField(label=_("Where it was published"), required=False, assume_scheme="https")
    site = forms.ModelChoiceField(
        label=_("The site it is about, if you know"),
        queryset=Site.objects.order_by("slug"),
        required=False,
        to_field_name="slug",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, text = data.get("file"), data.get("text") or ""
        if upload is None and not text.strip():
            raise forms.ValidationError(_("Choose a file or paste the article's text."), code="empty")
        if upload is not None and text.strip():
            raise forms.ValidationError(_("Give a file or pasted text, not both."), code="both")
        if upload is not None and upload.size > MAX_ARTICLE_BYTES:
            raise forms.ValidationError(
                _("%(name)s: %(size).1f MB is more than any article page (limit %(limit)d MB); nothing was stored."),
                code="too_large",
                params={"name": upload.name, "size": upload.size / 1_048_576, "limit": MAX_ARTICLE_BYTES // 1_048_576},
            )
        return data

    def article_bytes(self) -> tuple[bytes, str]:
        """The article's bytes, exactly as uploaded (a pasted text as UTF-8), and the name to keep them under."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return b"".join(upload.chunks()), str(upload.name)
        return str(self.cleaned_data["text"]).encode("utf-8"), "pasted text"


class DecisionForm(forms.ModelForm):
    """A proposed item in the review page: its fields while it waits, read-only once decided, and the decision."""

    decide = forms.ChoiceField(
        label=_("decide"),
        required=False,
        choices=[("", _("later")), ("accept", _("accept")), ("reject", _("reject"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site = self.fields.get("site")
        if site is not None and hasattr(site.widget, "can_add_related"):
            # Choosing the site is the decision here; adding or editing sites happens on their own pages.
            for ability in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
                setattr(site.widget, ability, False)
        if self.instance.pk is not None and not self.instance.is_pending:
            for field in self.fields.values():
                field.disabled = True
