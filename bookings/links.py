"""Signed manage links: no login.

The token signs the booking's public id and its `sequence`, which rises with every change. An
older link (from an email before a move) still names the booking, which the views show as it
is now; but a form posted from a page that showed an older version changes nothing, and once
the booking is cancelled its links are used up.
"""

from django.urls import reverse

from bookings.models import Booking
from coaching.emails import absolute_url
from coaching.tokens import TokenInvalid, make_token, read_token

PURPOSE = "manage-booking"
PAY_PURPOSE = "pay-booking"


class StaleLink(Exception):
    """A genuine link for a booking that has changed since it was made."""

    def __init__(self, booking: Booking):
        self.booking = booking


def manage_token(booking: Booking) -> str:
    return make_token(PURPOSE, [str(booking.public_id), booking.sequence])


def manage_url(booking: Booking) -> str:
    return absolute_url(reverse("bookings:manage", args=[manage_token(booking)]))


def booking_for_token(token: str) -> Booking:
    """The booking a manage link names; TokenInvalid if forged, StaleLink if outdated."""
    try:
        public_id, sequence = read_token(PURPOSE, token)
    except (TypeError, ValueError) as exc:
        raise TokenInvalid("malformed") from exc
    booking = (
        Booking.objects.select_related("session_type__calendar", "client")
        .filter(public_id=public_id)
        .first()
    )
    if booking is None:
        raise TokenInvalid("unknown booking")
    if booking.sequence != sequence:
        raise StaleLink(booking)
    return booking


def pay_token(booking: Booking) -> str:
    """The link to pay for a held booking and to come back from Checkout: it names the booking
    whatever its sequence (paying changes it), and shows only its state, never the booker."""
    return make_token(PAY_PURPOSE, str(booking.public_id))


def booking_for_pay_token(token: str) -> Booking:
    """The booking a pay link names; TokenInvalid if forged or unknown."""
    booking = (
        Booking.objects.select_related("session_type__calendar", "client")
        .filter(public_id=read_token(PAY_PURPOSE, token))
        .first()
    )
    if booking is None:
        raise TokenInvalid("unknown booking")
    return booking
