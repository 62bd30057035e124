"""Every response carries the Content-Security-Policy and a Referrer-Policy; LWF_HTTPS=1 turns on HSTS, the https
redirect and Secure cookies."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.test import Client

SITE = "izium-mass-burial-site"
EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: https://tile.openstreetmap.org",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _policy(header: str) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in directives}


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/uk/",
        f"/sites/{SITE}/",
        "/about/",
        "/uk/about/",
        "/api/sites",
        "/api/docs",
        "/api/openapi.json",
        f"/sites/{SITE}/export.kml",
        "/accounts/sign-in/",
        "/uk/accounts/password-reset/",
        "/sites/no-such-site/",
        "/static/atlas/atlas.js",
    ],
)
def test_every_response_carries_the_policy_and_a_referrer_policy(demo: object, settings: object, url: str) -> None:
    settings.WHITENOISE_USE_FINDERS = True  # type: ignore[attr-defined]
    response = Client().get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    policy = _policy(response["Content-Security-Policy"])
    for directive, value in EXPECTED_CSP.items():
        assert policy.get(directive) == value, (url, directive, policy.get(directive))
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_page_carries_an_inline_script_or_style(demo: object) -> None:
    client = Client()
    for url in ("/", "/uk/", f"/sites/{SITE}/", "/about/", "/api/docs", "/accounts/sign-in/", "/sites/nowhere/"):
        html = client.get(url).content.decode()
        scripts = html.split("<script")[1:]
        for script in scripts:
            opening = script.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening, (url, opening)
        assert " style=" not in html and "<style" not in html, url
        assert " onclick=" not in html and " onload=" not in html, url


def _settings_under(environment: dict[str, str]) -> dict[str, object]:
    code = (
        "import json, lestweforget.settings as s; print(json.dumps({k: getattr(s, k, None) for k in ("
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_PROXY_SSL_HEADER', 'SECURE_REFERRER_POLICY', 'CSRF_TRUSTED_ORIGINS')}))"
    )
    env = {**os.environ, **environment}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_https_settings_are_off_by_default_and_on_with_lwf_https(tmp_path: object) -> None:
    plain = _settings_under({"LWF_HTTPS": "", "LWF_DATA_DIR": str(tmp_path)})
    assert not plain["SECURE_SSL_REDIRECT"] and not plain["SESSION_COOKIE_SECURE"] and not plain["SECURE_HSTS_SECONDS"]
    assert plain["SECURE_REFERRER_POLICY"] == "same-origin"
    secure = _settings_under(
        {"LWF_HTTPS": "1", "LWF_DATA_DIR": str(tmp_path), "LWF_ALLOWED_HOSTS": "atlas.example.org"}
    )
    assert secure["SECURE_SSL_REDIRECT"] is True
    assert secure["SECURE_HSTS_SECONDS"] == 31_536_000
    assert secure["SESSION_COOKIE_SECURE"] is True and secure["CSRF_COOKIE_SECURE"] is True
    assert secure["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert secure["CSRF_TRUSTED_ORIGINS"] == ["https://atlas.example.org"]


def test_behind_the_proxy_http_is_redirected_and_https_gets_hsts(demo: object, settings: object) -> None:
    settings.SECURE_SSL_REDIRECT = True  # type: ignore[attr-defined]
    settings.SECURE_HSTS_SECONDS = 31_536_000  # type: ignore[attr-defined]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # type: ignore[attr-defined]
    client = Client()
    plain = client.get(f"/sites/{SITE}/")
    assert plain.status_code == 301 and plain["Location"] == f"https://testserver/sites/{SITE}/"
    secure = client.get(f"/sites/{SITE}/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000"


def test_a_support_link_that_is_not_http_is_refused_at_start(tmp_path: object) -> None:
    env = {**os.environ, "LWF_DATA_DIR": str(tmp_path), "LWF_SUPPORT_URL": "javascript:alert(1)"}
    result = subprocess.run(
        [sys.executable, "-c", "import lestweforget.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "LWF_SUPPORT_URL='javascript:alert(1)': needs an absolute http:// or https:// link" in result.stderr
