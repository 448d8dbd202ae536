"""Hypothesis against every public form and every token URL: never a 5xx; a rejected form
stores nothing and sends nothing; a forged or mutated token changes nothing.

Rate limits would stop 200 examples early: each example comes from an address of its own
(REMOTE_ADDR), which is also how 200 different visitors would arrive.
"""

import itertools
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings.links import manage_token
from clients.intake import pages
from clients.intake import services as intake_services
from clients.intake.models import Response
from coaching.tokens import make_token
from tests.intake.conftest import use_response
from tests.security.conftest import bookable_start, row_counts

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
METACHARACTERS = [
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' OR 1=1 --",
    "'; DROP TABLE clients_client; --", "{{ 7*7 }}", "{% debug %}", "%00", "\x00", "\r\nBcc: x@y.z",
    "../../etc/passwd", "javascript:alert(1)", "\u202e\u200b\ufeff", "𝕬𝖉𝖆 🙂", "a@b", "@", "",
]  # fmt: skip
nasty = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=50),
    st.sampled_from(METACHARACTERS),
    st.text(min_size=500, max_size=1500, alphabet="aé<'\"\\\n"),
)
# What a booking could write: the booking, a lead, and its emails.
BOOKING_ROWS = ("bookings.Booking", "clients.Client", "clients.Person", "coaching.OutboundEmail")
ADDRESSES = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))


def fields(valid: dict) -> st.SearchStrategy:
    """Each field either keeps its valid value or takes a nasty one."""
    return st.fixed_dictionaries({name: st.one_of(st.just(v), nasty) for name, v in valid.items()})


def assert_survives(client, url: str, data: dict, accepted: set[int], apps=()) -> None:
    """Posted from a new address: no 5xx; if refused, no new rows in `apps` and no email."""
    before, sent = row_counts(*apps), len(mail.outbox)
    response = client.post(url, data, REMOTE_ADDR=next(ADDRESSES))
    assert response.status_code < 500
    if response.status_code not in accepted:
        assert response.status_code in (200, 400, 404, 409, 422), response.status_code
        assert row_counts(*apps) == before
        assert len(mail.outbox) == sent


def test_fuzz_the_booking_form(client, site):
    url = reverse("bookings:form", args=[site.session_type.slug])
    valid = {
        "name": "Ada", "email": "ada@example.org", "phone": "", "topic": "Trust",
        "consent": "on", "newsletter": "", "discreet": "", "website": "",
        "start": bookable_start(site.session_type), "time_zone": "Europe/London",
        "intake": "", "idempotency_key": "",
    }  # fmt: skip

    @FUZZ
    @given(data=fields(valid))
    def attempt(data):
        assert_survives(client, url, data, {303}, apps=BOOKING_ROWS)

    attempt()


def test_fuzz_the_comment_form(client, site):
    url = reverse("blog:comment", args=[site.post.slug])
    valid = {"name": "Rowan", "email": "rowan@example.org", "body": "Thanks", "website": ""}

    @FUZZ
    @given(data=fields(valid))
    def attempt(data):
        assert_survives(client, url, data, {302}, apps=("blog", "coaching"))

    attempt()


def test_fuzz_the_portal_sign_in_form(client, site):
    valid = {"email": site.person.email, "website": ""}

    @FUZZ
    @given(data=fields(valid))
    def attempt(data):
        assert_survives(
            client, reverse("clients:sign_in"), data, {302}, apps=("clients", "coaching")
        )
        client.logout()

    attempt()


def test_fuzz_the_assessment_forms(client, site):
    """Consent, the emailed resume link, and a partner's invitation."""
    use_response(client, site.response)
    forms = {
        "intake:start": {"consent": "on", "adult": "on", "country": "UK", "website": ""},
        "intake:later": {"email": "ada@example.org", "name": "Ada", "website": ""},
        "intake:invite": {"email": "sam@example.org", "share_intimacy": "", "website": ""},
    }

    @FUZZ
    @given(name=st.sampled_from(sorted(forms)), data=st.data())
    def attempt(name, data):
        use_response(client, site.response)
        data = data.draw(fields(forms[name]))
        assert_survives(client, reverse(name), data, {200, 302}, apps=("intake", "clients"))

    attempt()


def test_fuzz_the_assessment_answers(client, site):
    """A page of answers: refused answers leave the saved ones as they were."""
    response = site.response
    intake_services.response_set_gate(response=response, gate="yes")
    name = pages.first_page()
    url = reverse("intake:section", args=[name])
    valid = {item: "2" for item in pages.item_ids(response, name)}

    @FUZZ
    @given(data=fields(valid))
    def attempt(data):
        use_response(client, response)
        before = Response.objects.get(pk=response.pk).answers
        status = client.post(url, data, REMOTE_ADDR=next(ADDRESSES)).status_code
        assert status in (302, 400), status
        if status == 400:
            assert Response.objects.get(pk=response.pk).answers == before

    attempt()


def test_fuzz_the_newsletter_forms(client, site):
    """Subscribing, and the preferences behind a subscriber's signed link."""
    forms = {
        reverse("newsletter:subscribe"): {"email": "new@example.org", "first_name": "Ada",
                                          "topics": "", "form_id": "", "website": ""},
        reverse("newsletter:preferences", args=[make_token("preferences", site.subscriber.pk)]):
            {"first_name": "Rea", "topics": "", "paused": ""},
    }  # fmt: skip

    @FUZZ
    @given(url=st.sampled_from(sorted(forms)), data=st.data())
    def attempt(url, data):
        data = data.draw(fields(forms[url]))
        assert_survives(client, url, data, {200, 302}, apps=("newsletter", "coaching"))

    attempt()


def mutations(token: str) -> st.SearchStrategy:
    """The genuine token with one character changed, cut short, or extended."""
    index = st.integers(min_value=0, max_value=len(token) - 1)
    char = st.characters(codec="ascii", exclude_characters="/")
    return st.one_of(
        st.tuples(index, char).map(lambda p: token[: p[0]] + p[1] + token[p[0] + 1 :]),
        index.map(lambda i: token[:i]),
        st.text(min_size=1, max_size=20).map(lambda extra: token + extra),
        nasty,
    )


def test_fuzz_every_token_url(client, site):
    genuine = {
        "bookings:booked": manage_token(site.booking),
        "bookings:manage": manage_token(site.booking),
        "bookings:move": manage_token(site.booking),
        "bookings:cancel": manage_token(site.booking),
        "bookings:invite": manage_token(site.booking),
        "intake:resume": intake_services.resume_token(site.response),
        "intake:partner": intake_services.resume_token(site.response),
        "bookings:coach_feed": site.session_type.calendar.feed_token,
        "newsletter:confirm": make_token("doi", site.consent.pk),
        "newsletter:preferences": make_token("preferences", site.subscriber.pk),
        "newsletter:unsubscribe": make_token("unsubscribe", [site.subscriber.pk, 0]),
    }
    before, status = row_counts(), site.subscriber.status

    @FUZZ
    @given(name=st.sampled_from(sorted(genuine)), data=st.data())
    def attempt(name, data):
        token = data.draw(mutations(genuine[name]))
        if token == genuine[name] or not token:
            return
        path = reverse(name, args=["TOKEN"]).replace("TOKEN", quote(token, safe=""))
        method = (
            client.get
            if name in {"bookings:booked", "bookings:manage", "bookings:invite"}
            else client.post
        )
        response = method(path, REMOTE_ADDR=next(ADDRESSES))
        assert response.status_code in (400, 404, 410), (name, token, response.status_code)

    attempt()
    assert row_counts() == before
    assert "intake_response" not in client.session
    site.subscriber.refresh_from_db()
    assert site.subscriber.status == status
