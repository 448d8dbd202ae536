"""A cache of the public blog pages: a read costs one or two cache round trips, not a render.

One version stamp covers the whole blog: any write that changes what the public sees (a post
saved or published, a comment approved or answered) bumps it, and the pages cached under the
older version are never read again (they expire). Per-request values stay out of the cache: the
CSP nonce and the CSRF token are stored as placeholders and filled in for each request. Visitors
with a session or pending messages (the coach, someone who just commented) get a fresh render.
"""

import hashlib
import re
import time
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

VERSION_KEY = "blog:version"
TTL = 60 * 60 * 24
NONCE = "__blog_nonce__"
CSRF = "__blog_csrf__"
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')


def bump() -> None:
    """Start a new version now, and again at commit (a read in between may re-cache old rows)."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(VERSION_KEY, f"{time.time():.6f}", None)


def version(request) -> str:
    """The blog's version stamp, read once per request."""
    if not hasattr(request, "_blog_version"):
        stamp = cache.get(VERSION_KEY)
        if stamp is None:
            stamp = f"{time.time():.6f}"
            cache.add(VERSION_KEY, stamp, None)
        request._blog_version = stamp
    return request._blog_version


def last_modified(request, *args, **kwargs) -> datetime:
    """Nothing on a blog page changes without a new version, so the stamp is its date."""
    return datetime.fromtimestamp(float(version(request)), tz=UTC)


def etag(request, *args, **kwargs) -> str:
    # The CSRF cookie is part of it: a page the browser kept must carry a token that still works.
    parts = [version(request), request.get_full_path(), _zone(request)]
    parts.append(request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""))
    return hashlib.blake2b("|".join(parts).encode(), digest_size=12).hexdigest()


def _zone(request) -> str:
    zone = getattr(request, "visitor_zone", None)
    return zone.key if zone else ""


def _cacheable(request) -> bool:
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


def cached_page(view):
    """Serve a public GET view from the cache to visitors without a session."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = f"blog:page:{version(request)}:{_zone(request)}:{request.get_full_path()}"
        stored = cache.get(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            stored = _stored(request, response)
            cache.set(key, stored, TTL)
        return _serve(request, stored)

    return wrapper


def _stored(request, response) -> dict:
    body = response.content.decode()
    body = body.replace(str(request.csp_nonce), NONCE)
    body = _CSRF_INPUT.sub(rf"\g<1>{CSRF}\g<3>", body)
    return {"body": body, "type": response["Content-Type"]}


def _serve(request, stored: dict) -> HttpResponse:
    body = stored["body"].replace(NONCE, str(request.csp_nonce))
    if CSRF in body:
        body = body.replace(CSRF, get_token(request))
    return HttpResponse(body, content_type=stored["type"])
