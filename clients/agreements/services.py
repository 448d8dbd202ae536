"""Workflows of the coaching agreement: publish a version, sign it, the gate before paying, the
signed link for someone without an account, and erasure.

The gate for payments is `people_yet_to_sign(client)`: everyone of the client (both partners of
a couple) who has not signed the current version; `agreement_sign_url(person)` is where to send
each of them.
"""

import unicodedata
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clients.agreements.models import AgreementVersion, Signature, text_sha256
from clients.models import Client, Person
from coaching.emails import absolute_url, send_email
from coaching.tokens import make_token, read_token

MAX_LENGTH = 50_000
LINK_PURPOSE = "agreement-sign"
LINK_MAX_AGE = timedelta(days=30)


def current_version() -> AgreementVersion | None:
    return AgreementVersion.objects.current()


def normalise_text(text: str) -> str:
    """The text as it is stored and hashed: browsers post CRLF line ends, stored as LF."""
    return text.replace("\r\n", "\n").strip()


def agreement_publish(*, text: str, by=None, now: datetime | None = None) -> AgreementVersion:
    """Publish the next version of the agreement. Versions are never edited: a change is a new
    version, which everyone signs again before their next paid session."""
    text = normalise_text(text)
    if not text:
        raise ValidationError("The agreement is empty.")
    if len(text) > MAX_LENGTH:
        raise ValidationError(f"The agreement holds at most {MAX_LENGTH:,} characters.")
    latest = current_version()
    if latest is not None and latest.text == text:
        raise ValidationError("Nothing changed: this is the current version's text.")
    try:
        with transaction.atomic():  # two publishers at once: the unique number refuses one
            return AgreementVersion.objects.create(
                number=(latest.number if latest else 0) + 1,
                text=text,
                sha256=text_sha256(text),
                published_at=now or timezone.now(),
                published_by=by,
            )
    except IntegrityError as exc:
        raise ValidationError("Another version was published meanwhile; look again.") from exc


def people_yet_to_sign(client: Client) -> list[Person]:
    """Everyone of the client (both partners of a couple) who has not signed the current
    version; nobody when no agreement is published."""
    version = current_version()
    if version is None:
        return []
    return list(client.people.exclude(agreement_signatures__version=version))


def signature_for(person: Person, version: AgreementVersion) -> Signature | None:
    return Signature.objects.filter(person=person, version=version).first()


def _words(name: str) -> set[str]:
    plain = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c if c.isalnum() else " " for c in plain if not unicodedata.combining(c))
    return set(letters.split())


def name_matches(typed: str, on_record: str) -> bool:
    """Reasonably the person's name: shares a word with the name on record, whatever the case
    and accents ("josé lópez" for "Jose Lopez", "Ana Maria Lopez" for "Ana Lopez")."""
    return bool(_words(typed) & _words(on_record))


def _check_name(typed_name: str, person: Person) -> None:
    if not typed_name.strip():
        raise ValidationError("Type your full name to sign.")
    if "\n" in typed_name or "\r" in typed_name or len(typed_name) > 200:
        raise ValidationError("Type your full name on one line.")
    if not name_matches(typed_name, person.name):
        raise ValidationError(f"Type your full name as your coach knows it ({person.name}).")


@transaction.atomic
def agreement_sign(
    *,
    person: Person,
    version_number: int,
    typed_name: str,
    ip: str | None,
    user_agent: str,
    via: str,
    now: datetime | None = None,
) -> Signature:
    """Record the person's signature of the version they were shown (`version_number`), which
    must still be the current one and still hash to its published hash. The name is kept exactly
    as typed. Signing again (a second click, two tabs) returns the first signature."""
    version = current_version()
    if version is None or version.number != version_number:
        raise ValidationError(
            "The agreement changed while you were reading it: please read the new version."
        )
    if text_sha256(version.text) != version.sha256:  # versions are never edited
        raise ValidationError("This version does not match its published text.")
    _check_name(typed_name, person)
    existing = signature_for(person, version)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Signature.objects.create(
                person=person,
                version=version,
                version_sha256=version.sha256,
                typed_name=typed_name,
                signed_at=now or timezone.now(),
                ip=ip or None,
                user_agent=user_agent[:300],
                via=via,
            )
    except IntegrityError:  # the same person signed at the same instant elsewhere
        return Signature.objects.get(person=person, version=version)


def sign_token(person: Person) -> str:
    return make_token(LINK_PURPOSE, person.pk)


def agreement_sign_url(person: Person) -> str:
    """A link to read and sign the current agreement without an account (LINK_MAX_AGE)."""
    return absolute_url(reverse("agreements:sign_link", args=[sign_token(person)]))


def person_for_token(token: str) -> Person | None:
    """The person a signing link names (None once erased); raises TokenExpired or TokenInvalid."""
    person_id = read_token(LINK_PURPOSE, token, max_age=LINK_MAX_AGE)
    return Person.objects.select_related("client").filter(pk=person_id).first()


def agreement_request_send(*, client: Client) -> list[Person]:
    """Email each person yet to sign a link to the current agreement; whom it went to."""
    waiting = people_yet_to_sign(client)
    for person in waiting:
        send_email(
            to=person.email,
            template="agreement_request",
            context={
                "person": person,
                "discreet": client.discreet,
                "url": agreement_sign_url(person),
            },
            related=person,
        )
    return waiting


def signatures_anonymise(*, client: Client, now: datetime | None = None) -> int:
    """Erasure: a signature is a contract record, so it stays with its version, hash and time
    under its anonymous id; the typed name, IP and browser go (and the person, with the client)."""
    signatures = Signature.objects.filter(person__client=client)
    return signatures.update(typed_name="", ip=None, user_agent="", erased_at=now or timezone.now())
