"""Extension points of bookings: other apps (payments) act on a booking's events and add to its
pages without bookings importing them. Only declarations; see `coaching/hooks.py`."""

from collections.abc import Callable

from django.http import HttpRequest

from bookings.models import Booking, SessionType
from clients.models import Package
from coaching.hooks import Hook, Panel

# A booking was just cancelled, inside the cancelling transaction: (booking, by_coach), e.g.
# refund it by the session type's policy once the transaction commits.
booking_cancelled: Hook[Callable[[Booking, bool], None]] = Hook("booking_cancelled")

# Parts of the public "Book a session" page under its session types (e.g. packages to buy).
index_panels: Hook[Callable[[HttpRequest], Panel | None]] = Hook("index_panels")

# Parts of the coach's booking page (e.g. its payments and a refund form).
booking_panels: Hook[Callable[[HttpRequest, Booking], Panel | None]] = Hook("booking_panels")

# Whether a package's sessions pay for a session type (e.g. only those its offer names); a
# package covers a type when every provider agrees. None registered: every paid type.
package_covers: Hook[Callable[[Package, SessionType], bool]] = Hook("package_covers")
