from django import template

from bookings.formatting import time_range

register = template.Library()


@register.filter
def when(booking, zone):
    """A booking's time in `zone`, with the zone named: "Monday 5 January 2026, 09:00–10:00 GMT
    (Europe/London)"."""
    return time_range(booking.start, booking.end, zone) if booking and zone else ""


@register.filter
def short_when(booking, zone):
    """ "Mon 23 Nov, 10:00–10:45" in `zone`, for tables whose header names the zone."""
    start, end = booking.start.astimezone(zone), booking.end.astimezone(zone)
    return f"{start:%a} {start.day} {start:%b}, {start:%H:%M}–{end:%H:%M}"
