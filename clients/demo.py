"""Demo client records: a dozen clients across the pipeline, a couple, tags, notes, a package."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from clients.models import Client, Consent, Person
from clients.services import (
    client_set_stage,
    client_set_tags,
    consent_record,
    note_create,
    package_create,
    shared_note_create,
)

PEOPLE = [
    ("Amara Okafor", "amara@example.com", "lead", "booking", ["individual"]),
    ("Ben Hartley", "ben@example.com", "lead", "newsletter", []),
    ("Chloe Martin", "chloe@example.com", "free_call_booked", "booking", ["individual"]),
    ("Daniel Ruiz", "daniel@example.com", "free_call_done", "intake", ["communication"]),
    ("Elif Demir", "elif@example.com", "client", "referral", ["intimacy", "individual"]),
    ("Farah Haddad", "farah@example.com", "client", "booking", ["communication"]),
    ("Grace Lee", "grace@example.com", "paused", "intake", []),
    ("Hugo Laurent", "hugo@example.com", "alumni", "referral", ["individual"]),
    ("Isla Murray", "isla@example.com", "alumni", "booking", []),
    ("Jonas Weber", "jonas@example.com", "not_a_fit", "manual", []),
    ("Kofi Mensah", "kofi@example.com", "free_call_booked", "intake", []),
]
COUPLE = [("Priya Shah", "priya@example.com"), ("Sam Taylor", "sam@example.com")]


def _client(names_emails, *, stage, source, tags, days_ago, kind=Client.Kind.PERSON):
    person = Person.objects.filter(email__iexact=names_emails[0][1]).first()
    if person:
        return person.client, False
    client = Client.objects.create(
        kind=kind, source=source, created_at=timezone.now() - timedelta(days=days_ago)
    )
    for name, email in names_emails:
        Person.objects.create(client=client, name=name, email=email)
    path = ["free_call_booked", "free_call_done", "client"]
    for step in path[: path.index(stage) + 1] if stage in path else [stage]:
        client_set_stage(client=client, to=step)
    client_set_tags(client=client, names=tags)
    return client, True


def seed() -> list[str]:
    """Create the demo clients once; return lines to print."""
    coach = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
    for index, (name, email, stage, source, tags) in enumerate(PEOPLE):
        _client([(name, email)], stage=stage, source=source, tags=tags, days_ago=index * 9)
    couple, created = _client(
        COUPLE,
        stage="client",
        source="booking",
        tags=["couple"],
        days_ago=40,
        kind=Client.Kind.COUPLE,
    )
    if created:
        first = couple.people.first()
        for person in couple.people.all():
            consent_record(
                person=person,
                kind=Consent.Kind.SPECIAL_CATEGORY,
                granted=True,
                method="intake form",
                text_version="1.0",
            )
        note_create(
            client=couple,
            body="First session: they want to talk about money and "
            "who decides. Agreed on a weekly check-in.",
            author=coach,
        )
        note_create(
            client=couple, person=first, body="Asked for a one-to-one next time.", author=coach
        )
        package_create(client=couple, name="Six couple sessions", sessions=6, paid=True)
        shared_note_create(
            client=couple,
            title="Our weekly check-in",
            body="Twenty minutes every Sunday: one appreciation each, one wish.",
        )
    return [f"Clients: {Client.objects.count()} (sign in to /coach/clients/)"]
