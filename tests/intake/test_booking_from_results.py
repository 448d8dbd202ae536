"""A free call booked from the assessment results joins that response to the booker's client
record (with the consent given on the consent screen), shows on the record's timeline, and
stays linked after a cancellation and a booking made again from any page."""

import re
from html import unescape

import pytest
from django.urls import reverse

from bookings.forms import slot_id
from bookings.models import Booking
from bookings.services import booking_cancel
from clients.intake import pages
from clients.intake.models import Response
from clients.models import Client, Consent
from tests.bookings.conftest import NOW, free_call, frozen  # noqa: F401 (fixtures)

from .answers import PERSONA_2

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "free_call")]
TOMORROW_10 = NOW.replace(day=6, hour=10)
CONSENT = {"consent": "on", "adult": "on", "country": "UK", "website": ""}


def take_the_assessment(browser) -> str:
    """Every page, as the respondent does; returns the results page."""
    browser.post(reverse("intake:start"), CONSENT)
    browser.post(reverse("intake:gate"), {"gate": "yes"})
    response = Response.objects.latest("started_at")
    for name in pages.page_names(response):
        ids = pages.item_ids(response, name)
        reply = browser.post(
            reverse("intake:section", args=[name]), {i: PERSONA_2[i] for i in ids if i in PERSONA_2}
        )
    assert reply.url == reverse("intake:results")
    return browser.get(reply.url).content.decode()


def book(browser, *, from_page: str = "", start=TOMORROW_10, email="ada@example.org"):
    """The booking pages as a visitor goes through them: from the results' link when given."""
    token = ""
    if from_page:
        link = unescape(re.search(r'href="(/book/free-call/\?intake=[^"]+)"', from_page).group(1))
        token = link.split("intake=", 1)[1]
        assert token in unescape(browser.get(link).content.decode())
    form_url = reverse("bookings:form", args=["free-call"])
    form = browser.get(form_url, {"start": slot_id(start), "intake": token}).content.decode()
    if token:
        assert f'name="intake" value="{token}"' in form
    data = {
        "name": "Ada Lovelace", "email": email, "phone": "", "topic": "", "consent": "on",
        "start": slot_id(start), "time_zone": "Europe/London", "intake": token,
        "idempotency_key": "", "website": "",
    }  # fmt: skip
    reply = browser.post(form_url, data)
    assert reply.status_code == 303, reply.content.decode()[:2000]
    return Booking.objects.latest("pk")


def test_booking_from_the_results_joins_the_intake_to_the_client_record(client, coach_client):
    results = take_the_assessment(client)
    booking = book(client, from_page=results)
    response = Response.objects.get()
    assert booking.intake_public_id == response.public_id
    assert response.client == booking.client
    assert response.person.email == "ada@example.org"
    consent = response.person.consents.get(kind=Consent.Kind.SPECIAL_CATEGORY)
    assert consent.granted and consent.text_version == response.consent_version

    record = coach_client.get(reverse("clients_coach:detail", args=[booking.client_id]))
    assert "Intake assessment taken" in record.content.decode()
    detail = coach_client.get(reverse("bookings_coach:detail", args=[booking.pk]))
    intake_url = reverse("intake_coach:response", args=[response.public_id])
    assert f'<a href="{intake_url}">Intake assessment</a>' in detail.content.decode()
    intake_page = coach_client.get(intake_url).content.decode()
    assert "Intake of Ada Lovelace" in intake_page


def test_the_link_stays_after_a_cancellation_and_a_new_booking_from_any_page(client, coach_client):
    first = book(client, from_page=take_the_assessment(client))
    booking_cancel(booking=first)
    again = book(client, start=TOMORROW_10.replace(hour=14))  # from the booking page itself
    assert again.intake_public_id is None and again.client == first.client
    response = Response.objects.get()
    assert response.client == again.client
    assert Consent.objects.filter(kind=Consent.Kind.SPECIAL_CATEGORY).count() == 1

    detail = coach_client.get(reverse("bookings_coach:detail", args=[again.pk]))
    intake_url = reverse("intake_coach:response", args=[response.public_id])
    assert f'<a href="{intake_url}">Intake assessment</a>' in detail.content.decode()
    record = coach_client.get(reverse("clients_coach:detail", args=[again.client_id]))
    assert "Intake assessment taken" in record.content.decode()


def test_booking_again_from_the_same_results_keeps_one_link(client):
    results = take_the_assessment(client)
    booking_cancel(booking=book(client, from_page=results))
    book(client, from_page=results, start=TOMORROW_10.replace(hour=14))
    response = Response.objects.get()
    assert response.client == Client.objects.get()
    assert response.person.consents.count() == 1


def test_someone_elses_results_link_never_moves_their_answers(client):
    results = take_the_assessment(client)
    book(client, from_page=results)
    owner = Response.objects.get().client
    other = book(client, from_page=results, start=TOMORROW_10.replace(hour=14), email="b@x.org")
    response = Response.objects.get()
    assert response.client == owner and other.client != owner
    assert not other.client.people.get().consents.exists()
