"""How bookings are described to people: titles (discreet or not), places and times in a zone."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from coaching.models import SiteSettings


def booking_title(booking, site: SiteSettings | None = None) -> str:
    """What invites, subjects and reminders call the session.

    In discreet mode only "Appointment with <first name>": invites land on shared calendars
    and lock screens, so nothing may hint at relationships or intimacy.
    """
    site = site or SiteSettings.load()
    # The coach may make a client discreet after the booking: honour it at every send.
    if booking.discreet or (booking.client_id and booking.client.discreet):
        return f"Appointment with {site.coach_first_name}"
    return f"{booking.session_type.name} with {site.coach_first_name}"


VIDEO_LINK_LATER = "Video call (your private link follows by email)"


def where(booking) -> str:
    """Where the session happens: a video booking's own private room (never the session type's
    shared link), or the session type's phone note or address."""
    session_type = booking.session_type
    if session_type.location == "video":
        if booking.join_url:
            return f"Video call: {booking.join_url}"
        return VIDEO_LINK_LATER if booking.is_active else "Video call"
    detail = session_type.location_detail
    label = session_type.get_location_display()
    return f"{label}: {detail}" if detail else label


def zone_label(moment: datetime, tz: ZoneInfo) -> str:
    """The zone named twice over: its abbreviation at that moment and its IANA name."""
    abbreviation = moment.astimezone(tz).tzname() or ""
    return f"{abbreviation} ({tz.key})" if abbreviation and abbreviation != tz.key else tz.key


def time_range(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """e.g. "Monday 30 March 2026, 10:00–10:45 BST (Europe/London)"."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    return (
        f"{local_start:%A} {local_start.day} {local_start:%B %Y}, "
        f"{local_start:%H:%M}–{local_end:%H:%M} {zone_label(start, tz)}"
    )


def how_soon(start: datetime, now: datetime) -> str:
    """ "in 23 hours", "in 40 minutes": elapsed time, rounded down to something readable."""
    left = max(start - now, timedelta(0))
    hours, minutes = divmod(int(left.total_seconds() // 60), 60)
    if hours >= 2:
        return f"in {hours} hours"
    if hours == 1:
        return f"in 1 hour {minutes} minutes" if minutes else "in 1 hour"
    return f"in {minutes} minutes"
