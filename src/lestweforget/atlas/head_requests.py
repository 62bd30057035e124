"""HEAD answered like GET without the body, for every view.

RFC 9110 §9.3.2: a server answers HEAD with the headers GET would send (status, Content-Type, Content-Length)
and no body. Django's function views do that by accident, but django-ninja's routes name only GET, so
`HEAD /api/sites` was 405 while `GET` was 200: link checkers and monitors got "method not allowed" for a page that
exists. This middleware runs the view as GET and drops the body, keeping the length GET would have sent.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


class HeadAsGetMiddleware:
    """Outermost: the request is a GET to every other middleware and view; the response loses its body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if response.streaming:
            # The length of a stream is not known without reading it; the stream is closed unread.
            response.close()
            response.streaming_content = []  # type: ignore[attr-defined]
        else:
            length = len(response.content)  # type: ignore[attr-defined]
            response.content = b""  # type: ignore[attr-defined]
            response["Content-Length"] = str(length)
        return response
