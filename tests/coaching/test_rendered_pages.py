"""What a template leaves out never reaches a page: no comment or tag syntax on any page a
visitor or the coach can reach by following links through the demo site."""

import io
import re
from collections import deque

import pytest
from django.core.management import call_command

from coaching.models import User

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/[^"#]*)')
# Files, the admin's own templates, and links that end the session are not pages of ours.
SKIPPED = re.compile(r"^/(static|media|admin)/|^/accounts/logout/|\.(csv|ics|zip|json)$")
TEMPLATE_SYNTAX = ("{#", "#}", "{%", "%}")


def crawl(client, start: str, limit: int = 300) -> dict[str, str]:
    """Every HTML page reachable from `start` by following same-site links: url -> body."""
    pages, queue, seen = {}, deque([start]), {start}
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages[url] = body = response.content.decode()
        for link in LINK.findall(body):
            link = link.replace("&amp;", "&")
            if link not in seen and not link.startswith("//") and not SKIPPED.search(link):
                seen.add(link)
                queue.append(link)
    return pages


@pytest.fixture
def demo_site(db):
    call_command("seed_demo", stdout=io.StringIO())


def leaks(pages: dict[str, str]) -> dict[str, list[str]]:
    return {
        url: [syntax for syntax in TEMPLATE_SYNTAX if syntax in body]
        for url, body in pages.items()
        if any(syntax in body for syntax in TEMPLATE_SYNTAX)
    }


def test_no_public_page_shows_template_syntax(client, demo_site):
    pages = crawl(client, "/")
    assert len(pages) > 20  # the crawl reached the blog, the bookings and the assessment
    assert leaks(pages) == {}


def test_no_coach_page_shows_template_syntax(client, demo_site):
    client.force_login(User.objects.get(email="coach@example.com"))
    pages = crawl(client, "/coach/")
    assert len(pages) > 20
    assert leaks(pages) == {}
