"""S-04 and S-05 (docs/reliability.md): every public form answers 429 past its limit, whatever
X-Forwarded-For says, and every form a visitor's pages hold is one of them; sign-in and password
reset answer the same for accounts that exist and accounts that don't."""

import re
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.urls import resolve, reverse

from clients.intake import pages
from clients.intake import services as intake_services
from coaching.models import OutboundEmail
from content.newsletter.models import Subscriber
from tests.intake.answers import PERSONA_1
from tests.intake.conftest import use_response
from tests.security.conftest import url_for
from tests.urlwalk import all_routes

pytestmark = pytest.mark.django_db

# (route, its arguments, the limit in the view's @ratelimit decorator, per minute or hour)
PUBLIC_FORMS = [
    ("bookings:form", "slug", 10),  # bookings/views.py booking_form: 10/m
    ("bookings:cancel", "token", 20),  # bookings/views.py cancel: 20/m
    ("bookings:move", "token", 20),  # bookings/views.py move: 20/m
    ("blog:comment", "slug", 5),  # content/blog/views.py comment_create: 5/m (and 30/h)
    ("clients:sign_in", None, 10),  # clients/portal_views.py sign_in: 10/m
    ("intake:start", None, 20),  # clients/intake/views.py start: 20/h
    ("intake:partner", "token", 20),  # partner: 20/h
    ("intake:later", None, 10),  # later (the emailed resume link): 10/h
    ("intake:invite", None, 10),  # invite a partner: 10/h
    ("intake:section", "name", 300),  # each page of the assessment: 300/h
    ("intake:gate", None, 30),  # the privacy question: 30/h
    ("intake:safe_contact", None, 10),  # how she may be contacted safely: 10/h
    ("intake:delete", None, 10),  # delete my answers: 10/h
    ("newsletter:confirm", "token", 20),  # the emailed confirmation button: 20/h
    ("newsletter:preferences", "token", 30),  # the emailed preferences link: 30/h
    ("newsletter:subscribe", None, 10),  # content/newsletter: NEWSLETTER_SUBSCRIBE_RATE, 10/h
    ("agreements:sign_link", "token", 20),  # clients/agreements/views.py SIGN_RATE: 20/h
]


def form_url(name: str, argument: str | None, site) -> str:
    values = {
        "slug": {"bookings:form": site.session_type.slug, "blog:comment": site.post.slug},
        "name": {"intake:section": "relationship"},
    }
    if argument is None:
        return reverse(name)
    value = values.get(argument, {}).get(name, "not-a-real-token")
    return reverse(name, args=[value])


@pytest.mark.parametrize(("name", "argument", "limit"), PUBLIC_FORMS)
def test_each_public_form_answers_429_past_its_limit_even_with_a_forged_forwarded_for(
    client, site, name, argument, limit
):
    url = form_url(name, argument, site)
    # The limits count in windows of the clock: the clock stands still here so that all the
    # posts fall in one window, as they do on an unloaded machine (a slow run crossed a window's
    # end and was let in).
    with time_machine.travel(time.time(), tick=False):
        statuses = [
            client.post(
                url, {}, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
            ).status_code
            for n in range(limit + 1)
        ]
    assert 429 not in statuses[:limit], statuses
    assert statuses[limit] == 429
    # Another visitor is not blocked by the first one's counter.
    assert client.post(url, {}, REMOTE_ADDR="203.0.113.10").status_code != 429


# Forms that allauth limits itself (ACCOUNT_RATE_LIMITS; the sign-in limits are tested below).
LIMITED_BY_ALLAUTH = {
    "account_login",
    "account_reset_password",
    "account_reset_password_from_key",
    "account_request_login_code",
    "account_confirm_login_code",
    "account_signup",
}
# Not limited, on purpose: mail providers post one-click unsubscribes (RFC 8058) from shared
# addresses, where a limit would keep readers from leaving; each post is idempotent and its
# signed token is the only key.
NOT_LIMITED = {"newsletter:unsubscribe"}


class PostForms(HTMLParser):
    """The action of every <form method="post"> in a page (empty: the page's own URL)."""

    def __init__(self):
        super().__init__()
        self.actions = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.actions.append(attrs.get("action") or "")


def posted_routes(client, urls) -> dict[str, str]:
    """{route name: page} for every form that the visitor's pages hold."""
    found = {}
    for url in urls:
        response = client.get(url, secure=True)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = PostForms()
        parser.feed(response.content.decode())
        for action in parser.actions:
            found.setdefault(resolve(urlsplit(urljoin(url, action)).path).view_name, url)
    return found


def test_every_form_a_visitor_can_post_is_limited(client, site, django_capture_on_commit_callbacks):
    site.subscriber.status = Subscriber.Status.ACTIVE  # her preferences page holds the form
    site.subscriber.save(update_fields=["status"])
    urls = [url_for(route, site) for route in all_routes() if route.category == "public"]
    urls += [reverse(name) for name in ("account_login", "account_reset_password")]
    use_response(client, site.response)  # in progress: the privacy question and the sections
    urls += [reverse("intake:section", args=[pages.first_page()]), reverse("intake:later")]
    found = posted_routes(client, filter(None, urls))

    # Results with a safety sign: the safe-contact form, the invitation, the deletion.
    submitted = intake_services.response_start(country="UK")
    intake_services.response_set_gate(response=submitted, gate="yes")
    submitted.answers = PERSONA_1 | {"SAF6": 1}
    submitted.save(update_fields=["answers"])
    with django_capture_on_commit_callbacks(execute=True):
        intake_services.response_submit(response=submitted)
    use_response(client, submitted)
    found |= posted_routes(client, [reverse("intake:results"), reverse("intake:delete")])

    limited = {name for name, _, _ in PUBLIC_FORMS}
    assert {"blog:comment", "intake:safe_contact", "newsletter:preferences"} <= set(found)
    unlimited = set(found) - limited - LIMITED_BY_ALLAUTH - NOT_LIMITED
    assert unlimited == set(), {name: found[name] for name in unlimited}


def test_the_counters_live_in_redis_and_key_on_the_peer_address(settings):
    """Shared by every gunicorn worker; keyed on what the client cannot forge."""
    cache = settings.CACHES[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings.RATELIMIT_IP_META_KEY == "REMOTE_ADDR"


def test_the_429_page_is_friendly(client, site):
    url = form_url("bookings:form", "slug", site)
    for _ in range(11):
        response = client.post(url, {}, REMOTE_ADDR="203.0.113.11")
    assert response.status_code == 429
    assert "<h1" in response.content.decode()


def test_allauth_refuses_the_eleventh_failed_sign_in_from_one_address_within_a_minute(client):
    url = reverse("account_login")
    for n in range(10):
        response = client.post(
            url,
            {"login": f"nobody{n}@example.org", "password": "wrong"},
            REMOTE_ADDR="203.0.113.12",
        )
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post(
        url, {"login": "nobody99@example.org", "password": "wrong"}, REMOTE_ADDR="203.0.113.12"
    )
    # allauth answers with its form again, carrying the error (not a 429).
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()


def _shape(response) -> tuple[int, str]:
    """Status and body with the per-request parts (tokens, the typed address) blanked out."""
    body = response.content.decode()
    body = re.sub(r'value="[^"]*"', 'value=""', body)
    body = re.sub(r"nonce-[^']+|nonce=\"[^\"]+\"", "nonce", body)
    return response.status_code, re.sub(r"[\w.+-]+@example\.org", "EMAIL", body)


def test_sign_in_answers_the_same_for_a_real_and_an_unknown_account(client, coach):
    url = reverse("account_login")
    real = client.post(url, {"login": coach.email, "password": "wrong"}, REMOTE_ADDR="203.0.113.13")
    unknown = client.post(
        url, {"login": "ghost@example.org", "password": "wrong"}, REMOTE_ADDR="203.0.113.14"
    )
    assert _shape(real) == _shape(unknown)
    assert real.status_code == 200


def test_password_reset_answers_the_same_for_a_real_and_an_unknown_account(client, coach):
    url = reverse("account_reset_password")
    real = client.post(url, {"email": coach.email}, REMOTE_ADDR="203.0.113.15")
    unknown = client.post(url, {"email": "ghost@example.org"}, REMOTE_ADDR="203.0.113.16")
    assert (real.status_code, real["Location"]) == (unknown.status_code, unknown["Location"])
    assert _shape(client.get(real["Location"])) == _shape(client.get(unknown["Location"]))
    sent = OutboundEmail.objects.order_by("pk").values_list("to", "template")
    assert list(sent) == [
        (coach.email, "account_password_reset_key"),
        ("ghost@example.org", "account_unknown_account"),
    ]
