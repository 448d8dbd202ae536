"""The coach books for a client: sessions and series in her zone, all or nothing (issue 15, 4)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar

from bookings.integrations import export
from bookings.models import Booking, BusyCalendar, BusyTime, ReminderDelivery, VideoRoom
from bookings.series import (
    BookedClash,
    BusyClash,
    booking_series_create,
    occurrences,
)
from bookings.services import IdempotencyConflict, SlotPassed, booking_cancel
from clients.models import Client, Package
from coaching.models import OutboundEmail
from tests.bookings.factories import BookingFactory
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
LONDON = ZoneInfo("Europe/London")
# Tuesdays around the autumn change in London (Sunday 25 October 2026, 02:00 BST -> 01:00 GMT).
FIRST_TUESDAY = date(2026, 10, 13)


@pytest.fixture
def person(db):
    return PersonFactory(name="Ada Lovelace", email="ada@example.org")


def weekly(count=4, *, at=time(18), every_weeks=1, first_day=FIRST_TUESDAY):
    return occurrences(first_day=first_day, at=at, tz=LONDON, every_weeks=every_weeks, count=count)


def book(person, session_type, starts, **kwargs):
    return booking_series_create(
        client=person.client, session_type=session_type, starts=starts, **kwargs
    )


def local(moments):
    return [f"{moment.astimezone(LONDON):%Y-%m-%d %H:%M %Z}" for moment in moments]


def test_a_weekly_series_over_the_autumn_change_keeps_18_00_local(person, session_type):
    bookings = book(person, session_type, weekly())
    assert local(booking.start for booking in bookings) == [
        "2026-10-13 18:00 BST", "2026-10-20 18:00 BST",
        "2026-10-27 18:00 GMT", "2026-11-03 18:00 GMT",
    ]  # fmt: skip
    # Elapsed time between the two around the change is a week and an hour.
    assert bookings[2].start - bookings[1].start == timedelta(days=7, hours=1)
    assert all(booking.status == Booking.Status.CONFIRMED for booking in bookings)


def test_a_fortnightly_series_steps_two_weeks_and_keeps_its_time_in_spring():
    starts = occurrences(
        first_day=date(2026, 3, 17), at=time(18), tz=LONDON, every_weeks=2, count=3
    )
    assert local(starts) == ["2026-03-17 18:00 GMT", "2026-03-31 18:00 BST", "2026-04-14 18:00 BST"]


def test_a_time_in_the_spring_gap_or_the_autumn_repeat_reads_as_rfc_5545_does():
    """01:30 does not exist on 29 March 2026 in London: the offset before the gap (GMT) makes it
    02:30 BST. 01:30 happens twice on 25 October: the first (BST) is meant."""
    spring = occurrences(first_day=date(2026, 3, 29), at=time(1, 30), tz=LONDON, every_weeks=1,
                         count=2)  # fmt: skip
    assert local(spring) == ["2026-03-29 02:30 BST", "2026-04-05 01:30 BST"]
    autumn = occurrences(first_day=date(2026, 10, 25), at=time(1, 30), tz=LONDON, every_weeks=0,
                         count=5)  # fmt: skip
    assert autumn == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]  # once: the count is ignored


def test_a_series_longer_than_the_limit_is_refused():
    with pytest.raises(ValidationError):
        weekly(count=27)


def test_one_date_taken_by_another_booking_books_nothing(person, session_type):
    starts = weekly()
    # Another client's session on the third Tuesday, ending inside it.
    BookingFactory(session_type=session_type, start=starts[2] - timedelta(minutes=30))
    with pytest.raises(BookedClash) as refused:
        book(person, session_type, starts, busy_confirmed=starts)  # confirming busy is no help
    assert refused.value.starts == [starts[2]]
    assert "Tue 27 Oct 2026 18:00" in refused.value.messages[0]
    assert Booking.objects.filter(client=person.client).count() == 0
    assert not OutboundEmail.objects.exists()


def test_buffers_count_as_the_constraint_counts_them(person, session_type):
    session_type.buffer_after_minutes = 15
    session_type.save()
    starts = weekly(count=1)
    BookingFactory(session_type=session_type, start=starts[0] + timedelta(minutes=70))
    with pytest.raises(BookedClash):
        book(person, session_type, starts)


def busy(session_type, start, end):
    feed = BusyCalendar.objects.create(
        calendar=session_type.calendar, name="Family", url="https://example.org/family.ics"
    )
    return BusyTime.objects.create(feed=feed, start=start, end=end)


def test_a_busy_time_warns_and_books_only_once_confirmed(person, session_type):
    starts = weekly()
    busy(session_type, starts[1], starts[1] + timedelta(hours=3))
    with pytest.raises(BusyClash) as warned:
        book(person, session_type, starts)
    assert warned.value.starts == [starts[1]]
    assert "busy at Tue 20 Oct 2026 18:00" in warned.value.messages[0]
    with pytest.raises(BusyClash):  # confirming other dates does not confirm this one
        book(person, session_type, starts, busy_confirmed=[starts[0]])
    assert not Booking.objects.exists()
    bookings = book(person, session_type, starts, busy_confirmed=[starts[1]])
    assert len(bookings) == 4


def test_outside_hours_and_inside_the_notice_the_coach_may_book(person, session_type, frozen):
    session_type.min_notice_minutes = 48 * 60
    session_type.save()
    soon = datetime(2026, 1, 5, 21, tzinfo=UTC)  # tonight, after the 17:00 close
    [booking] = book(person, session_type, [soon])
    assert booking.start == soon
    with pytest.raises(SlotPassed):
        book(person, session_type, [datetime(2026, 1, 5, 7, tzinfo=UTC)])


def test_each_session_is_confirmed_with_reminders_a_room_and_the_client_record(
    person, session_type
):
    session_type.location = "video"
    session_type.save()
    bookings = book(person, session_type, weekly(count=2))
    booking = bookings[0]
    assert (booking.name, booking.email) == ("Ada Lovelace", "ada@example.org")
    assert VideoRoom.objects.filter(booking__in=bookings).count() == 2
    assert ReminderDelivery.objects.filter(booking__in=bookings).count() == 4
    person.client.refresh_from_db()
    assert person.client.stage == Client.Stage.CLIENT


def test_the_client_gets_one_email_with_every_date_and_an_ics_each(person, session_type):
    person.client.time_zone = "America/New_York"
    person.client.save()
    bookings = book(person, session_type, weekly())
    [email] = OutboundEmail.objects.filter(to="ada@example.org")
    assert email.subject.startswith("Booked for you: 4 sessions")
    for expected in ("Tuesday 13 October 2026, 13:00–14:00 EDT", "Tuesday 3 November 2026, "
                     "13:00–14:00 EST"):  # fmt: skip
        assert expected in email.body_text and expected in email.body_html
    assert [part["filename"] for part in email.attachments] == [
        f"session-{n}.ics" for n in range(1, 5)
    ]
    for booking, part in zip(bookings, email.attachments, strict=True):
        event = Calendar.from_ical(part["content"]).walk("VEVENT")[0]
        assert event["DTSTART"].dt == booking.start
        assert str(booking.public_id) in str(event["UID"])
    assert OutboundEmail.objects.count() == 1  # the coach made them: no email to her


def test_the_built_message_carries_every_ics_part(person, session_type):
    from coaching.emails import build_message

    book(person, session_type, weekly(count=3))
    message = build_message(OutboundEmail.objects.get()).message()
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 3


def package(person, sessions=6):
    return Package.objects.create(
        client=person.client, name="Six sessions", sessions=sessions,
        starts_at=datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip


def test_each_session_counts_against_the_clients_package(person, session_type):
    six = package(person)
    bookings = book(person, session_type, weekly())
    assert {booking.package for booking in bookings} == {six}
    email = OutboundEmail.objects.get()
    assert "part of your package: Six sessions" in email.body_text
    exported = export(person.client)["bookings"]
    assert [row["package"] for row in exported] == ["Six sessions"] * 4


def test_a_series_longer_than_what_the_package_has_left_is_refused(person, session_type):
    package(person)
    book(person, session_type, weekly(count=4))
    with pytest.raises(ValidationError) as refused:
        book(person, session_type, weekly(count=3, first_day=date(2026, 12, 1)))
    assert refused.value.messages == [
        "Six sessions has 2 sessions left to book and this series has 3. Book 2, or add a "
        "package on the client's page first."
    ]
    assert Booking.objects.count() == 4


def test_a_cancelled_session_gives_its_place_in_the_package_back(person, session_type):
    package(person, sessions=2)
    first, _ = book(person, session_type, weekly(count=2))
    booking_cancel(booking=first, by_coach=True)
    [again] = book(person, session_type, weekly(count=1, first_day=date(2026, 12, 1)))
    assert again.package is not None


def test_a_used_up_package_or_a_free_session_links_to_none(person, session_type, free_call):
    package(person, sessions=1)
    book(person, session_type, weekly(count=1))
    [beyond] = book(person, session_type, weekly(count=1, first_day=date(2026, 12, 1)))
    assert beyond.package is None
    [call] = book(person, free_call, weekly(count=1, first_day=date(2026, 12, 8)))
    assert call.package is None


def test_a_client_without_a_person_cannot_be_booked(session_type):
    with pytest.raises(ValidationError, match="Add a person"):
        booking_series_create(
            client=Client.objects.create(), session_type=session_type, starts=weekly(count=1)
        )


def test_the_same_request_twice_books_once_and_sends_one_email(person, session_type):
    first = book(person, session_type, weekly(), idempotency_key="form-1")
    again = book(person, session_type, weekly(), idempotency_key="form-1")
    assert [booking.pk for booking in again] == [booking.pk for booking in first]
    assert OutboundEmail.objects.count() == 1
    with pytest.raises(IdempotencyConflict):  # the same form sent back with another time
        book(person, session_type, weekly(at=time(19)), idempotency_key="form-1")
    assert Booking.objects.count() == 4
