"""Workflows of the private journal: write, edit, share with the coach or stop sharing, delete.

Only the person writes their entries; the coach reads an entry only while it is shared, and each
of the coach's reads goes to the access log.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clients.audit import audit_record
from clients.journal.models import Entry
from clients.models import AccessLog, Person

MAX_LENGTH = 20_000


def _clean(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError("The entry is empty.")
    if len(body) > MAX_LENGTH:
        raise ValidationError(f"An entry holds at most {MAX_LENGTH:,} characters.")
    return body


def entry_create(*, person: Person, body: str, share: bool = False) -> Entry:
    """Write an entry (encrypted at rest), private unless the person shares it at once."""
    return Entry.objects.create(
        person=person, body=_clean(body), shared_at=timezone.now() if share else None
    )


def entry_update(*, entry: Entry, body: str, share: bool) -> Entry:
    """Change an entry's text and whether the coach may read it (sharing keeps its first date)."""
    entry.body = _clean(body)
    if share and entry.shared_at is None:
        entry.shared_at = timezone.now()
    elif not share:
        entry.shared_at = None
    entry.save(update_fields=["body", "shared_at", "updated_at"])
    return entry


def entry_delete(*, entry: Entry) -> None:
    entry.delete()


@transaction.atomic
def entry_read_by_coach(*, entry: Entry, actor, request=None) -> Entry:
    """The coach opens a shared entry: logged like a note (ids only)."""
    if not entry.is_shared:
        raise ValidationError("This entry is not shared.")
    audit_record(
        actor=actor,
        action=AccessLog.Action.VIEW,
        subject=entry.person,
        obj=entry,
        request=request,
    )
    return entry
