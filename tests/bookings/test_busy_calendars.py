"""The calendar reader: fixture feeds on a local server become busy times that slots avoid."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings import availability, feeds
from bookings.forms import slot_id
from bookings.models import Booking, BusyCalendar, BusyTime
from tests.bookings.conftest import NOW
from tests.bookings.feed_server import feed_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    with feed_server() as server:
        yield server


def add_feed(session_type, url, name="Family"):
    return BusyCalendar.objects.create(calendar=session_type.calendar, name=name, url=url)


def busy(feed):
    return sorted((row.start, row.end) for row in BusyTime.objects.filter(feed=feed))


def at(*args):
    return datetime(*args, tzinfo=UTC)


def test_outlook_feed_expands_rrule_exdate_dst_moved_rdate_all_day(session_type, server):
    feed = add_feed(session_type, f"{server.url}/outlook.ics")
    feeds.busy_calendar_read(feed_id=feed.pk, now=NOW)
    assert busy(feed) == [
        (at(2026, 1, 9, 10), at(2026, 1, 9, 11)),
        (at(2026, 1, 16, 14), at(2026, 1, 16, 15)),  # moved from 10:00 (RECURRENCE-ID)
        (at(2026, 1, 20), at(2026, 1, 21)),  # all day in London
        (at(2026, 1, 23, 10), at(2026, 1, 23, 11)),
        (at(2026, 1, 27, 10), at(2026, 1, 27, 11)),  # RDATE
        (at(2026, 3, 18, 18), at(2026, 3, 18, 19, 30)),
        (at(2026, 3, 25, 18), at(2026, 3, 25, 19, 30)),
        # 1 April excluded (EXDATE); after the clocks change 18:00 London is 17:00 UTC
        (at(2026, 4, 8, 17), at(2026, 4, 8, 18, 30)),
    ]  # the cancelled (12 Jan) and transparent (13 Jan) events do not block
    feed.refresh_from_db()
    assert feed.last_read_at == NOW and not feed.last_error and feed.etag == '"v1"'


def test_google_x_wr_timezone_keeps_local_time_and_all_day_in_that_zone(session_type, server):
    feed = add_feed(session_type, f"{server.url}/google.ics")
    feeds.busy_calendar_read(feed_id=feed.pk, now=NOW)
    assert busy(feed) == [
        (at(2026, 1, 21, 5), at(2026, 1, 22, 5)),  # an all-day date in New York
        (at(2026, 3, 2, 23), at(2026, 3, 3)),
        (at(2026, 3, 9, 22), at(2026, 3, 9, 23)),  # 18:00 New York after its clocks changed
        (at(2026, 3, 16, 22), at(2026, 3, 16, 23)),
    ]


def test_titles_and_attendees_are_never_stored(session_type, server):
    feed = add_feed(session_type, f"{server.url}/outlook.ics")
    feeds.busy_calendar_read(feed_id=feed.pk, now=NOW)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM bookings_busytime")
        stored = repr(cursor.fetchall())
        cursor.execute("SELECT url FROM bookings_busycalendar")
        address = cursor.fetchone()[0]
    assert "Choir" not in stored and "friend@" not in stored
    assert "127.0.0.1" not in address  # the address is stored encrypted


def test_not_modified_keeps_busy_times_and_sends_the_etag(session_type, server):
    feed = add_feed(session_type, f"{server.url}/outlook.ics")
    feeds.busy_calendar_read(feed_id=feed.pk, now=NOW)
    before = busy(feed)
    later = NOW + timedelta(minutes=5)
    feeds.busy_calendar_read(feed_id=feed.pk, now=later)
    assert busy(feed) == before
    feed.refresh_from_db()
    assert feed.last_read_at == later and not feed.last_error
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("malformed.ics", "not a valid ICS file"),
        ("huge.ics", "larger than 5 MB"),
        ("slow.ics", "took too long"),
        ("gone.ics", "answered 404"),
    ],
)
def test_a_bad_read_keeps_the_last_busy_times_and_says_why(session_type, server, name, words):
    feed = add_feed(session_type, f"{server.url}/outlook.ics")
    feeds.busy_calendar_read(feed_id=feed.pk, now=NOW)
    before = busy(feed)
    BusyCalendar.objects.filter(pk=feed.pk).update(url=f"{server.url}/{name}", etag="")
    later = NOW + timedelta(minutes=5)
    feeds.busy_calendar_read(feed_id=feed.pk, now=later)
    feed.refresh_from_db()
    assert busy(feed) == before
    assert words in feed.last_error and feed.failing_since == later
    assert feed.last_read_at == NOW


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/a.ics", "file:///etc/passwd", "http://10.0.0.1/a.ics",
     "http://169.254.169.254/latest", "http://[fd00::1]/a.ics", "webcal://x"],
)  # fmt: skip
def test_addresses_that_are_not_public_http_are_refused(url):
    with pytest.raises(feeds.FeedError):
        feeds.check_address(url)


def test_loopback_is_refused_unless_the_setting_allows_it(settings, session_type, server):
    settings.BUSY_CALENDAR_ALLOW_LOOPBACK = False
    feed = add_feed(session_type, f"{server.url}/outlook.ics")
    feeds.busy_calendar_read(feed_id=feed.pk, now=NOW)
    feed.refresh_from_db()
    assert "private network" in feed.last_error and server.requests == []


def test_slots_avoid_busy_times_in_the_same_queries(session_type, server, frozen):
    day = date(2026, 1, 9)
    offered_before = availability.slots_for(session_type, start_date=day, days=1)
    feed = add_feed(session_type, f"{server.url}/outlook.ics")
    feeds.busy_calendar_read(feed_id=feed.pk, now=NOW)
    with CaptureQueriesContext(connection) as queries:
        offered = availability.slots_for(session_type, start_date=day, days=1)
    assert len(queries) <= 4
    busy_start, busy_end = at(2026, 1, 9, 10), at(2026, 1, 9, 11)
    assert any(s.start < busy_end and busy_start < s.end for s in offered_before)
    assert not any(s.start < busy_end and busy_start < s.end for s in offered)
    assert not availability.is_bookable(session_type, at(2026, 1, 9, 10))


def test_coach_adds_a_calendar_and_sees_it_masked(coach_client, server):
    url = f"{server.url}/outlook.ics?secret=abc123"
    response = coach_client.post(
        reverse("bookings_coach:calendars"), {"name": "Family", "url": url}, follow=True
    )
    assert "Family" in response.text and "secret=abc123" not in response.text
    assert BusyCalendar.objects.get().url == url


def test_coach_cannot_add_a_private_network_address(coach_client, settings):
    settings.BUSY_CALENDAR_ALLOW_LOOPBACK = False
    response = coach_client.post(
        reverse("bookings_coach:calendars"), {"name": "Work", "url": "http://127.0.0.1/a.ics"}
    )
    assert response.status_code == 200 and "private network" in response.text
    assert not BusyCalendar.objects.exists()


def test_coach_removes_a_calendar_and_its_busy_times(coach_client, session_type, server):
    feed = add_feed(session_type, f"{server.url}/outlook.ics")
    feeds.busy_calendar_read(feed_id=feed.pk, now=NOW)
    coach_client.post(reverse("bookings_coach:calendar_remove", args=[feed.pk]))
    assert not BusyTime.objects.exists()


def test_dashboard_names_an_unread_calendar_after_the_set_time(
    coach_client, session_type, server, settings
):
    feed = add_feed(session_type, f"{server.url}/gone.ics", name="Family diary")
    feeds.busy_calendar_read(feed_id=feed.pk, now=timezone.now())
    assert "Family diary" not in coach_client.get(reverse("coaching:dashboard")).text  # not yet
    BusyCalendar.objects.filter(pk=feed.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.BUSY_CALENDAR_ALERT_MINUTES + 1)
    )
    cache.delete(feeds.FAILING_KEY)  # the dashboard's cached list lasts a minute at most
    page = coach_client.get(reverse("coaching:dashboard")).text
    assert "Family diary" in page and "answered 404" in page


def test_one_email_after_a_day_unread_and_again_after_a_good_read(
    session_type, server, mailoutbox, django_capture_on_commit_callbacks
):
    feed = add_feed(session_type, f"{server.url}/gone.ics", name="Family diary")
    feeds.busy_calendar_read(feed_id=feed.pk, now=NOW)
    BusyCalendar.objects.filter(pk=feed.pk).update(created_at=NOW)
    assert feeds.busy_calendar_alerts_send(now=NOW + timedelta(hours=23)) == 0
    day_later = NOW + timedelta(hours=24, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert feeds.busy_calendar_alerts_send(now=day_later) == 1
    assert feeds.busy_calendar_alerts_send(now=day_later + timedelta(minutes=5)) == 0
    assert len(mailoutbox) == 1 and "Family diary" in mailoutbox[0].subject
    assert "127.0.0.1" not in mailoutbox[0].body  # the secret address is never emailed
    BusyCalendar.objects.filter(pk=feed.pk).update(url=f"{server.url}/outlook.ics")
    feeds.busy_calendar_read(feed_id=feed.pk, now=day_later)
    feed.refresh_from_db()
    assert feed.alert_claimed_at is None and not feed.last_error


def test_the_public_form_refuses_a_time_that_became_busy(client, session_type, server, frozen):
    form = reverse("bookings:form", args=[session_type.slug])
    data = {
        "name": "Ada Lovelace", "email": "ada@example.org", "consent": "on",
        "start": slot_id(at(2026, 1, 9, 10)), "time_zone": "Asia/Tokyo", "website": "",
    }  # fmt: skip
    feed = add_feed(session_type, f"{server.url}/outlook.ics")
    feeds.busy_calendar_read(feed_id=feed.pk, now=NOW)
    response = client.post(form, data)
    assert response.status_code != 303 and not Booking.objects.exists()
    response = client.post(form, {**data, "start": slot_id(at(2026, 1, 9, 12))})
    assert response.status_code == 303 and Booking.objects.count() == 1


def test_the_beat_task_reads_every_calendar_and_a_second_run_changes_nothing(session_type, server):
    from bookings.tasks import read_busy_calendars

    outlook = add_feed(session_type, f"{server.url}/outlook.ics")
    google = add_feed(session_type, f"{server.url}/google.ics", name="Google")
    read_busy_calendars.delay()  # the fixtures' events are past by now: nothing to block
    read_busy_calendars.delay()
    assert len(server.requests) == 4  # each calendar read on each run
    for feed in (outlook, google):
        feed.refresh_from_db()
        assert feed.last_read_at and not feed.last_error and busy(feed) == []
