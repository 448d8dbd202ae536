"""CSV import and export of subscribers for the coach."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from coaching.spreadsheets import csv_cell
from content.newsletter.models import ConsentRecord, Subscriber, Suppression, Topic, email_hash
from content.newsletter.services import CONSENT_VERSION, subscriber_request

IMPORT_CONSENT_TEXT = "Imported by the coach, who holds the proof of consent for this address."
YES = {"yes", "y", "true", "1"}


@dataclass
class ImportResult:
    subscribed: int = 0
    confirmations: int = 0
    suppressed: int = 0
    unchanged: int = 0
    invalid: int = 0


def subscriber_import(*, rows: list[dict]) -> ImportResult:
    """Import rows: with consent → subscribed; without → a confirmation email (double opt-in).

    Suppressed addresses (left, bounced, complained, erased) are never re-subscribed by an
    import; they must opt in again themselves.
    """
    result = ImportResult()
    topics = {topic.slug: topic for topic in Topic.objects.active()}
    suppressed = set(Suppression.objects.values_list("email_hash", flat=True))
    for row in rows:
        email = (row.get("email") or "").strip()
        try:
            validate_email(email)
        except ValidationError:
            result.invalid += 1
            continue
        if email_hash(email) in suppressed:
            result.suppressed += 1
            continue
        slugs = [s.strip() for s in (row.get("topics") or "").split(";") if s.strip()]
        chosen = [topics[s] for s in slugs if s in topics] or list(topics.values())
        name = " ".join((row.get("first_name") or "").split())[:80]
        if (row.get("consent") or "").strip().lower() in YES:
            added = _subscribe_with_consent(email, name, chosen)
            result.subscribed += added
            result.unchanged += not added
        else:
            subscriber_request(
                email=email, first_name=name, topics=chosen, form_id="import", source="import"
            )
            result.confirmations += 1
    return result


@transaction.atomic
def _subscribe_with_consent(email: str, name: str, topics: list[Topic]) -> bool:
    subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    if subscriber is not None and subscriber.status != Subscriber.Status.PENDING:
        return False
    now = timezone.now()
    if subscriber is None:
        subscriber = Subscriber(email=email, email_hash=email_hash(email), source="import")
    subscriber.first_name = subscriber.first_name or name
    subscriber.status, subscriber.confirmed_at = Subscriber.Status.ACTIVE, now
    subscriber.save()
    subscriber.topics.set(topics)
    ConsentRecord.objects.create(
        subscriber=subscriber,
        topics=[t.slug for t in topics],
        form_id="import",
        consent_text=IMPORT_CONSENT_TEXT,
        consent_version=CONSENT_VERSION,
        requested_at=now,
        confirmed_at=now,
    )
    return True


class _Echo:
    def write(self, value):
        return value


def export_rows(subscribers) -> Iterator[str]:
    """CSV lines for a streaming response; topics prefetched, so a fixed number of queries."""
    writer = csv.writer(_Echo())
    yield writer.writerow(["email", "first_name", "status", "topics", "subscribed_at", "left_at"])
    for s in subscribers.prefetch_related("topics").iterator(chunk_size=2000):
        topics = ";".join(t.slug for t in s.topics.all())
        row = [s.email, csv_cell(s.first_name), s.status, topics, s.confirmed_at, s.left_at]
        yield writer.writerow(["" if value is None else value for value in row])
