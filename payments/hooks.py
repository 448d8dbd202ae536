"""Extension points of payments. Only declarations; see `coaching/hooks.py`."""

from collections.abc import Callable
from dataclasses import dataclass

from clients.models import Client
from coaching.hooks import Hook


@dataclass(frozen=True)
class SignatureNeeded:
    """A person of the client who must still sign the current coaching agreement, and where."""

    name: str
    url: str


# Who of the client must still sign before paying (e.g. the coaching agreement, by each partner
# of a couple), given the payer's email: a booking's or a package's. None registered: nobody;
# Checkout goes ahead.
signatures_missing: Hook[Callable[[Client, str], list[SignatureNeeded]]] = Hook(
    "signatures_missing"
)


def missing_signatures(client: Client, payer_email: str) -> list[SignatureNeeded]:
    return [needed for provider in signatures_missing for needed in provider(client, payer_email)]
