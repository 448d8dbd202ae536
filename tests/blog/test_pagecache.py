import re

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template import engines
from django.test import RequestFactory

from content.blog import pagecache

pytestmark = pytest.mark.django_db

FORM = engines["django"].from_string("<form>{% csrf_token %}</form>{{ n }}")
SCRIPT = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}"></script>{{ n }}')


def request(factory, **cookies):
    req = factory.get("/blog/x/")
    req.COOKIES.update(cookies)
    CSPMiddleware(lambda r: None).process_request(req)
    CsrfViewMiddleware(lambda r: None).process_request(req)
    req.visitor_zone = None
    return req


def test_each_visitor_gets_their_own_csrf_token_from_one_render():
    renders = []

    @pagecache.cached_page
    def view(req):
        renders.append(1)
        return HttpResponse(FORM.render({"n": len(renders)}, req))

    factory = RequestFactory()
    pages = [view(request(factory)).content.decode() for _ in range(2)]
    assert len(renders) == 1
    tokens = [re.search(r'value="([^"]+)"', page).group(1) for page in pages]
    assert tokens[0] != tokens[1] and "__blog" not in "".join(pages)


def test_a_page_that_uses_the_csp_nonce_is_rendered_for_each_request():
    renders = []

    @pagecache.cached_page
    def view(req):
        renders.append(1)
        return HttpResponse(SCRIPT.render({"n": len(renders)}, req))

    factory = RequestFactory()
    requests = [request(factory) for _ in range(2)]
    pages = [view(req).content.decode() for req in requests]
    assert len(renders) == 2
    for req, page in zip(requests, pages, strict=True):
        assert f'nonce="{req.csp_nonce}"' in page


@pytest.mark.parametrize("forget", [pagecache.bump, pagecache.clear], ids=["bump", "clear"])
def test_a_bump_or_a_clear_makes_the_next_read_render_again(forget):
    renders = []

    @pagecache.cached_page
    def view(req):
        renders.append(1)
        return HttpResponse(f"render {len(renders)}")

    factory = RequestFactory()
    assert view(request(factory)).content == b"render 1"
    assert view(request(factory)).content == b"render 1"
    forget()
    assert view(request(factory)).content == b"render 2"


def test_visitors_with_a_session_are_never_served_from_the_cache():
    renders = []

    @pagecache.cached_page
    def view(req):
        renders.append(1)
        return HttpResponse("page")

    factory = RequestFactory()
    for _ in range(2):
        view(request(factory, sessionid="s"))
        view(request(factory, messages="m"))
    assert len(renders) == 4
