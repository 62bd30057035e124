"""The LWF_* environment variables: one reader for every one of them, and the data directory they point at.

Every variable the atlas reads is in `SETTINGS`, with its kind, its default and what it needs. `read` returns
its value or raises `SettingError` with one line naming the variable, the value given and what it needs
(`lwf` prints that line and exits with 2; a WSGI server refuses to start with it). Whole numbers are written in
digits only, a sign or a fraction refused where they would be misread; numbers refuse nan and infinity; flags
take 1/true/yes/on or 0/false/no/off (anything else was silently "off" before, which hid a typo'd
`LWF_HTTPS=ture`); links take absolute http(s) only, never `javascript:`.

Nothing here creates a file: `prepare_data_dir` does, and only the commands that write call it (`lwf migrate`,
`lwf serve`, `lwf manage`) and the WSGI entry point. Read-only commands on a data directory that does not exist
say so instead of leaving an empty one behind.
"""

from __future__ import annotations

import math
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})
_WHOLE = re.compile(r"\+?\d+")


class SettingError(ImproperlyConfigured):
    """An LWF_* variable holding a value it cannot take; the message names the variable, the value and what
    it needs, on one line."""


@dataclass(frozen=True)
class Setting:
    """One environment variable: its `kind` ("whole", "number", "flag", "link", "email", "text", "path"), its default,
    the smallest value a number may take, and what it is for."""

    name: str
    kind: str
    default: object
    minimum: float | None = None
    purpose: str = ""

    def needs(self) -> str:
        """What the variable needs, as the refusal says it."""
        if self.kind in ("whole", "number"):
            what = "a whole number" if self.kind == "whole" else "a number"
            return f"{what} of {self.minimum:g} or more ({self.purpose})"
        if self.kind == "flag":
            return f"1, true, yes or on, or 0, false, no or off ({self.purpose})"
        if self.kind == "link":
            return f"an absolute http:// or https:// link with no spaces ({self.purpose})"
        if self.kind == "email":
            return f"one e-mail address such as editors@example.org ({self.purpose})"
        return self.purpose


SETTINGS: Mapping[str, Setting] = {
    setting.name: setting
    for setting in (
        Setting("LWF_DATA_DIR", "path", "var", purpose="the database, evidence store and secret key's folder"),
        Setting("LWF_SECRET_KEY", "text", "", purpose="Django's secret key; default: kept in the data directory"),
        Setting("LWF_DEBUG", "flag", False, purpose="Django's debug mode"),
        Setting("LWF_ALLOWED_HOSTS", "text", "localhost,127.0.0.1,[::1],testserver", purpose="host names, comma"),
        Setting("LWF_HTTPS", "flag", False, purpose="behind an HTTPS reverse proxy"),
        Setting("LWF_HSTS_SECONDS", "whole", 31_536_000, 0, "seconds browsers keep to HTTPS"),
        Setting("LWF_PAGE_CACHE_SECONDS", "whole", 10, 0, "seconds public pages are kept; 0: not at all"),
        Setting("LWF_SUGGESTIONS_PER_HOUR", "whole", 5, 0, "suggestions one address may send in an hour"),
        Setting("LWF_LOGIN_FAILURE_LIMIT", "whole", 5, 1, "wrong passwords before a lockout"),
        Setting("LWF_LOGIN_COOLOFF_MINUTES", "whole", 15, 1, "minutes a lockout lasts"),
        Setting("LWF_INVITE_DAYS", "whole", 3, 1, "days an invitation link works"),
        Setting("LWF_QUARANTINE_KEEP_MB", "number", 100.0, 0, "megabytes of an unreadable file kept; 0: none"),
        Setting("LWF_MAX_PHOTO_MB", "number", 256.0, 0.000001, "megabytes above which a file is not read whole"),
        Setting("LWF_EMAIL_URL", "text", "", purpose="smtp[+tls|+ssl]://user:password@host:port or console://"),
        Setting("LWF_EMAIL_FROM", "text", "", purpose="the sender of invitations and password resets"),
        Setting("LWF_SUPPORT_URL", "link", "", purpose="the publisher's support link in the footer"),
        Setting("LWF_SUPPORT_TEXT", "text", "", purpose="the words of the support link"),
        Setting("LWF_CONTACT_EMAIL", "email", "", purpose="the editors' address, shown where a page says to ask"),
        Setting("LWF_BASE_URL", "link", "http://127.0.0.1:8000", purpose="the atlas's address, for links it sends"),
    )
}


def _refused(setting: Setting, given: str) -> SettingError:
    return SettingError(f"{setting.name}={given!r}: needs {setting.needs()}")


def read(name: str, environ: Mapping[str, str] | None = None) -> object:
    """The value of LWF_* variable `name` (a key of `SETTINGS`) from `environ` (default: the process's), its
    default when unset or empty. Shapes: int for "whole", float for "number", bool for "flag", str otherwise.
    Raises SettingError, naming the variable and what it needs, for a value it cannot take."""
    setting = SETTINGS[name]
    given = (os.environ if environ is None else environ).get(name, "")
    text = given.strip()
    if setting.kind == "flag":
        if text.lower() not in _TRUE | _FALSE:
            raise _refused(setting, given)
        return text.lower() in _TRUE
    if not text:
        return setting.default
    if setting.kind in ("whole", "number"):
        try:
            value: float = int(text) if setting.kind == "whole" and _WHOLE.fullmatch(text) else float(text)
        except ValueError:
            raise _refused(setting, given) from None
        whole_wanted = setting.kind == "whole" and not isinstance(value, int)
        if whole_wanted or not math.isfinite(value) or value < (setting.minimum or 0):
            raise _refused(setting, given)
        return value
    if setting.kind == "link":
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
            raise _refused(setting, given)
        return text
    if setting.kind == "email":
        local, _, domain = text.partition("@")
        if not local or "." not in domain or "@" in domain or any(c.isspace() or c in "<>\"'?&,;" for c in text):
            raise _refused(setting, given)
        return text
    if setting.kind == "path":
        return Path(text).resolve()
    return text


def check_all(environ: Mapping[str, str] | None = None) -> None:
    """Read every variable of `SETTINGS` (even those only used in some setups, such as LWF_HSTS_SECONDS without
    LWF_HTTPS), so that the first bad one is refused before anything else happens."""
    for name in SETTINGS:
        read(name, environ)


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data directory LWF_DATA_DIR names (default ./var), as an absolute path; nothing is created."""
    value = read("LWF_DATA_DIR", environ)
    return value if isinstance(value, Path) else Path(str(value)).resolve()


def prepare_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Create the data directory, its static-files folder and its secret key file when missing (the key
    created exclusively and private, so two processes starting together cannot write two different keys).
    For the commands that write and the WSGI entry point only."""
    folder = data_dir(environ)
    (folder / "static").mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return folder
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return folder
