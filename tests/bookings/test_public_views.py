"""The public booking pages through their URLs: choose, book, confirm, manage by link."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from bookings.forms import slot_id
from bookings.links import manage_token
from bookings.models import Booking
from bookings.services import booking_create
from tests.bookings.conftest import booker

TOMORROW_10 = datetime(2026, 1, 6, 10, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("frozen")


def form_data(start=TOMORROW_10, **overrides):
    return {
        "name": "Ada Lovelace", "email": "ada@example.org", "phone": "", "topic": "Trust",
        "consent": "on", "start": slot_id(start), "time_zone": "America/New_York",
        "idempotency_key": "", "website": "", **overrides,
    }  # fmt: skip


def form_url(session_type):
    return reverse("bookings:form", args=[session_type.slug])


def test_index_lists_public_types_only(client, free_call, session_type):
    session_type.is_public = False
    session_type.save()
    response = client.get(reverse("bookings:index"))
    assert response.status_code == 200
    assert free_call.name in response.text and session_type.name not in response.text


@pytest.mark.parametrize(
    ("is_free", "price", "currency", "shown"),
    [
        (True, "0", "GBP", "Free"),
        (False, "95.00", "GBP", "£95"),
        (False, "1200.50", "eur", "€1,200.50"),
        (False, "95", "CHF", "95 CHF"),
    ],
)
def test_prices_read_as_visitors_expect(
    client, session_type, fake_stripe, is_free, price, currency, shown
):
    session_type.is_free, session_type.price, session_type.currency = is_free, price, currency
    session_type.save()
    assert f"{shown} · Video call" in client.get(reverse("bookings:index")).text


def test_index_without_types_still_invites_to_the_free_call(client, db):
    response = client.get(reverse("bookings:index"))
    assert "Book a free 45-minute call" in response.text


def test_book_page_marks_days_and_lists_times_in_the_visitor_zone(client, session_type):
    url = reverse("bookings:book", args=[session_type.slug])
    response = client.get(url, {"day": "2026-01-06", "tz": "America/New_York"})
    assert response.status_code == 200
    assert "January 2026" in response.text
    # 09:00 London is 04:00 in New York in January.
    assert ">04:00</time></a>" in response.text
    assert f"start={slot_id(datetime(2026, 1, 6, 9, tzinfo=UTC))}" in response.text


@pytest.mark.parametrize("reported", ["UTC", "Etc/GMT-3", "Europe/Paris"])
def test_the_zone_list_shows_the_zone_the_browser_reported(client, session_type, reported):
    client.cookies["tz"] = reported
    page = client.get(reverse("bookings:book", args=[session_type.slug])).text
    assert re.findall(r'name="tz" list="zone-list" value="([^"]+)"', page) == [reported]
    assert f'<option value="{reported}">' in page


def test_private_type_is_bookable_by_its_link(client, session_type):
    session_type.is_public = False
    session_type.save()
    assert client.get(reverse("bookings:book", args=[session_type.slug])).status_code == 200


def test_form_shows_the_chosen_time_with_its_zone(client, session_type):
    response = client.get(
        form_url(session_type), {"start": slot_id(TOMORROW_10), "tz": "Asia/Kolkata"}
    )
    assert "Tuesday 6 January 2026, 15:30–16:30 IST (Asia/Kolkata)" in response.text
    assert 'name="idempotency_key"' in response.text


def test_booking_redirects_to_a_confirmation_that_says_what_happens_next(client, session_type):
    response = client.post(form_url(session_type), form_data())
    assert response.status_code == 303
    booking = Booking.objects.get()
    assert (booking.email, booking.time_zone, booking.topic) == (
        "ada@example.org", "America/New_York", "Trust",
    )  # fmt: skip
    page = client.get(response["Location"])
    assert "What happens next" in page.text
    assert "05:00–06:00 EST (America/New_York)" in page.text


def test_taken_time_answers_409_with_the_nearest_free_times(client, session_type):
    booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    response = client.post(form_url(session_type), form_data())
    assert response.status_code == 409
    assert "that time was just taken" in response.text
    assert "The nearest free times" in response.text
    assert 'value="Ada Lovelace"' in response.text  # nothing she typed is lost


def test_invalid_form_comes_back_filled_in(client, session_type):
    response = client.post(form_url(session_type), form_data(consent="", email="not-an-email"))
    assert response.status_code == 400
    assert "Please agree to be contacted" in response.text
    assert 'value="Ada Lovelace"' in response.text
    assert not Booking.objects.exists()


def test_header_injection_in_the_name_is_refused(client, session_type):
    response = client.post(form_url(session_type), form_data(name="Ada\r\nBcc: x@example.org"))
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_honeypot_refuses_bots(client, session_type):
    response = client.post(form_url(session_type), form_data(website="http://spam"))
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_second_free_call_is_refused_with_a_link_to_sessions(client, free_call):
    booking_create(session_type=free_call, start=TOMORROW_10, booker=booker(1))
    later = TOMORROW_10 + timedelta(days=1)
    response = client.post(form_url(free_call), form_data(start=later, email="booker1@example.org"))
    assert response.status_code == 400
    assert "already booked a free call" in response.text
    assert "See the sessions you can book" in response.text


def test_booking_form_is_rate_limited(client, session_type):
    for _ in range(10):
        client.post(form_url(session_type), form_data(consent=""))
    assert client.post(form_url(session_type), form_data()).status_code == 429


def test_same_idempotency_key_twice_gives_the_same_answer(client, session_type):
    first = client.post(form_url(session_type), form_data(), HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(form_url(session_type), form_data(), HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, first.content) == (second.status_code, second.content) == (303, b"")
    other = client.post(
        form_url(session_type), form_data(start=TOMORROW_10 + timedelta(hours=1)),
        HTTP_IDEMPOTENCY_KEY="k-1",
    )  # fmt: skip
    assert other.status_code == 422
    assert Booking.objects.count() == 1


def test_manage_link_only_shows_the_booking(client, session_type):
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    for _ in range(3):  # a mail scanner following the link changes nothing
        response = client.get(reverse("bookings:manage", args=[manage_token(booking)]))
        assert response.status_code == 200
    assert "Cancel this booking" in response.text
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_cancel_by_post_then_the_link_is_gone(
    client, session_type, django_capture_on_commit_callbacks
):
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    token = manage_token(booking)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bookings:cancel", args=[token]))
    assert "Your booking is cancelled" in response.text
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    cancel_mail = next(m for m in mail.outbox if m.subject.startswith("Cancelled"))
    assert "METHOD:CANCEL" in cancel_mail.attachments[0][1]
    assert client.get(reverse("bookings:manage", args=[token])).status_code == 410
    assert client.post(reverse("bookings:cancel", args=[token])).status_code == 410


def test_cancel_inside_the_cutoff_is_refused_on_the_page(client, session_type, frozen):
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    frozen.move_to(TOMORROW_10 - timedelta(hours=2))
    response = client.post(reverse("bookings:cancel", args=[manage_token(booking)]))
    assert response.status_code == 400
    assert "up to 24 hours before" in response.text


def test_forged_and_cross_purpose_tokens_are_404(client, session_type):
    from coaching.tokens import make_token

    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    forged = make_token("unsubscribe", [str(booking.public_id), 0])
    assert client.get(reverse("bookings:manage", args=[forged])).status_code == 404
    assert client.get(reverse("bookings:manage", args=["nonsense"])).status_code == 404


def test_move_by_link(client, session_type):
    booking = booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    url = reverse("bookings:move", args=[manage_token(booking)])
    assert client.get(url, {"day": "2026-01-07"}).status_code == 200
    later = TOMORROW_10 + timedelta(days=1)
    response = client.post(url, {"start": slot_id(later), "confirm": "yes"})
    assert response.status_code == 303
    booking.refresh_from_db()
    assert (booking.start, booking.sequence) == (later, 1)


def test_coach_feed_needs_only_its_secret(client, session_type):
    booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    token = session_type.calendar.feed_token
    response = client.get(reverse("bookings:coach_feed", args=[token]))
    assert response.status_code == 200
    assert "Booker 1" in response.text and "DTSTART:20260106T100000Z" in response.text
    assert client.get(reverse("bookings:coach_feed", args=["wrong"])).status_code == 404


def test_zone_cookie_written_by_zone_js_is_understood(client, session_type):
    client.cookies["tz"] = "Asia%2FKolkata"  # as zone.js writes it
    response = client.get(reverse("bookings:book", args=[session_type.slug]), {"day": "2026-01-06"})
    assert ">14:30</time></a>" in response.text


def test_long_idempotency_key_and_bad_zone_are_handled(client, session_type):
    response = client.post(
        form_url(session_type), form_data(time_zone="Mars/Olympus"), HTTP_IDEMPOTENCY_KEY="k" * 500
    )
    assert response.status_code == 303
    assert Booking.objects.get().time_zone == ""


def test_form_for_a_time_that_went_meanwhile_says_so(client, session_type):
    booking_create(session_type=session_type, start=TOMORROW_10, booker=booker(1))
    response = client.get(form_url(session_type), {"start": slot_id(TOMORROW_10)})
    assert response.status_code == 200
    assert "this time is no longer free" in response.text
    assert "The nearest free times" in response.text


def test_coach_feed_keeps_discreet_bookings_discreet(client, session_type):
    booking_create(
        session_type=session_type,
        start=TOMORROW_10,
        booker=booker(1, name="Ada Lovelace", discreet=True),
    )
    feed = client.get(reverse("bookings:coach_feed", args=[session_type.calendar.feed_token]))
    assert "SUMMARY:Appointment: Ada" in feed.text
    assert session_type.name not in feed.text
