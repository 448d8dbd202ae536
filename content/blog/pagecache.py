"""A cache of the public blog pages: most reads cost no query and no cache round trip.

One version stamp, in the shared cache (Redis), covers the whole blog: any write that changes
what the public sees (a post saved or published, a comment approved or answered) bumps it. Each
process keeps its most-read pages in memory under the stamp they were rendered for, and trusts
the stamp it last read for VERSION_TTL: another process's change shows within that second, the
process that made it sees it at once. Pages live only in memory, so a deploy (new processes)
never serves pages rendered by old templates. A page is the same for every visitor without a
session, except for the CSRF token of its forms, which is filled in per request. Visitors with a
session or pending messages (the coach, someone who just commented) always get a fresh render.
"""

import hashlib
import re
import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

VERSION_KEY = "blog:version"
VERSION_TTL = 1.0  # seconds a process trusts the stamp it last read
LOCAL_PAGES = 256
CSRF = "__blog_csrf__"
CSRF_BYTES = CSRF.encode()
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')


class _Local:
    """This process's copy of the stamp and of its most-read pages."""

    def __init__(self):
        self.stamp, self.read_at, self.pages = None, 0.0, OrderedDict()


_local = _Local()
_lock = threading.Lock()


def clear() -> None:
    """Forget this process's stamp and pages, for when the shared cache was flushed or replaced:
    a stamp read from the old one could name pages that the new one never saw written."""
    with _lock:
        _local.stamp, _local.read_at = None, 0.0
        _local.pages.clear()


def bump() -> None:
    """Start a new version now, and again at commit (a read in between may re-cache old rows)."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    stamp = f"{time.time():.6f}"
    cache.set(VERSION_KEY, stamp, None)
    _local.stamp, _local.read_at = stamp, time.monotonic()


def _current_version() -> str:
    if _local.stamp is None or time.monotonic() - _local.read_at > VERSION_TTL:
        stamp = cache.get(VERSION_KEY)
        if stamp is None:
            stamp = f"{time.time():.6f}"
            cache.add(VERSION_KEY, stamp, None)
        _local.stamp, _local.read_at = stamp, time.monotonic()
    return _local.stamp


def version(request) -> str:
    """The blog's version stamp, the same for the whole request."""
    if not hasattr(request, "_blog_version"):
        request._blog_version = _current_version()
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


def cacheable(request) -> bool:
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
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key = f"blog:page:{version(request)}:{_zone(request)}:{request.get_full_path()}"
        stored = _local.pages.get(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            # A page that used this request's CSP nonce is this request's alone.
            if response.status_code != 200 or response.streaming or request.csp_nonce:
                return response
            stored = _stored(response)
            _remember(key, stored)
        return _serve(request, stored)

    return wrapper


def _remember(key: str, stored: dict) -> None:
    pages = _local.pages
    with _lock:  # threaded servers (runserver, the test live server) share the dict
        pages[key] = stored
        while len(pages) > LOCAL_PAGES:
            pages.popitem(last=False)


def _stored(response) -> dict:
    # The CSRF token is the one part of a page that cannot be shared: it must match the visitor's
    # own CSRF cookie, so it is stored as a placeholder and each visitor gets theirs at serving.
    body = _CSRF_INPUT.sub(rf"\g<1>{CSRF}\g<3>", response.content.decode())
    # Bytes, so serving a page is one replace, without encoding it again.
    return {"body": body.encode(), "type": response["Content-Type"], "csrf": CSRF in body}


def _serve(request, stored: dict) -> HttpResponse:
    body = stored["body"]
    if stored["csrf"]:
        body = body.replace(CSRF_BYTES, get_token(request).encode())
    return HttpResponse(body, content_type=stored["type"])
