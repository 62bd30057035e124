"""WSGI entry point for any WSGI server."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from lestweforget.config import prepare_data_dir

# The data directory and its secret key, before the settings read the key (they create nothing themselves).
prepare_data_dir()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lestweforget.settings")
application = get_wsgi_application()
