"""Every public page in each language: the address of the same page in each, for the language switch, the
canonical link, the hreflang alternates (with x-default) and a site's citable address.

English pages have no prefix and Ukrainian ones `/uk/` (`i18n_patterns(prefix_default_language=False)`), so the
same page in another language is the same path with the prefix taken off or put on. That holds for a page that
does not exist too: a reader on a Ukrainian "not found" page can still switch to English.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_from_path, get_language_info


@dataclass(frozen=True)
class LanguageLink:
    """The current page in one language: its code, its name in that language, its path and absolute URL."""

    code: str
    name_local: str
    path: str
    url: str
    current: bool


def page_path(path: str, language: str) -> str:
    """``path`` (an English or a prefixed page's path) as the same page's path in ``language``."""
    prefix = get_language_from_path(path)
    bare = path[len(prefix) + 1 :] if prefix and path.startswith(f"/{prefix}/") else path
    if not bare.startswith("/"):
        bare = "/" + bare
    return bare if language == settings.LANGUAGE_CODE else f"/{language}{bare}"


def language_links(request: HttpRequest) -> list[LanguageLink]:
    """The page the request is for, in every language the atlas has, the reader's own marked current."""
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    origin = request.build_absolute_uri("/").rstrip("/")
    links = []
    for code, _name in settings.LANGUAGES:
        path = page_path(request.path, code)
        links.append(LanguageLink(code, get_language_info(code)["name_local"], path, origin + path, code == current))
    return links


def languages(request: HttpRequest) -> dict[str, object]:
    """Template context: `language_links`, `canonical_url` (this page in the reader's language, no query) and
    `default_language_url` (for hreflang="x-default")."""
    links = language_links(request)
    return {
        "language_links": links,
        "canonical_url": next((link.url for link in links if link.current), request.build_absolute_uri(request.path)),
        "default_language_url": next(link.url for link in links if link.code == settings.LANGUAGE_CODE),
    }
