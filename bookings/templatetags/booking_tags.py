from django import template
from django.utils.html import format_html

from bookings.formatting import time_range

register = template.Library()

# The server writes 24-hour clocks; site.js rewrites the clocks of a <time data-zone> in the
# visitor's own convention (1:30 PM or 13:30, from the browser's locale), so without
# JavaScript the text still reads right.
CLOCK_HTML = '<time datetime="{}" data-zone="{}">{}</time>'
RANGE_HTML = '<time datetime="{}" data-end="{}" data-zone="{}">{}</time>'


@register.filter
def when(booking, zone):
    """A booking's time in `zone`, with the zone named: "Monday 5 January 2026, 09:00–10:00 GMT
    (Europe/London)"."""
    return period(booking.start, booking.end, zone) if booking and zone else ""


@register.simple_tag
def period(start, end, zone):
    text = time_range(start, end, zone)
    return format_html(RANGE_HTML, start.isoformat(), end.isoformat(), zone.key, text)


@register.filter
def clock(moment, zone):
    """ "09:30" in `zone`, for a slot whose day is said elsewhere."""
    local = moment.astimezone(zone)
    return format_html(CLOCK_HTML, moment.isoformat(), zone.key, f"{local:%H:%M}")


@register.filter
def short_when(booking, zone):
    """ "Mon 23 Nov, 10:00–10:45" in `zone`, for tables whose header names the zone."""
    start, end = booking.start.astimezone(zone), booking.end.astimezone(zone)
    return f"{start:%a} {start.day} {start:%b}, {start:%H:%M}–{end:%H:%M}"
