"""`lwf serve` runs gunicorn with workers sized to the cores, serves pages and static files, and logs each request."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lestweforget.server import ServerOptions, default_workers

LWF = Path(sys.executable).with_name("lwf")


def test_workers_follow_the_cores_and_the_options_reach_gunicorn() -> None:
    assert default_workers(1) == 3 and default_workers(2) == 5 and default_workers(8) == 17
    chosen = ServerOptions(host="::1", port=8123, workers=0, threads=6, timeout_s=12, access_log="").gunicorn_settings()
    assert chosen["bind"] == ["[::1]:8123"]
    assert chosen["workers"] == default_workers()
    assert (chosen["worker_class"], chosen["threads"], chosen["timeout"]) == ("gthread", 6, 12)
    assert chosen["accesslog"] is None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, server: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"lwf serve exited with {server.returncode}: {server.stdout.read()}")  # type: ignore[union-attr]
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def serve(env: dict[str, str], port: int, *options: str) -> subprocess.Popen[str]:
    """`lwf serve` on ``port`` in a child process, its log (output and errors) on a pipe."""
    return subprocess.Popen(
        [str(LWF), "serve", "--port", str(port), *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.slow
def test_lwf_serve_answers_with_gunicorn_and_logs_each_request(tmp_path: Path) -> None:
    env = {**os.environ, "LWF_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    for command in (["migrate"], ["demo"]):
        subprocess.run([str(LWF), *command], env=env, check=True, capture_output=True)
    port = _free_port()
    server = serve(env, port, "--workers", "2", "--threads", "2")
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/", server)
        with urllib.request.urlopen(base + "/sites/izium-mass-burial-site/") as page:
            assert page.status == 200 and page.headers["Server"] == "gunicorn"
            assert "script-src 'self'" in page.headers["Content-Security-Policy"]
            assert "Izium mass burial site" in page.read().decode()
        with urllib.request.urlopen(base + "/static/atlas/atlas.js") as script:
            assert script.status == 200 and b"textContent" in script.read()
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    assert "gunicorn: 2 workers × 2 threads, 30 s timeout" in output
    assert '"GET /sites/izium-mass-burial-site/ HTTP/1.1" 200' in output


@pytest.mark.parametrize(("option", "message"), [("--port=0", "0 is less than 1"), ("--port=70000", "more than 65535")])
def test_a_bad_port_is_refused_with_its_reason(option: str, message: str, tmp_path: Path) -> None:
    env = {**os.environ, "LWF_DATA_DIR": str(tmp_path)}
    result = subprocess.run([str(LWF), "serve", option], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and message in result.stderr
