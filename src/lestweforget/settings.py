"""Django settings, read from the environment so one codebase runs embedded (SQLite) or at scale (PostgreSQL).

LWF_DATA_DIR   where the database, the evidence store and the secret key live (default ./var)
DATABASE_URL   any URL dj-database-url reads (default: SQLite file in the data dir, WAL mode)
LWF_SECRET_KEY the secret key (default: generated once and kept in the data dir)
LWF_DEBUG      "1"/"true" for Django's debug mode (default off)
"""

from __future__ import annotations

import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("LWF_DATA_DIR") or "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("LWF_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Created exclusively and private, so two processes starting together cannot write two different keys.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _truthy(os.environ.get("LWF_DEBUG"))
ALLOWED_HOSTS = [h for h in os.environ.get("LWF_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Listed so the API docs load Swagger UI from the package's own static files, not from a CDN.
    "ninja",
    "lestweforget.atlas",
    "lestweforget.photos",
    "lestweforget.intake",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lestweforget.atlas.record_ledger.LedgerActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lestweforget.urls"
WSGI_APPLICATION = "lestweforget.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_database = f"sqlite:///{DATA_DIR / 'atlas.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_database, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while the importer writes; IMMEDIATE avoids upgrade deadlocks between writers.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
STATIC_ROOT.mkdir(exist_ok=True)
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
QUARANTINE_KEEP_MB = os.environ.get("LWF_QUARANTINE_KEEP_MB", "100")
MAX_PHOTO_MB = os.environ.get("LWF_MAX_PHOTO_MB", "256")

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
SECURE_REFERRER_POLICY = "same-origin"
