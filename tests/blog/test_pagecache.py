import re

import pytest
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template import engines
from django.test import RequestFactory

from content.blog import pagecache

pytestmark = pytest.mark.django_db

TEMPLATE = engines["django"].from_string(
    '<form>{% csrf_token %}</form><script nonce="{{ request.csp_nonce }}"></script>{{ n }}'
)


class Nonce:
    def __init__(self, value):
        self.value = value

    def __str__(self):
        return self.value


def request(factory, nonce, **cookies):
    req = factory.get("/blog/x/")
    req.COOKIES.update(cookies)
    req.csp_nonce = Nonce(nonce)
    req.visitor_zone = None
    return req


def test_each_visitor_gets_their_own_token_and_nonce_from_one_render():
    renders = []

    @pagecache.cached_page
    def view(req):
        renders.append(1)
        return HttpResponse(TEMPLATE.render({"n": len(renders)}, req))

    factory = RequestFactory()
    pages = []
    for nonce in ("nonce-one", "nonce-two"):
        req = request(factory, nonce)
        CsrfViewMiddleware(lambda r: None).process_request(req)
        pages.append(view(req).content.decode())
    assert len(renders) == 1
    tokens = [re.search(r'value="([^"]+)"', page).group(1) for page in pages]
    assert tokens[0] != tokens[1] and "__blog" not in "".join(pages)
    assert 'nonce="nonce-one"' in pages[0] and 'nonce="nonce-two"' in pages[1]


def test_a_bump_makes_the_next_read_render_again():
    renders = []

    @pagecache.cached_page
    def view(req):
        renders.append(1)
        return HttpResponse(f"render {len(renders)}")

    factory = RequestFactory()
    assert view(request(factory, "a")).content == b"render 1"
    assert view(request(factory, "b")).content == b"render 1"
    pagecache.bump()
    assert view(request(factory, "c")).content == b"render 2"


def test_visitors_with_a_session_are_never_served_from_the_cache():
    renders = []

    @pagecache.cached_page
    def view(req):
        renders.append(1)
        return HttpResponse("page")

    factory = RequestFactory()
    for _ in range(2):
        view(request(factory, "a", sessionid="s"))
        view(request(factory, "a", messages="m"))
    assert len(renders) == 4
