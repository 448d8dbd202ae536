"""Demo signatures: one partner of the demo couple has signed the agreement and the other not
yet, so the client page shows both (version 1 itself is published by migration 0001)."""

from clients.agreements.models import Signature
from clients.agreements.services import agreement_sign, current_version
from clients.models import Person

COUPLE_EMAIL = "priya@example.com"  # clients.demo's couple


def seed() -> list[str]:
    """Sign once; return lines to print."""
    person = Person.objects.filter(email=COUPLE_EMAIL).first()
    version = current_version()
    if person and version and not Signature.objects.filter(person=person).exists():
        agreement_sign(
            person=person, version_number=version.number, typed_name=person.name,
            ip="127.0.0.1", user_agent="Demo browser", via=Signature.Via.PORTAL,
        )  # fmt: skip
    return ["Coaching agreement: /coach/agreement/ (clients sign it at /account/agreement/)"]
