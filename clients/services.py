"""Workflows on client records: add, find or create, move through the pipeline, tag, consent,
notes, packages and portal access. Data rights live in `clients.data_rights`."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from clients import hooks
from clients.audit import audit_record
from clients.models import (
    AccessLog,
    Client,
    Consent,
    Note,
    Package,
    Person,
    SharedNote,
    StageChange,
    Tag,
)
from coaching.emails import absolute_url, send_email

EMAIL_TAKEN = "A client with this email already exists."


def client_create(
    *,
    kind: str,
    source: str,
    name: str,
    email: str,
    partner_name: str = "",
    partner_email: str = "",
) -> Client:
    """The coach adds a client by hand: one person, or a couple with both partners.

    An email that already belongs to a client (whatever its case) is refused, field by field,
    so the coach sees which one; the unique index is the last word on a race.
    """
    people = {"email": (name, email)}
    if kind == Client.Kind.COUPLE:
        if not (partner_name and partner_email):
            raise ValidationError("A couple needs the partner's name and email too.")
        people["partner_email"] = (partner_name, partner_email)
    taken = {
        field: EMAIL_TAKEN
        for field, (_, address) in people.items()
        if Person.objects.filter(email__iexact=address).exists()
    }
    if taken:
        raise ValidationError(taken)
    try:
        with transaction.atomic():
            client = Client.objects.create(kind=kind, source=source)
            for person_name, address in people.values():
                Person.objects.create(client=client, name=person_name, email=address)
    except IntegrityError:  # the same email twice, or added elsewhere at the same moment
        raise ValidationError(EMAIL_TAKEN) from None
    return client


@transaction.atomic
def client_invite(*, client: Client) -> list[Person]:
    """Give each person of the client a sign-in for the portal and email them the way in.

    All or nothing: a person whose email belongs to a staff account stops the whole invitation.
    """
    people = list(client.people.all())
    for person in people:
        person_ensure_user(person=person)
        send_email(
            to=person.email,
            template="clients_portal_invite",
            context={"person": person, "url": absolute_url(reverse("clients:sign_in"))},
            related=person,
        )
    return people


def client_get_or_create_lead(
    *, email: str, name: str, source: str, phone: str = "", time_zone: str = ""
) -> Client:
    """The client record for this email, created as a lead when the email is new.

    Emails are matched case-insensitively. An existing record keeps its stage and details,
    except that empty contact fields are filled in.
    """
    email = email.strip()
    person = Person.objects.select_related("client").filter(email__iexact=email).first()
    if person is None:
        try:
            with transaction.atomic():
                client = Client.objects.create(source=source, time_zone=time_zone)
                Person.objects.create(client=client, name=name, email=email, phone=phone)
                return client
        except IntegrityError:  # the same email arrived at the same moment: use that record
            person = Person.objects.select_related("client").get(email__iexact=email)
    if phone and not person.phone:
        person.phone = phone
        person.save(update_fields=["phone"])
    return person.client


# The pipeline moves forward on its own; the coach can set any stage by hand.
PIPELINE = [
    Client.Stage.LEAD,
    Client.Stage.FREE_CALL_BOOKED,
    Client.Stage.FREE_CALL_DONE,
    Client.Stage.CLIENT,
]


def client_advance_stage(*, client: Client, to: str) -> bool:
    """Move a client forward along the pipeline (lead → free call booked → done → client).

    Used by other apps when something happens (a free call is booked, attended, a paid session
    booked). A client who is further along, paused, alumni or not a fit is left alone.
    Returns whether the stage changed.
    """
    if client.stage not in PIPELINE or PIPELINE.index(to) <= PIPELINE.index(client.stage):
        return False
    return client_set_stage(client=client, to=to)


@transaction.atomic
def client_set_stage(*, client: Client, to: str, by=None) -> bool:
    """Put a client at any stage (the coach's choice), keeping the history.

    Returns whether the stage changed.
    """
    if to not in Client.Stage.values:
        raise ValidationError(f"Unknown stage: {to}.")
    if client.stage == to:
        return False
    now = timezone.now()
    StageChange.objects.create(client=client, from_stage=client.stage, to_stage=to, at=now, by=by)
    client.stage, client.stage_changed_at = to, now
    client.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    return True


def clients_set_stage(*, client_ids: list[int], to: str, by=None) -> int:
    """Move several clients at once (the client list's bulk action); returns how many moved."""
    moved = 0
    with transaction.atomic():
        for client in Client.objects.select_for_update().filter(pk__in=client_ids):
            moved += client_set_stage(client=client, to=to, by=by)
    return moved


@transaction.atomic
def client_set_tags(*, client: Client, names: list[str]) -> list[Tag]:
    """Replace the client's tags; new tag names are created (matched case-insensitively)."""
    tags = []
    for name in {name.strip() for name in names if name.strip()}:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    client.tags.set(tags)
    return tags


def consent_record(
    *, person: Person, kind: str, granted: bool, method: str, text_version: str = ""
) -> Consent:
    """Record one consent decision (a grant or a withdrawal) with how it was given.

    The intake calls this for the explicit special-category consent; a withdrawal is a new row
    with granted=False, so `Person.has_consent` turns false and processing stops.
    """
    if kind not in Consent.Kind.values:
        raise ValidationError(f"Unknown consent: {kind}.")
    if not method.strip():
        raise ValidationError("Say how the consent was given.")
    return Consent.objects.create(
        person=person, kind=kind, granted=granted, method=method.strip(), text_version=text_version
    )


@transaction.atomic
def note_create(
    *,
    client: Client,
    body: str,
    author,
    person: Person | None = None,
    booking_ref: int | None = None,
    booking_label: str = "",
    request=None,
) -> Note:
    """Write a private session note (encrypted at rest) and log it."""
    if not body.strip():
        raise ValidationError("The note is empty.")
    if person is not None and person.client_id != client.pk:
        raise ValidationError("That person is not part of this client.")
    note = Note.objects.create(
        client=client,
        person=person,
        body=body,
        author=author,
        booking_ref=booking_ref,
        booking_label=booking_label[:120],
    )
    audit_record(
        actor=author, action=AccessLog.Action.CREATE, subject=client, obj=note, request=request
    )
    return note


@transaction.atomic
def note_update(*, note: Note, body: str, actor, request=None) -> Note:
    """Change a note's text and log the change."""
    if not body.strip():
        raise ValidationError("The note is empty.")
    note.body = body
    note.save(update_fields=["body", "updated_at"])
    audit_record(
        actor=actor, action=AccessLog.Action.CHANGE, subject=note.client, obj=note, request=request
    )
    return note


def shared_note_create(*, client: Client, title: str, body: str) -> SharedNote:
    """Show the client a note in their portal."""
    if not title.strip() or not body.strip():
        raise ValidationError("Give the shared note a title and some text.")
    return SharedNote.objects.create(client=client, title=title.strip(), body=body)


def package_create(
    *, client: Client, name: str, sessions: int, paid: bool = False, starts_at=None
) -> Package:
    """Sell the client a package of sessions."""
    if sessions < 1:
        raise ValidationError("A package has at least one session.")
    return Package.objects.create(
        client=client,
        name=name,
        sessions=sessions,
        paid=paid,
        starts_at=starts_at or timezone.now(),
    )


def package_remove_sessions(*, package: Package, count: int) -> Package:
    """Take `count` sessions off a package (e.g. unused ones, refunded)."""
    if not 0 <= count <= package.sessions:
        raise ValidationError(f"{package.name} has {package.sessions} sessions.")
    package.sessions -= count
    package.save(update_fields=["sessions"])
    return package


def package_set_paid(*, package: Package, paid: bool) -> Package:
    """Record by hand that a package is paid (or not)."""
    package.paid = paid
    package.save(update_fields=["paid"])
    return package


@transaction.atomic
def person_ensure_user(*, person: Person):
    """The person's sign-in account, created (without a password) on first need.

    Clients sign in with a code sent to their email, so the account needs no password; allauth
    marks the email verified when they enter the code.
    """
    from allauth.account.models import EmailAddress

    # Locked, so two code requests at the same moment cannot both create the account.
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id:
        return person.user
    User = get_user_model()
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = User.objects.create_user(person.email)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if user.is_staff:
        raise ValidationError("That email belongs to a staff account.")
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": False, "primary": True}
    )
    person.user = user
    person.save(update_fields=["user"])
    return user


def clients_flag_for_review(*, now: datetime, years: int) -> int:
    """Flag alumni past the retention period for the coach's review; idempotent.

    Returns how many were newly flagged.
    """
    due = Client.objects.due_for_review(now, years=years).filter(review_flagged_at=None)
    return due.update(review_flagged_at=now)


def people_emails(client: Client) -> list[str]:
    return [email.lower() for email in client.people.values_list("email", flat=True)]


def emails_filter(emails: list[str]) -> Q:
    """Matches OutboundEmail rows sent to any of these addresses, whatever their case."""
    q = Q(pk__in=[])
    for email in emails:
        q |= Q(to__iexact=email)
    return q


def packages_with_usage(*, client: Client) -> list[Package]:
    """The client's packages, oldest first, each with the sessions it has `used` and has
    `remaining`: a session counts against the package that was current when it was attended."""
    packages = list(client.packages.all())
    for package, following in zip(packages, [*packages[1:], None], strict=False):
        until = following.starts_at if following else None
        attended = hooks.attended_between(client, package.starts_at, until)
        package.used = min(attended, package.sessions)
        package.remaining = package.sessions - package.used
    return packages
