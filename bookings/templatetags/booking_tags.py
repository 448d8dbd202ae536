from django import template

from bookings.formatting import time_range, zone_label

register = template.Library()


@register.filter
def when(booking, zone):
    """A booking's time in `zone`, with the zone named: "Monday 5 January 2026, 09:00–10:00 GMT
    (Europe/London)"."""
    return time_range(booking.start, booking.end, zone) if booking and zone else ""


@register.filter
def zone_name(moment, zone):
    return zone_label(moment, zone) if moment and zone else ""
