"""iCalendar files: one per booking email (stable UID, rising SEQUENCE) and the coach's feed."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress

from bookings.formatting import booking_title, where
from coaching.models import SiteSettings

PRODID = "-//Coaching practice//Bookings//EN"


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def uid(booking) -> str:
    """The same for every version of one booking, so calendars update the event in place."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"booking-{booking.public_id}@{host}"


def _event(booking, *, summary: str, cancelled: bool, site: SiteSettings) -> Event:
    event = Event()
    event.add("uid", uid(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", booking.start.astimezone(UTC))
    event.add("dtend", booking.end.astimezone(UTC))
    event.add("summary", summary)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # A video booking's LOCATION is its room's address alone (calendars make it a join
    # button), and URL too; others keep the session type's place.
    event.add("location", booking.join_url or where(booking))
    if booking.join_url:
        event.add("url", booking.join_url)
    organizer = vCalAddress(f"mailto:{site.coach_email}")
    organizer.params["cn"] = site.coach_first_name if booking.discreet else site.coach_name
    event.add("organizer", organizer)
    return event


def booking_invite(booking, *, cancelled: bool = False, description: str = "") -> str:
    """The .ics attached to the booker's emails; METHOD:CANCEL once the booking is cancelled."""
    site = SiteSettings.load()
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    event = _event(booking, summary=booking_title(booking, site), cancelled=cancelled, site=site)
    attendee = vCalAddress(f"mailto:{booking.email}")
    attendee.params["cn"] = booking.name
    attendee.params["role"] = "REQ-PARTICIPANT"
    event.add("attendee", attendee)
    if description:
        event.add("description", description)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def booking_event(booking) -> str:
    """The booking as an event to add (the confirmation page's download): the invites' UID, so
    the emailed updates still apply to it, and no attendee, so it is not taken for an invitation."""
    site = SiteSettings.load()
    calendar = _calendar("PUBLISH")
    event = _event(booking, summary=booking_title(booking, site), cancelled=False, site=site)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def attachment(booking, *, filename: str = "invite.ics", **kwargs) -> dict:
    method = "CANCEL" if kwargs.get("cancelled") else "REQUEST"
    return {
        "filename": filename,
        "content": booking_invite(booking, **kwargs),
        "mimetype": f"text/calendar; method={method}; charset=utf-8",
    }


def coach_feed(bookings) -> str:
    """The coach's private feed: the active bookings, with who and what (discreet ones: who)."""
    site = SiteSettings.load()
    calendar = _calendar()
    calendar.add("x-wr-calname", f"{site.site_name} bookings")
    for booking in bookings:
        # A phone's lock screen is seen by others too: a discreet booking stays discreet.
        first_name = booking.name.split()[0] if booking.name.split() else ""
        summary = (
            f"Appointment: {first_name}"
            if booking.discreet
            else f"{booking.session_type.name}: {booking.name}"
        )
        calendar.add_component(_event(booking, summary=summary, cancelled=False, site=site))
    return calendar.to_ical().decode()
