"""An address far longer than any the atlas makes (a search of 10 000 characters) reaches the atlas through the real
server, `lwf serve` (gunicorn), and is refused with its reason: JSON for the API, a page in the reader's language
for the pages; an address longer than the server reads at all gets 414, never a 500."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from test_lwf_serve import LWF, _free_port, _wait_for, serve

from lestweforget.server import REQUEST_LINE_LIMIT, ServerOptions

LONG = "a" * 10_000
LONG_CYRILLIC = urllib.parse.quote("я" * 10_000)


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def test_the_server_reads_request_lines_longer_than_gunicorns_default() -> None:
    assert ServerOptions().gunicorn_settings()["limit_request_line"] == REQUEST_LINE_LIMIT
    assert len("GET /api/sites?q= HTTP/1.1") + len(LONG_CYRILLIC) < REQUEST_LINE_LIMIT


@pytest.mark.slow
def test_a_ten_thousand_character_search_is_refused_with_its_reason(tmp_path: Path) -> None:
    env = {**os.environ, "LWF_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    subprocess.run([str(LWF), "migrate"], env=env, check=True, capture_output=True)
    port = _free_port()
    server = serve(env, port, "--workers", "1", "--threads", "2", "--access-log", "")
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/", server)
        for query in (LONG, LONG_CYRILLIC):
            status, kind, body = _get(f"{base}/api/sites?q={query}")
            assert (status, kind.split(";")[0]) == (400, "application/json")
            assert json.loads(body)["detail"] == "q: at most 200 characters"
            status, kind, body = _get(f"{base}/uk/export/atlas.csv?q={query}")
            assert (status, kind.split(";")[0]) == (400, "text/html")
            assert '<html lang="uk">' in body and "«q» в адресі: щонайбільше 200 символів" in body
            status, _kind, body = _get(f"{base}/export/atlas.csv?q={query}")
            assert status == 400 and "«q» in the address: at most 200 characters" in body
            # The atlas page opens; its script leaves the search out and says so (tests/browser).
            assert _get(f"{base}/uk/?q={query}")[0] == 200
        # Longer than the server reads: refused before the atlas, with 414, and the server goes on.
        status, _kind, _body = _get(f"{base}/?q={'a' * (REQUEST_LINE_LIMIT + 10)}")
        assert status == 414
        assert _get(base + "/uk/")[0] == 200
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert "Traceback" not in output, output
