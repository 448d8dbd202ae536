"""docs/reliability.md S-02: every HTML page of every route, anonymous and as the coach, over
HTTPS, carries the security headers; the pages that show client data are never cached."""

import re

import pytest
from django.urls import reverse

from clients.intake import services as intake_services
from tests.factories import PersonFactory, UserFactory
from tests.intake.conftest import use_response
from tests.security.conftest import url_for
from tests.urlwalk import all_routes

pytestmark = pytest.mark.django_db

# The coach's outbox and the campaign preview show an email's HTML in an iframe of their own
# page, on purpose.
FRAMEABLE = {"coaching:outbox_email_html", "newsletter_coach:campaign_html"}
# Pages that show client data (or a booker's, or an assessment's): never stored by a browser.
PRIVATE = re.compile(r"^/(coach|account|admin)/|^/book/(manage|booked)/|^/assessment/(results|q)/")


def crawl(client, site):
    """(route name, url, response) for every route's GET, over HTTPS."""
    for route in all_routes():
        url = url_for(route, site)
        if url and route.name != "account_logout":
            yield route.name, url, client.get(url, secure=True)


def directives(csp: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def header_problems(name: str, url: str, response) -> list[str]:
    problems = []
    hsts = response.get("Strict-Transport-Security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    if not (max_age and int(max_age[1]) >= 31536000 and "includeSubDomains" in hsts):
        problems.append(f"HSTS {hsts!r}")
    csp = directives(response.get("Content-Security-Policy", ""))
    framed = name in FRAMEABLE and response.status_code == 200
    if framed:
        problems += frame_problems(csp)
    else:
        problems += csp_problems(csp) + script_problems(csp, response.content.decode())
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "SAMEORIGIN" if framed else "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    problems += [f"{h} {response.get(h)!r}" for h, v in expected.items() if response.get(h) != v]
    private = response.status_code == 200 and PRIVATE.match(url)
    if private and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"Cache-Control {response.get('Cache-Control')!r}")
    return problems


def csp_problems(csp: dict[str, str]) -> list[str]:
    problems = [
        f"CSP {directive} {csp.get(directive)!r}"
        for directive in ("object-src", "base-uri", "frame-ancestors")
        if csp.get(directive) != "'none'"
    ]
    script_src = csp.get("script-src", "")
    if "unsafe-inline" in script_src or "unsafe-eval" in script_src or "*" in script_src:
        problems.append(f"CSP script-src {script_src!r}")
    return problems


def script_problems(csp: dict[str, str], body: str) -> list[str]:
    """Inline scripts carry the header's nonce; files come from the site itself ('self').

    django-csp names a nonce in the header only on pages that use one. Data blocks (JSON) are
    never executed, so they need no nonce.
    """
    nonces = set(re.findall(r"'nonce-([^']+)'", csp.get("script-src", "")))
    problems = []
    for tag in re.findall(r"<script\b[^>]*>", body):
        nonce = re.search(r'nonce="([^"]+)"', tag)
        if nonce and nonce[1] in nonces or re.search(r'type="application/(ld\+)?json"', tag):
            continue
        src = re.search(r'src="([^"]*)"', tag)
        if not (src and src[1].startswith("/") and not src[1].startswith("//")):
            problems.append(f"script without the header's nonce: {tag}")
    return problems


def frame_problems(csp: dict[str, str]) -> list[str]:
    """The email frame: sandboxed, no script at all, framed by the site's own pages only."""
    expected = {"default-src": "'none'", "base-uri": "'none'", "frame-ancestors": "'self'"}
    problems = [f"CSP {d} {csp.get(d)!r}" for d, v in expected.items() if csp.get(d) != v]
    if "sandbox" not in csp or "script-src" in csp:
        problems.append(f"CSP {csp!r}")
    return problems


def assert_every_html_page_is_protected(client, site) -> int:
    pages, problems = 0, {}
    for name, url, response in crawl(client, site):
        assert response.status_code < 500, url
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            pages += 1
            if found := header_problems(name, url, response):
                problems[url] = found
    assert problems == {}
    return pages


def test_every_public_page_carries_the_security_headers(client, site):
    use_response(client, site.response)  # her assessment in progress: its pages are walked too
    assert assert_every_html_page_is_protected(client, site) > 20


def test_every_page_the_coach_sees_carries_the_security_headers_and_no_store(coach_client, site):
    assert assert_every_html_page_is_protected(coach_client, site) > 60


def test_every_page_a_signed_in_client_sees_carries_the_security_headers(client, site):
    person = PersonFactory(user=UserFactory())
    client.force_login(person.user)
    assert client.get("/account/", secure=True).status_code == 200
    assert assert_every_html_page_is_protected(client, site) > 20


def test_the_assessment_results_carry_the_headers_and_are_never_cached(
    client, site, django_capture_on_commit_callbacks
):
    intake_services.response_set_gate(response=site.response, gate="yes")
    with django_capture_on_commit_callbacks(execute=True):
        intake_services.response_submit(response=site.response)
    use_response(client, site.response)
    url = reverse("intake:results")
    response = client.get(url, secure=True)
    assert response.status_code == 200
    assert header_problems("intake:results", url, response) == []


def test_only_the_outbox_email_frame_may_be_framed_and_only_by_the_site(coach_client, site):
    framed = {
        name
        for name, url, response in crawl(coach_client, site)
        if response.get("X-Frame-Options", "DENY") != "DENY"
    }
    assert framed == FRAMEABLE
    response = coach_client.get(url_for_name("coaching:outbox_email_html", site), secure=True)
    assert response.status_code == 200 and response["X-Frame-Options"] == "SAMEORIGIN"


def url_for_name(name: str, site) -> str:
    return next(url_for(route, site) for route in all_routes() if route.name == name)
