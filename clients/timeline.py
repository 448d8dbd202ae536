"""This app's own entries on the client's one timeline: notes, stage changes, emails sent.

Entries never carry note content: the timeline is a list, and lists show no sensitive text.
"""

from django.db.models.functions import Lower
from django.urls import reverse

from clients.hooks import TimelineEntry
from clients.models import Client
from clients.services import people_emails
from coaching.models import OutboundEmail


def note_entries(client: Client) -> list[TimelineEntry]:
    entries = []
    for note in client.notes.select_related("person").defer("body"):
        about = f" about {note.person.name}" if note.person else ""
        session = f" ({note.booking_label})" if note.booking_label else ""
        entries.append(
            TimelineEntry(
                when=note.created_at,
                kind="note",
                title=f"Session note{about}{session}",
                url=reverse("clients_coach:note", args=[note.pk]),
            )
        )
    return entries


def stage_entries(client: Client) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            when=change.at,
            kind="stage",
            title=f"Stage: {change.get_to_stage_display()}",
            summary=f"from {change.get_from_stage_display()}" if change.from_stage else "",
        )
        for change in client.stage_changes.all()
    ]


def email_entries(client: Client) -> list[TimelineEntry]:
    emails = (
        OutboundEmail.objects.annotate(to_lower=Lower("to"))
        .filter(to_lower__in=people_emails(client))
        .only("pk", "subject", "created_at", "status", "to")
    )
    return [
        TimelineEntry(
            when=email.created_at,
            kind="email",
            title=f"Email: {email.subject}",
            url=reverse("coaching:outbox_email", args=[email.pk]),
            summary=f"to {email.to}, {email.get_status_display().lower()}",
        )
        for email in emails
    ]
