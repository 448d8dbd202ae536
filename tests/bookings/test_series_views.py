"""The coach's "Book for a client" form: from the client's page and the week, coach only."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from bookings.forms import slot_id
from bookings.models import Booking, BusyCalendar, BusyTime
from coaching.models import OutboundEmail
from tests.bookings.factories import BookingFactory
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
BOOK = reverse("bookings_coach:book")
# Mondays 12 January to 2 February 2026, 18:00 in London (GMT, so 18:00 UTC).
FIRST = datetime(2026, 1, 12, 18, tzinfo=UTC)


@pytest.fixture
def person(db):
    return PersonFactory(name="Ada Lovelace", email="ada@example.org")


def form_data(person, session_type, **changes):
    data = {
        "client": person.client_id, "session_type": session_type.pk, "day": "2026-01-12",
        "at": "18:00", "repeat": "weekly", "count": "4",
    }  # fmt: skip
    return {**data, **changes}


def test_the_client_page_offers_the_form_for_that_client(coach_client, person, session_type):
    response = coach_client.get(reverse("clients_coach:detail", args=[person.client_id]))
    assert "Book a session" in response.text
    assert f'<input type="hidden" name="client" value="{person.client_id}">' in response.text
    assert f'action="{BOOK}"' in response.text


def test_a_series_posted_from_the_client_page_books_and_goes_back_to_it(
    coach_client, person, session_type
):
    response = coach_client.post(BOOK, form_data(person, session_type), follow=True)
    assert response.redirect_chain == [
        (reverse("clients_coach:detail", args=[person.client_id]), 302)
    ]
    assert "Booked 4 sessions from Mon 12 Jan 2026 18:00 to Mon 2 Feb 2026 18:00" in response.text
    assert "Monday 2 February 2026, 18:00–19:00" in response.text  # in the Sessions card
    starts = list(Booking.objects.filter(client=person.client).values_list("start", flat=True))
    assert starts == [FIRST + timedelta(weeks=n) for n in range(4)]
    assert OutboundEmail.objects.filter(to="ada@example.org").count() == 1


def test_a_double_click_books_the_series_once(coach_client, person, session_type):
    data = form_data(person, session_type, idempotency_key="b0b1")
    assert [coach_client.post(BOOK, data).status_code for _ in range(2)] == [302, 302]
    assert Booking.objects.count() == 4
    assert OutboundEmail.objects.count() == 1


def test_the_week_links_to_the_form_with_the_day_filled_in(coach_client, session_type):
    week = coach_client.get(reverse("bookings_coach:week"), {"start": "2026-01-12"})
    assert f'href="{BOOK}?day=2026-01-14"' in week.text
    response = coach_client.get(BOOK, {"day": "2026-01-14"})
    assert 'name="day" value="2026-01-14"' in response.text


def test_bad_input_keeps_what_was_typed_and_says_what_to_fix(coach_client, person, session_type):
    response = coach_client.post(BOOK, form_data(person, session_type, at="", count="40"))
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "Ensure this value is less than or equal to 26." in response.text
    assert 'value="2026-01-12"' in response.text and 'value="40"' in response.text
    assert not Booking.objects.exists()


def test_a_taken_date_is_refused_with_its_date_and_nothing_is_booked(
    coach_client, person, session_type
):
    BookingFactory(session_type=session_type, start=FIRST + timedelta(weeks=2))
    response = coach_client.post(BOOK, form_data(person, session_type))
    assert response.status_code == 409
    assert "Already booked at Mon 26 Jan 2026 18:00" in response.text
    assert "confirm_busy" not in response.text  # never overridable
    assert Booking.objects.count() == 1


def test_a_busy_date_asks_for_a_confirmation_then_books(coach_client, person, session_type):
    feed = BusyCalendar.objects.create(
        calendar=session_type.calendar, name="Family", url="https://example.org/f.ics"
    )
    busy_start = FIRST + timedelta(weeks=1)
    BusyTime.objects.create(feed=feed, start=busy_start, end=busy_start + timedelta(hours=2))
    warned = coach_client.post(BOOK, form_data(person, session_type))
    assert warned.status_code == 409
    assert "busy at Mon 19 Jan 2026 18:00" in warned.text
    assert f'name="confirm_busy" id="id_confirm_busy" value="{slot_id(busy_start)}"' in warned.text
    assert not Booking.objects.exists()
    confirmed = form_data(person, session_type, confirm_busy=slot_id(busy_start))
    assert coach_client.post(BOOK, confirmed).status_code == 302
    assert Booking.objects.count() == 4


def test_a_package_too_small_is_said_plainly(coach_client, person, session_type):
    person.client.packages.create(name="Three", sessions=3, starts_at=FIRST - timedelta(days=30))
    response = coach_client.post(BOOK, form_data(person, session_type))
    assert "Three has 3 sessions left to book and this series has 4." in response.text
    assert not Booking.objects.exists()


def test_the_form_is_the_coachs_alone(client, client_user, person, session_type):
    assert client.get(BOOK).status_code == 302  # to sign in
    client.force_login(client_user)
    assert client.get(BOOK).status_code == 404
    assert client.post(BOOK, form_data(person, session_type)).status_code == 404
    assert not Booking.objects.exists()
