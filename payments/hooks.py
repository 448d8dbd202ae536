"""Extension points of payments. Only declarations; see `coaching/hooks.py`."""

from collections.abc import Callable
from dataclasses import dataclass

from bookings.models import Booking
from coaching.hooks import Hook


@dataclass(frozen=True)
class SignatureNeeded:
    """A person of the client who must still sign the current coaching agreement, and where."""

    name: str
    url: str


# Who must still sign before paying for this booking (e.g. the coaching agreement, by each
# partner of a couple). None registered: nobody; Checkout goes ahead.
signatures_missing: Hook[Callable[[Booking], list[SignatureNeeded]]] = Hook("signatures_missing")


def missing_signatures(booking: Booking) -> list[SignatureNeeded]:
    return [needed for provider in signatures_missing for needed in provider(booking)]
