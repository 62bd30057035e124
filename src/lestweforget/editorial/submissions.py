"""What waits for an editor: drafts of new records, proposed revisions of published ones, and public suggestions.

A `Submission` holds proposed field values as JSON (field name -> the value as a form submits it, text), never
written to the record until an editor accepts: the published version stays live meanwhile. A revision also keeps
the values those fields had when it was proposed (``base``), so that an editor sees when the record has changed
since ("stale") and cannot overwrite an edit they did not see. A public suggestion holds free text only, and of
whoever sent it nothing but a keyed hash of their address (to see floods) and, if they chose, a contact they gave.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """One thing waiting for review, and the decision on it once made (who, when, the reason)."""

    class Kind(models.TextChoices):
        NEW = "new", _("new record")
        REVISION = "revision", _("proposed revision")
        SUGGESTION = "suggestion", _("public suggestion")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    record_type = models.ForeignKey(
        ContentType, verbose_name=_("type of record"), on_delete=models.PROTECT, null=True, blank=True
    )
    record_id = models.CharField(_("record"), max_length=64, blank=True)
    site = models.ForeignKey(
        "atlas.Site", verbose_name=_("site"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    proposed = models.JSONField(_("proposed values"), default=dict, blank=True)
    base = models.JSONField(_("values when proposed"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    contact = models.CharField(_("contact (never published)"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="editorial_submissions",
    )
    address_key = models.CharField(_("sender's address, keyed hash"), max_length=64, blank=True, db_index=True)
    created = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["status", "created"], name="submission_waiting")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def ledger_name(self) -> str:
        """How the ledger names a submission."""
        return f"submission:{self.pk}"
