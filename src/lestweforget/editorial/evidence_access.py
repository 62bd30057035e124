"""Who takes evidence out, on the record: every download of an original or an evidence bag is a ledger entry (who,
what, when), and the CLI's evidence export names the investigator it is made for.

The web checks `permissions.can_download_originals` (role and a verified second factor). The CLI cannot ask for a
second factor, and its operator can read the store's files anyway; what it can do is refuse to make an export for
someone not entitled to one and put the name of the investigator in the ledger, so that every bag that leaves is
attributable. `lwf export evidence --as USERNAME` does that through `investigator_actor`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from lestweforget.atlas.evidence_records import open_ledger

from .permissions import ADMIN, INVESTIGATOR, ledger_actor, roles_of

DOWNLOADED = "evidence.downloaded"


class EvidenceAccessError(PermissionError):
    """Evidence asked for by or for someone not entitled to it; the message names the account and why."""


def record_download(user: AbstractBaseUser | AnonymousUser, object: str, what: str, **details: Any) -> None:
    """Append `evidence.downloaded` for ``object`` (`sha256:<hex>` or `site:<slug>`) by ``user``; ``what``: the kind
    of thing taken ("original", "bag")."""
    open_ledger().append(ledger_actor(user), DOWNLOADED, object, {"what": what, **details})


def investigator_actor(username: str) -> str:
    """The ledger actor for an export made for ``username``, an active investigator or admin; raises
    EvidenceAccessError naming the account otherwise."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise EvidenceAccessError(f"--as {username!r}: there is no account with that username")
    if not user.is_active:
        raise EvidenceAccessError(f"--as {username}: the account is deactivated")
    held = roles_of(user)
    if not held & {INVESTIGATOR, ADMIN}:
        roles = ", ".join(sorted(held)) or "no role"
        raise EvidenceAccessError(
            f"--as {username}: evidence exports are for investigators and admins; this account has {roles}"
        )
    return ledger_actor(user)
