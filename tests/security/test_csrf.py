"""docs/reliability.md S-03: every unsafe method on every route, without a CSRF token, is
refused with 403.

The exemptions are listed here and asserted both ways: a route that starts accepting tokenless
posts fails, and so does an exemption that no longer exists.
"""

import pytest
from django.test import Client
from django.urls import get_resolver

from tests.security.conftest import url_for
from tests.urlwalk import all_routes

pytestmark = pytest.mark.django_db

# The newsletter's RFC 8058 one-click unsubscribe: mail clients post to it without a session,
# and its signed token is the only key. The email provider's tracking webhook: a server posts
# it, and anymail checks its basic-auth secret.
CSRF_EXEMPT = {"newsletter:unsubscribe", "newsletter:webhook", "payments:webhook"}
UNSAFE = ("post", "put", "patch", "delete")


def tokenless_answers(client, site) -> dict[str, set[int]]:
    """For each route, the statuses its unsafe methods answered without a CSRF token."""
    answers = {}
    for route in all_routes():
        url = url_for(route, site)
        if url:
            statuses = {getattr(client, method)(url, secure=True).status_code for method in UNSAFE}
            answers[route.name] = statuses
    return answers


def test_anonymous_unsafe_requests_without_a_token_are_refused(site):
    answers = tokenless_answers(Client(enforce_csrf_checks=True), site)
    accepted = {name for name, statuses in answers.items() if statuses != {403}}
    assert accepted <= CSRF_EXEMPT, {name: answers[name] for name in accepted}


def test_the_coachs_unsafe_requests_without_a_token_are_refused(site, coach):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coach)
    answers = tokenless_answers(client, site)
    accepted = {name for name, statuses in answers.items() if statuses != {403}}
    assert accepted <= CSRF_EXEMPT, {name: answers[name] for name in accepted}
    assert client.get("/coach/", secure=True).status_code == 200  # still signed in


def _views(patterns, namespace=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _views(pattern.url_patterns, inner)
        else:
            yield ":".join(filter(None, [namespace, pattern.name or ""])), pattern.callback


def test_no_view_is_csrf_exempt_but_the_listed_ones():
    exempt = {
        name
        for name, view in _views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False)
    }
    assert exempt == CSRF_EXEMPT


def test_a_form_posted_with_its_token_is_accepted(site):
    client = Client(enforce_csrf_checks=True)
    client.get(f"/blog/{site.post.slug}/", secure=True)
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/blog/{site.post.slug}/comment/",
        {
            "name": "Ana",
            "email": "ana@example.org",
            "body": "Thank you",
            "csrfmiddlewaretoken": token,
        },
        secure=True,
        HTTP_REFERER="https://testserver/",
    )
    assert response.status_code == 302
