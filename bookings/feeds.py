"""The calendar reader: the coach's own calendars (private ICS addresses) become busy times.

Only workers read a feed (`bookings.tasks.read_busy_calendars`, every few minutes from beat); the
booking pages read the stored `BusyTime` rows, so a feed that is down, slow or malformed never
slows a page. A good read replaces the calendar's busy rows in one transaction; a failed read keeps
the last known ones (they go on blocking) and records the error for the coach's dashboard.
Only start and end are kept: never a title, a description or an attendee.
"""

import ipaddress
import socket
import time as clock
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from bookings.models import BusyCalendar, BusyTime
from coaching.emails import absolute_url, send_email
from coaching.models import SiteSettings

MAX_BYTES = 5 * 1024 * 1024

HORIZON = timedelta(days=120)


class FeedError(Exception):
    """Why a calendar could not be read, in words the coach can act on."""


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime


def check_address(url: str) -> None:
    """Refuse an address that is not http(s) or that points inside the server's network."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError("The address must start with https:// (or http://).")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FeedError("That address's server could not be found.") from error
    allow_loopback = getattr(settings, "BUSY_CALENDAR_ALLOW_LOOPBACK", False)
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_loopback and allow_loopback:
            continue
        if not address.is_global:
            raise FeedError("That address points to a private network, which is not allowed.")


def fetch(feed: BusyCalendar) -> bytes | None:
    """The feed's body, or None when it has not changed since the last good read (304)."""
    check_address(feed.url)
    headers = {"User-Agent": "coaching-calendar-reader"}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        with requests.get(
            feed.url,
            headers=headers,
            timeout=settings.BUSY_CALENDAR_TIMEOUT,
            stream=True,
            allow_redirects=False,
        ) as response:
            if response.status_code == 304:
                return None
            if response.status_code != 200:
                raise FeedError(f"The calendar's server answered {response.status_code}.")
            body = b""
            deadline = clock.monotonic() + 2 * settings.BUSY_CALENDAR_TIMEOUT
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_BYTES:
                    raise FeedError("The calendar is larger than 5 MB, so it was not read.")
                if clock.monotonic() > deadline:  # a server that drips its answer
                    raise FeedError("The calendar's server took too long to answer.")
            feed.etag = response.headers.get("ETag", "")[:200]
            feed.last_modified = response.headers.get("Last-Modified", "")[:100]
            return body
    except requests.Timeout as error:
        raise FeedError("The calendar's server took too long to answer.") from error
    except requests.RequestException as error:
        raise FeedError("The calendar's server could not be reached.") from error


def busy_intervals(body: bytes, *, zone: ZoneInfo, start: datetime, end: datetime):
    """Expanded busy intervals (UTC) between start and end; all-day events in the calendar's
    zone (X-WR-TIMEZONE, else the coach's). Transparent and cancelled events do not block."""
    try:
        calendar = icalendar.Calendar.from_ical(body)
        wr_zone = calendar.get("X-WR-TIMEZONE")
        if wr_zone:
            zone = ZoneInfo(str(wr_zone))
        events = recurring_ical_events.of(calendar).between(start, end)
    except Exception as error:  # the library raises many kinds on bad input
        raise FeedError(
            "The calendar could not be understood (it is not a valid ICS file)."
        ) from error
    intervals = []
    for event in events:
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        begin = _instant(event["DTSTART"].dt, zone)
        finish = _end(event, zone)
        if finish <= begin and "DTEND" in event:
            # A start inside a spring-forward gap is read an hour early and can fall after its
            # end: the coach is still busy for the length the calendar shows.
            finish = begin + _wall_length(event)
        intervals.append(Interval(begin, finish))
    return [i for i in intervals if i.end > i.start]


def _wall_length(event) -> timedelta:
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return timedelta(0)
    return end.replace(tzinfo=None) - start.replace(tzinfo=None)


def _instant(value, zone: ZoneInfo) -> datetime:
    if not isinstance(value, datetime):  # an all-day date: midnight in the calendar's zone
        value = datetime.combine(value, time.min, zone)
    elif value.tzinfo is None:  # floating time: the calendar's zone
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _end(event, zone: ZoneInfo) -> datetime:
    if "DTEND" in event:
        return _instant(event["DTEND"].dt, zone)
    start = event["DTSTART"].dt
    if "DURATION" in event:
        if isinstance(start, date) and not isinstance(start, datetime):
            return _instant(start + event["DURATION"].dt, zone)
        return _instant(start, zone) + event["DURATION"].dt
    if not isinstance(start, datetime):
        return _instant(start + timedelta(days=1), zone)
    return _instant(start, zone)


def busy_calendar_read(*, feed_id: int, now: datetime) -> None:
    """Read one calendar and replace its busy times; on failure keep them and note the error."""
    feed = BusyCalendar.objects.select_related("calendar").get(pk=feed_id)
    try:
        body = fetch(feed)
        intervals = None
        if body is not None:
            intervals = busy_intervals(
                body, zone=feed.calendar.zone, start=now - timedelta(days=1), end=now + HORIZON
            )
    except FeedError as error:
        BusyCalendar.objects.filter(pk=feed.pk).update(
            last_error=str(error)[:300], failing_since=feed.failing_since or now
        )
        cache.delete(FAILING_KEY)
        return
    with transaction.atomic():
        if intervals is not None:
            BusyTime.objects.filter(feed=feed).delete()
            BusyTime.objects.bulk_create(
                BusyTime(feed=feed, start=i.start, end=i.end) for i in intervals
            )
        BusyCalendar.objects.filter(pk=feed.pk).update(
            etag=feed.etag,
            last_modified=feed.last_modified,
            last_read_at=now,
            last_error="",
            failing_since=None,
            alert_claimed_at=None,
        )
        transaction.on_commit(lambda: cache.delete(FAILING_KEY))


def busy_calendar_add(*, calendar, name: str, url: str) -> BusyCalendar:
    """Save one of the coach's calendars; its address is checked now and at every read."""
    try:
        check_address(url)
    except FeedError as error:
        raise ValidationError(str(error)) from error
    feed = BusyCalendar.objects.create(calendar=calendar, name=name, url=url.strip())
    cache.delete(FAILING_KEY)
    return feed


def busy_calendar_remove(*, feed: BusyCalendar) -> None:
    """Forget a calendar and the busy times it gave (they stop blocking at once)."""
    feed.delete()
    cache.delete(FAILING_KEY)


def _unread_since(cutoff: datetime):
    """Calendars whose last error stands and that have not been read well since `cutoff`."""
    return BusyCalendar.objects.exclude(last_error="").filter(
        Q(last_read_at__lte=cutoff) | Q(last_read_at__isnull=True, created_at__lte=cutoff)
    )


# The dashboard's list is cached (deleted by every read, addition and removal) so that the
# dashboard keeps its query budget; a calendar crosses the alert threshold up to a minute late.
FAILING_KEY = "bookings:failing-calendars"
FAILING_TTL = 60


def failing_calendars(*, now: datetime) -> list[BusyCalendar]:
    """What the coach's dashboard names: calendars unread for BUSY_CALENDAR_ALERT_MINUTES."""
    cutoff = now - timedelta(minutes=settings.BUSY_CALENDAR_ALERT_MINUTES)
    return cache.get_or_set(
        FAILING_KEY, lambda: list(_unread_since(cutoff).order_by("name")), FAILING_TTL
    )


def busy_calendar_alerts_send(*, now: datetime) -> int:
    """One email per calendar unread for BUSY_CALENDAR_EMAIL_HOURS, claimed once (a good read
    clears the claim, so a later outage emails again)."""
    cutoff = now - timedelta(hours=settings.BUSY_CALENDAR_EMAIL_HOURS)
    sent = 0
    for feed in _unread_since(cutoff).filter(alert_claimed_at__isnull=True):
        with transaction.atomic():
            claimed = BusyCalendar.objects.filter(pk=feed.pk, alert_claimed_at__isnull=True)
            if not claimed.update(alert_claimed_at=now):
                continue
            send_email(
                to=SiteSettings.load().coach_email,
                template="busy_calendar_unread",
                context={
                    "feed": feed,
                    "calendars_url": absolute_url(reverse("bookings_coach:calendars")),
                },
                related=feed,
            )
            sent += 1
    return sent
