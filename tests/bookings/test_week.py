"""The coach's week (a time grid with her hours and time off) and the sessions booked in her
time off, warned about when she adds it (issue 12, item 12)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse

from bookings.models import AvailabilityException, Booking, WeeklyHours
from bookings.week import ROW_MINUTES, time_off_clashes, week_view
from tests.bookings.factories import BookingFactory, SessionTypeFactory

pytestmark = pytest.mark.usefixtures("frozen")

MONDAY = date(2026, 1, 5)  # the frozen today; London is on UTC in January
WEDNESDAY_10 = datetime(2026, 1, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def weekdays(db):
    """Open 09:00-17:00 Monday to Friday; weekends are not working days."""
    session_type = SessionTypeFactory()
    for weekday in range(5):
        WeeklyHours.objects.create(
            calendar=session_type.calendar, weekday=weekday, start=time(9), end=time(17)
        )
    return session_type


def day_off(calendar, day, start=None, end=None):
    return AvailabilityException.objects.create(
        calendar=calendar, date=day, kind="off", start=start, end=end
    )


def test_the_week_marks_days_off_and_days_without_hours(weekdays):
    calendar = weekdays.calendar
    day_off(calendar, date(2026, 1, 8))
    day_off(calendar, date(2026, 1, 9), time(13), time(15))
    week = week_view(calendar, MONDAY)
    states = [day.state for day in week.days]
    assert states == ["open", "open", "open", "day_off", "open", "not_working", "not_working"]
    friday = week.days[4]
    assert [(s.start, s.end) for s in friday.time_off] == [(time(13), time(15))]
    assert [(s.start, s.end) for s in friday.open] == [(time(9), time(13)), (time(15), time(17))]
    assert week.days[0].is_today and not week.days[1].is_today


def test_bookings_are_placed_on_the_grid_by_their_time(weekdays):
    booking = BookingFactory(session_type=weekdays, start=WEDNESDAY_10)
    week = week_view(weekdays.calendar, MONDAY)
    assert [hour.start for hour in week.hours][:1] == [time(8)]  # 08:00 to 18:00 at least
    assert week.rows == 10 * 60 // ROW_MINUTES
    [placed] = week.days[2].bookings
    assert placed.booking == booking and not placed.in_time_off
    per_hour = 60 // ROW_MINUTES
    assert (placed.span.rows.first, placed.span.rows.last) == (2 * per_hour + 1, 3 * per_hour + 1)
    assert week.days[2].open[0].rows.first == per_hour + 1  # 09:00


def test_the_grid_widens_for_an_early_or_late_session(weekdays):
    BookingFactory(session_type=weekdays, start=datetime(2026, 1, 6, 19, 30, tzinfo=UTC))
    BookingFactory(session_type=weekdays, start=datetime(2026, 1, 7, 7, 0, tzinfo=UTC))
    week = week_view(weekdays.calendar, MONDAY)
    assert (week.hours[0].start, week.hours[-1].start) == (time(7), time(20))


def test_a_summer_session_is_placed_at_its_london_time(weekdays):
    BookingFactory(session_type=weekdays, start=datetime(2026, 6, 17, 9, 0, tzinfo=UTC))
    week = week_view(weekdays.calendar, date(2026, 6, 15))
    [placed] = week.days[2].bookings
    assert placed.span.start == time(10)  # 09:00 UTC is 10:00 in London in June


def test_a_session_in_time_off_is_flagged_on_the_week(weekdays):
    day_off(weekdays.calendar, WEDNESDAY_10.date(), time(9, 30), time(10, 30))
    BookingFactory(session_type=weekdays, start=WEDNESDAY_10)
    week = week_view(weekdays.calendar, MONDAY)
    assert week.days[2].bookings[0].in_time_off


def test_clashes_are_the_active_sessions_that_overlap_the_time_off(weekdays):
    calendar = weekdays.calendar
    inside = BookingFactory(session_type=weekdays, start=WEDNESDAY_10)
    BookingFactory(
        session_type=weekdays, start=WEDNESDAY_10 + timedelta(hours=2), status="cancelled"
    )
    BookingFactory(session_type=weekdays, start=WEDNESDAY_10 + timedelta(days=1))  # Thursday
    BookingFactory(session_type=weekdays, start=WEDNESDAY_10 - timedelta(hours=1))  # 09:00-10:00
    morning = day_off(calendar, WEDNESDAY_10.date(), time(10), time(12))
    whole = day_off(calendar, date(2026, 1, 10))  # a Saturday with nothing booked
    assert time_off_clashes(calendar=calendar, exceptions=[morning, whole]) == [(morning, [inside])]


def test_the_week_page_shows_the_grid_and_the_day_off(coach_client, weekdays):
    day_off(weekdays.calendar, date(2026, 1, 8))
    booking = BookingFactory(session_type=weekdays, start=WEDNESDAY_10, name="Ana Lopez")
    page = coach_client.get(reverse("bookings_coach:week"), {"start": "2026-01-07"}).text
    assert "Day off" in page and page.count("Not working") == 2
    assert "10:00–11:00" in page and "Ana Lopez" in page
    rows = week_view(weekdays.calendar, MONDAY).days[2].bookings[0].span.rows
    assert f".rows-{rows.first}-{rows.last} {{ grid-row: {rows.first} / {rows.last}; }}" in page
    assert reverse("bookings_coach:detail", args=[booking.pk]) in page


def test_the_week_page_costs_the_same_queries_however_full_the_week(
    coach_client, weekdays, django_assert_max_num_queries
):
    url = reverse("bookings_coach:week")
    day_off(weekdays.calendar, date(2026, 1, 10))
    BookingFactory(session_type=weekdays, start=WEDNESDAY_10)
    coach_client.get(url)  # the site settings row is created on the first page
    # session, user, site settings; calendar, hours, time off, bookings
    with django_assert_max_num_queries(7) as few:
        coach_client.get(url)
    for n in range(20):
        start = datetime(2026, 1, 5 + n % 5, 12 + n // 5, tzinfo=UTC)
        BookingFactory(session_type=weekdays, start=start)
        day_off(weekdays.calendar, start.date(), time(20, n), time(20, n + 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        coach_client.get(url)


def test_time_off_over_a_session_is_saved_and_warns_with_links_to_move_or_cancel(
    coach_client, weekdays
):
    booking = BookingFactory(session_type=weekdays, start=WEDNESDAY_10, name="Ana Lopez")
    response = coach_client.post(
        reverse("bookings_coach:exception_add"), {"date": "2026-01-07", "kind": "off"}, follow=True
    )
    assert AvailabilityException.objects.filter(date="2026-01-07", start=None).exists()
    page = response.text
    assert "Added, but 1 booked session falls in it: move or cancel it below." in page
    assert "Sessions booked in your time off" in page and "Ana Lopez" in page
    assert reverse("bookings_coach:move", args=[booking.pk]) in page
    assert f"{reverse('bookings_coach:detail', args=[booking.pk])}#actions-title" in page
    Booking.objects.filter(pk=booking.pk).update(status="cancelled")
    later = coach_client.get(reverse("bookings_coach:hours")).text
    assert "Sessions booked in your time off" not in later  # gone once it is dealt with


def test_time_off_over_nothing_booked_is_simply_added(coach_client, weekdays):
    response = coach_client.post(
        reverse("bookings_coach:exception_add"), {"date": "2026-01-07", "kind": "off"}, follow=True
    )
    assert "Added." in response.text and "Sessions booked in your time off" not in response.text
