"""The one exception family of the articles library."""

from __future__ import annotations


class ArticleError(ValueError):
    """A saved article that cannot be read as one: empty, not text (a PDF, an image), too large, in a broken
    encoding or in a language the reader does not handle. The message starts with the input's name."""
