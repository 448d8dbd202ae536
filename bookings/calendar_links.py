"""“Add to calendar” links for the confirmation page: Google Calendar's and Outlook.com's own
new-event pages filled in, beside the booking's .ics (Apple Calendar and every other).

Only what the event needs travels in these URLs, to another company's servers: its title (the
invites' title, so neutral in discreet mode), its times in UTC and its place (a video booking's
private room, which the booker's calendar needs to join it; the room's name says nothing).
Never the client's name or email, and never the manage link, which is a key to the booking.
"""

from dataclasses import dataclass
from datetime import UTC
from urllib.parse import quote, urlencode

from bookings.formatting import booking_title, where
from bookings.forms import slot_id

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/deeplink/compose"
DETAILS = "To move or cancel, use the link in your confirmation email."


@dataclass(frozen=True)
class CalendarLinks:
    google: str
    outlook: str


def calendar_links(booking) -> CalendarLinks:
    """The booking's links: times in UTC, which both pages show in the calendar's own zone."""
    title, place, tz = booking_title(booking), booking.join_url or where(booking), booking.zone
    google = {
        "action": "TEMPLATE", "text": title, "details": DETAILS, "location": place,
        # Google reads times in the basic UTC form of slot ids; `ctz` names the booker's zone.
        "dates": f"{slot_id(booking.start)}/{slot_id(booking.end)}", "ctz": tz.key,
    }  # fmt: skip
    outlook = {
        "path": "/calendar/action/compose", "rru": "addevent", "subject": title, "body": DETAILS,
        "location": place, "startdt": _utc(booking.start), "enddt": _utc(booking.end),
    }  # fmt: skip
    return CalendarLinks(google=_url(GOOGLE, google), outlook=_url(OUTLOOK, outlook))


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _url(base: str, params: dict) -> str:
    # Spaces as %20: not every calendar's page reads a "+" in a query as a space.
    return f"{base}?{urlencode(params, quote_via=quote)}"
