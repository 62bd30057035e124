"""Keeping the public suggestion form usable and not a spam channel, without keeping anyone's address.

A sender is known only by `address_key`: an HMAC of their address under the installation's secret key, so that
floods from one address can be counted and seen in the queue while the address itself is stored nowhere. At most
settings.LWF_SUGGESTIONS_PER_HOUR (default 5) suggestions per address per hour are taken, counted in the "limits"
cache (files under the data directory, shared by every server process, each count taken under a file lock); the
form also carries a honeypot field that people never see and scripts fill in.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import time
from pathlib import Path

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

HONEYPOT_FIELD = "website"
_WINDOW_SECONDS = 3600


def per_hour() -> int:
    """How many suggestions one address may send in an hour (settings.LWF_SUGGESTIONS_PER_HOUR)."""
    return int(getattr(settings, "LWF_SUGGESTIONS_PER_HOUR", 5))


def address_key(request: HttpRequest) -> str:
    """A keyed hash of the request's address, never the address. The address is found as django-axes finds it
    for sign-ins (behind the HTTPS proxy: its X-Real-IP; see settings), so both limits count the same senders."""
    address = get_client_ip_address(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), f"suggestion:{address}".encode(), hashlib.sha256).hexdigest()


def take_one(key: str) -> bool:
    """Count one suggestion from ``key`` in the current hour; False when the hour's allowance is used up."""
    bucket = f"lwf-suggest:{key}:{int(time.time()) // _WINDOW_SECONDS}"
    cache = caches["limits"]
    lock_path = Path(settings.DATA_DIR) / "cache" / "limits.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    # A file cache's incr is a read then a write: the lock makes it one step across the server's processes.
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        count = int(cache.get(bucket, 0)) + 1
        cache.set(bucket, count, _WINDOW_SECONDS + 60)
    return count <= per_hour()


def retry_after_seconds() -> int:
    """Seconds until the current hour's allowance starts again (for a 429's Retry-After header)."""
    return _WINDOW_SECONDS - int(time.time()) % _WINDOW_SECONDS
