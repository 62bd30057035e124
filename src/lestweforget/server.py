"""The production server `lwf serve` runs: gunicorn serving the WSGI application, static files through WhiteNoise.

Workers are processes, sized to the machine's cores as gunicorn's documentation advises (2 × cores + 1), each with
8 threads (under 200 readers on 2 cores, 12 threads served twice what 4 did; each thread may hold a database
connection, so workers × threads must stay under PostgreSQL's max_connections), so one slow request (an export, a
field guide) never holds up the rest; a request that runs past the
timeout is ended and its worker replaced. Every request is written to the access log.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.http import message

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# The longest request line (method, address, protocol) gunicorn reads, in bytes. Its default (4094) and its ceiling
# (8190) answer a long address with its own English "414 URI Too Long" page before the atlas sees it; at 64 KiB a
# search of 10 000 characters (Cyrillic ones too, 6 bytes each percent-encoded) reaches the atlas, which refuses
# it with a reason: JSON for the API, a page in the reader's language otherwise. Longer lines still get 414,
# and each connection still holds at most this much.
REQUEST_LINE_LIMIT = 65_536


def default_workers(cores: int | None = None) -> int:
    """2 × cores + 1 worker processes (gunicorn's rule of thumb), for the cores this process may use."""
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 2 * max(1, cores) + 1


@dataclass(frozen=True)
class ServerOptions:
    """Where and how to serve. `access_log` is a path, "-" for standard output, or "" for none."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 0  # 0: default_workers()
    threads: int = 8
    timeout_s: int = 30
    access_log: str = "-"

    def gunicorn_settings(self) -> dict[str, Any]:
        """The options as gunicorn's settings (https://docs.gunicorn.org/en/stable/settings.html)."""
        host = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") else self.host
        return {
            "bind": [f"{host}:{self.port}"],
            "workers": self.workers or default_workers(),
            "worker_class": "gthread",
            "threads": self.threads,
            "timeout": self.timeout_s,
            "graceful_timeout": self.timeout_s,
            "keepalive": 5,
            "accesslog": self.access_log or None,
            "access_log_format": ACCESS_LOG_FORMAT,
            "errorlog": "-",
            "limit_request_line": REQUEST_LINE_LIMIT,
            "proc_name": "lestweforget",
            # Recent gunicorn opens a control socket in the user's home; two servers on one machine would share it.
            "control_socket_disable": True,
        }


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Mapping[str, Any]) -> None:
        self._settings = settings
        super().__init__()

    def load_config(self) -> None:
        # gunicorn caps limit_request_line at this module constant (8190) whatever the setting says; it has no
        # option to lift the cap, so the constant is raised to the limit asked for (never lowered).
        limit = int(self._settings.get("limit_request_line", 0))
        message.MAX_REQUEST_LINE = max(message.MAX_REQUEST_LINE, limit)
        for name, value in self._settings.items():
            # Settings a gunicorn release does not know yet (control_socket_disable) are left out.
            if name in self.cfg.settings:
                self.cfg.set(name, value)

    def load(self) -> Any:
        from lestweforget.wsgi import application

        return application


def serve(options: ServerOptions) -> None:
    """Run gunicorn in the foreground until it is stopped (Ctrl-C, SIGTERM); returns when it has shut down."""
    _Server(options.gunicorn_settings()).run()
