"""Django settings, read from the environment so one codebase runs embedded (SQLite) or at scale (PostgreSQL).

LWF_DATA_DIR   where the database, the evidence store and the secret key live (default ./var)
DATABASE_URL   any URL dj-database-url reads (default: SQLite file in the data dir, WAL mode)
LWF_SECRET_KEY the secret key (default: generated once and kept in the data dir)
LWF_DEBUG      "1"/"true" for Django's debug mode (default off)
LWF_HTTPS      "1" behind an HTTPS reverse proxy: HSTS, redirect to https, Secure cookies, the proxy's headers trusted
LWF_SUPPORT_URL, LWF_SUPPORT_TEXT  the publisher's support (donation) link and its words, shown in the footer
LWF_CONTACT_EMAIL  the editors' address, shown wherever a page says to ask or write to them
LWF_EMAIL_URL  how e-mail (invitations, password resets) is sent: smtp[+tls|+ssl]://user:pass@host:port (default:
               printed to the console); LWF_EMAIL_FROM its sender; LWF_INVITE_DAYS how long invitation links work

Every LWF_* variable is read by `lestweforget.config.read` (the list, kinds and defaults are in config.SETTINGS): a
bad value stops the start with one line naming it. Importing these settings creates no file or folder.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lestweforget.config import data_dir
from lestweforget.config import read as _read

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()


def _secret_key() -> str:
    if key := str(_read("LWF_SECRET_KEY")):
        return key
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    # No data directory yet (`lwf migrate` and the WSGI entry point create it and the key first, see
    # config.prepare_data_dir): a read-only command only needs some key, and keeps none.
    return secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()
DEBUG = bool(_read("LWF_DEBUG"))
ALLOWED_HOSTS = [h for h in str(_read("LWF_ALLOWED_HOSTS")).split(",") if h]

INSTALLED_APPS = [
    # Django's admin on the editorial site: only editors, investigators and admins with a verified second factor.
    "lestweforget.editorial.apps.EditorialAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Login rate limit: failed sign-ins are counted per account and per address, and lock both for a while.
    "axes",
    # Two-factor sign-in (TOTP) for editors, investigators and admins: see editorial/permissions.py.
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Listed so the API docs load Swagger UI from the package's own static files, not from a CDN.
    "ninja",
    "lestweforget.atlas",
    "lestweforget.photos",
    "lestweforget.intake",
    "lestweforget.editorial",
    "lestweforget.register",
]

MIDDLEWARE = [
    # Outermost: HEAD runs every view as GET and loses the body (django-ninja's routes name GET only).
    "lestweforget.atlas.head_requests.HeadAsGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files get the Content-Security-Policy too: every response carries it.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Gives request.user is_verified(): whether this session signed in with a second factor.
    "django_otp.middleware.OTPMiddleware",
    "lestweforget.atlas.record_ledger.LedgerActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Innermost, so a kept page still passes every other middleware (security headers, CSP, CSRF cookie).
    "lestweforget.atlas.page_cache.PublicPageCacheMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "lestweforget.urls"
WSGI_APPLICATION = "lestweforget.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The admin's header with what waits for review (it must come before django.contrib.admin's own).
        "DIRS": [Path(__file__).resolve().parent / "editorial" / "admin_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lestweforget.atlas.publisher.publisher",
                "lestweforget.atlas.languages.languages",
            ],
        },
    },
]

_default_database = f"sqlite:///{DATA_DIR / 'atlas.sqlite3'}"
# Each server thread keeps its connection for a minute rather than opening one per request.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_database, conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets hundreds of readers go on while one writer writes; IMMEDIATE takes the write lock when a
        # transaction begins, so two writers queue instead of deadlocking on an upgrade; a writer waits up to
        # `timeout` seconds for the lock (SQLite's busy timeout) rather than failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Anonymous readers' public pages are kept this many seconds (0: not at all); see atlas/page_cache.py. Files under
# the data directory, so every server process shares them.
PAGE_CACHE_SECONDS = int(_read("LWF_PAGE_CACHE_SECONDS"))  # type: ignore[call-overload]
# Public suggestions (editorial app): how many one address may send in an hour, counted in the default cache.
LWF_SUGGESTIONS_PER_HOUR = _read("LWF_SUGGESTIONS_PER_HOUR")

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Counts that every server process must share (the public suggestion form's allowance per address): in files,
    # not in one process's memory, since `lwf serve` runs several workers.
    "limits": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "limits"),
        "TIMEOUT": 3660,
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "pages"),
        "TIMEOUT": PAGE_CACHE_SECONDS or 1,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("uk", _("Ukrainian"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
EVIDENCE_DIR = DATA_DIR / "evidence"
# How much of a file that cannot be imported is kept in the evidence quarantine: its first N megabytes (0: none,
# only its hash, size and name). Files larger than LWF_MAX_PHOTO_MB are never read whole into memory: they are
# hashed by streaming and quarantined under the same cap. Both are checked (and refused clearly) by the import.
QUARANTINE_KEEP_MB = _read("LWF_QUARANTINE_KEEP_MB")
MAX_PHOTO_MB = _read("LWF_MAX_PHOTO_MB")

# Leaflet comes from django-leaflet's bundled copy. Its static folder is served directly rather than adding the app:
# the app's admin module pulls in GeoDjango, which needs the GDAL system library this project does not use.
_leaflet_spec = importlib.util.find_spec("leaflet")
if _leaflet_spec is None or _leaflet_spec.origin is None:
    raise ImportError(
        "django-leaflet is not installed; it provides the Leaflet map assets (pip install django-leaflet)"
    )
STATICFILES_DIRS = [Path(_leaflet_spec.origin).parent / "static"]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Links out (sources, map apps) tell the other site nothing about which record the reader was on.
SECURE_REFERRER_POLICY = "same-origin"

# Behind an HTTPS reverse proxy (nginx, Caddy): see README, "Deploying".
HTTPS = bool(_read("LWF_HTTPS"))
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = _read("LWF_HSTS_SECONDS")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host not in ("testserver",)]

# The map tiles come from here; the Content-Security-Policy lets images load from nowhere else outside the site.
MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
MAP_TILE_ORIGIN = "https://tile.openstreetmap.org"

# django-csp, since Django 5.2 has no Content-Security-Policy of its own (it comes in 6.0). No inline script or
# style anywhere: pages name what their scripts draw in data attributes and JSON blocks.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", MAP_TILE_ORIGIN],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# django-axes: this many wrong passwords for one account, or from one address, lock both out for the cool-off.
AXES_FAILURE_LIMIT = _read("LWF_LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=int(_read("LWF_LOGIN_COOLOFF_MINUTES")))  # type: ignore[call-overload]
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lestweforget.atlas.views.login_locked"
if HTTPS:
    # The proxy sets X-Real-IP to the client's address (README, "Deploying"); REMOTE_ADDR is the proxy itself.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_REAL_IP", "REMOTE_ADDR")

# Accounts: sign-in, the second factor, invitations and password resets (lestweforget.editorial).
LOGIN_URL = "editorial:login"
LOGIN_REDIRECT_URL = "atlas"
OTP_TOTP_ISSUER = "Lest We Forget"
# An invitation link, like a password-reset link, works for this many seconds and only until a password is set.
PASSWORD_RESET_TIMEOUT = int(_read("LWF_INVITE_DAYS")) * 86_400  # type: ignore[call-overload]


def _email_settings(url: str) -> dict[str, object]:
    """Django's e-mail settings from LWF_EMAIL_URL: smtp://user:pass@host:port (plain, or upgraded with STARTTLS
    by smtp+tls://, or TLS from the start by smtp+ssl://); console:// prints messages; empty: console."""
    from urllib.parse import unquote

    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtp+tls", "smtp+ssl", "smtps") or not parts.hostname:
        raise ImproperlyConfigured(
            f"LWF_EMAIL_URL {parts.scheme}://…: use smtp://, smtp+tls:// or smtp+ssl://user:password@host:port"
        )
    ssl = parts.scheme in ("smtp+ssl", "smtps")
    try:
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"LWF_EMAIL_URL: {error}") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if ssl else 587 if parts.scheme == "smtp+tls" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_USE_SSL": ssl,
        "EMAIL_TIMEOUT": 20,
    }


_email = _email_settings(str(_read("LWF_EMAIL_URL")))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
if "EMAIL_HOST" in _email:
    EMAIL_HOST, EMAIL_PORT, EMAIL_TIMEOUT = _email["EMAIL_HOST"], _email["EMAIL_PORT"], _email["EMAIL_TIMEOUT"]
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_USER"], _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS, EMAIL_USE_SSL = _email["EMAIL_USE_TLS"], _email["EMAIL_USE_SSL"]
DEFAULT_FROM_EMAIL = str(_read("LWF_EMAIL_FROM")) or "Lest We Forget <noreply@localhost>"

# The publisher's own line: a support (donation) link in the footer, shown only when set.
SUPPORT_URL = str(_read("LWF_SUPPORT_URL"))
SUPPORT_TEXT = str(_read("LWF_SUPPORT_TEXT"))
# The atlas's own address, for links the commands send (`lwf invite`, ...).
BASE_URL = str(_read("LWF_BASE_URL"))
# The editors' address: the about page's corrections and a generalised site's "ask the editors" show it.
CONTACT_EMAIL = str(_read("LWF_CONTACT_EMAIL"))
