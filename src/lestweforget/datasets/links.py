"""Which source URLs are posts on social media (kept as sources to cite, never embedded in a page).

The hosts are the platforms the Russia-Ukraine Monitor's and Bellingcat's rows link to (Twitter/X, Telegram,
TikTok, YouTube, Facebook, Instagram, VK, Reddit and the like)."""

from __future__ import annotations

from urllib.parse import urlsplit

SOCIAL_MEDIA_HOSTS = frozenset(
    {
        "twitter.com",
        "x.com",
        "t.me",
        "telegram.me",
        "tiktok.com",
        "youtube.com",
        "youtu.be",
        "facebook.com",
        "fb.watch",
        "instagram.com",
        "vk.com",
        "ok.ru",
        "reddit.com",
        "threads.net",
        "bsky.app",
        "mastodon.social",
        "liveleak.com",
        "rumble.com",
    }
)


def web_url(text: str) -> str | None:
    """``text`` stripped if it is an http(s) URL with a host, else None."""
    value = text.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        return None
    return value


def is_social_media(url: str) -> bool:
    """Whether ``url`` is a post on one of `SOCIAL_MEDIA_HOSTS` (any subdomain: mobile.twitter.com, m.vk.com)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == known or host.endswith("." + known) for known in SOCIAL_MEDIA_HOSTS)
