"""Until payments are taken on the site, a paid booking says plainly what it costs and how the
coach will collect it, on the confirmation page and in both parts of the email; the free call
says it is free."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import reverse

from bookings.models import DEFAULT_PAYMENT_NOTE
from tests.bookings.conftest import book_through_the_form

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)
EMAIL = "ada@example.org"

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def paid(session_type):
    session_type.price, session_type.currency = "95.00", "GBP"
    session_type.save()
    return session_type


def confirmation_email():
    return next(m for m in mail.outbox if m.to == [EMAIL] and m.subject.startswith("Confirmed"))


def test_a_paid_booking_says_its_price_and_how_it_is_paid(
    client, paid, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(book_through_the_form(client, paid, TOMORROW_10))
    assert "<dt>Price</dt><dd>£95<br>" + DEFAULT_PAYMENT_NOTE in page.text
    message = confirmation_email()
    assert f"Price: £95\n{DEFAULT_PAYMENT_NOTE}" in message.body
    html = message.alternatives[0][0]
    assert "Price: £95" in html and DEFAULT_PAYMENT_NOTE in html


def test_the_coach_says_in_her_own_words_how_she_is_paid(
    client, paid, django_capture_on_commit_callbacks
):
    paid.payment_note = "Please pay by bank transfer to the account on my invoice."
    paid.save()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(book_through_the_form(client, paid, TOMORROW_10))
    assert paid.payment_note in page.text and DEFAULT_PAYMENT_NOTE not in page.text
    assert paid.payment_note in confirmation_email().body


def test_the_free_call_says_it_is_free(client, free_call, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(book_through_the_form(client, free_call, TOMORROW_10))
    assert "<dt>Price</dt><dd>Free</dd>" in page.text
    message = confirmation_email()
    assert "Price: Free" in message.body and "Price: Free" in message.alternatives[0][0]
    assert DEFAULT_PAYMENT_NOTE not in message.body


def test_the_coach_sets_the_payment_note_on_the_session_type(coach_client, paid):
    form = coach_client.get(reverse("bookings_coach:type_edit", args=[paid.pk]))
    assert 'name="payment_note"' in form.text and DEFAULT_PAYMENT_NOTE in form.text
