"""Workflows of homework: assign an exercise, answer it (draft, submit, share with the partner),
the coach's logged reads, and the reminder before the due date.

An answer's text is shown only on its assignment's page: never in emails, logs, lists or the
access log. The partner reads an answer only once it is submitted and shared.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from clients.audit import audit_record
from clients.homework.models import Answer, Assignment, Exercise
from clients.models import AccessLog, Client, Person
from coaching import outbox
from coaching.emails import absolute_url, send_email

MAX_LENGTH = 20_000
# Longer than a send takes: a row queued this long ago lost its message (flushed broker, crash).
REQUEUE_AFTER = timedelta(minutes=5)
# Reminders go out at this local hour (the client's zone, else the coach's), HOMEWORK_REMINDER_DAYS
# (settings, default 2) days before the due date.
REMINDER_HOUR = time(9)


def client_zone(client: Client) -> ZoneInfo:
    return ZoneInfo(client.time_zone or settings.COACH_TIME_ZONE)


def local_today(client: Client, now: datetime) -> date:
    return now.astimezone(client_zone(client)).date()


def reminder_at(*, client: Client, due_on: date) -> datetime:
    """When the reminder is due, in UTC: a wall-clock time in the client's zone, converted once
    (never arithmetic on aware datetimes, which is wrong across a DST change)."""
    day = due_on - timedelta(days=settings.HOMEWORK_REMINDER_DAYS)
    return datetime.combine(day, REMINDER_HOUR, tzinfo=client_zone(client)).astimezone(
        ZoneInfo("UTC")
    )


def assignees(*, client: Client, person: Person | None) -> list[Person]:
    return [person] if person is not None else list(client.people.all())


@transaction.atomic
def assignment_create(
    *,
    client: Client,
    exercise: Exercise,
    due_on: date,
    person: Person | None = None,
    by=None,
    now: datetime | None = None,
) -> Assignment:
    """Give an exercise to one person of the client, or to everyone in it (`person` None), with
    an empty answer per person whose reminder is set for before the due date (none when that
    moment has already passed)."""
    now = now or timezone.now()
    if exercise.archived:
        raise ValidationError("This exercise is archived; restore it first.")
    if person is not None and person.client_id != client.pk:
        raise ValidationError("That person is not part of this client.")
    if due_on < local_today(client, now):
        raise ValidationError("The due date is in the past.")
    assignment = Assignment.objects.create(
        client=client, person=person, exercise=exercise, due_on=due_on, created_by=by
    )
    remind = reminder_at(client=client, due_on=due_on)
    Answer.objects.bulk_create(
        Answer(assignment=assignment, person=who, remind_at=remind if remind > now else None)
        for who in assignees(client=client, person=person)
    )
    return assignment


def assignment_delete(*, assignment: Assignment, actor, request=None) -> None:
    """The coach withdraws an assignment, with its answers (logged: answers may go with it)."""
    audit_record(
        actor=actor, action=AccessLog.Action.ERASE, subject=assignment.client, obj=assignment,
        request=request,
    )  # fmt: skip
    assignment.delete()


def answer_save(*, answer: Answer, body: str, share: bool, submit: bool) -> Answer:
    """Save the person's answer: a draft, or submitted to the coach (a submitted answer stays
    submitted and may still be edited). Sharing with the partner can be stopped at any time."""
    body = body.strip()
    if len(body) > MAX_LENGTH:
        raise ValidationError(f"An answer holds at most {MAX_LENGTH:,} characters.")
    if submit and not body:
        raise ValidationError("Write your answer before you send it.")
    now = timezone.now()
    answer.body, answer.updated_at = body, now
    if submit and answer.submitted_at is None:
        answer.submitted_at = now
    if share and answer.shared_at is None:
        answer.shared_at = now
    elif not share:
        answer.shared_at = None
    answer.save(update_fields=["body", "updated_at", "submitted_at", "shared_at"])
    return answer


def partner_answers(*, answer: Answer) -> list[Answer]:
    """The other answers to the same assignment that their people submitted and share."""
    others = Answer.objects.shared().filter(assignment_id=answer.assignment_id)
    return list(others.exclude(person_id=answer.person_id).select_related("person"))


@transaction.atomic
def assignment_open_by_coach(*, assignment: Assignment, actor, request=None) -> list[Answer]:
    """The submitted answers of an assignment for the coach: each read goes to the access log
    (ids only). Drafts stay the person's until they submit."""
    answers = list(assignment.answers.submitted().select_related("person"))
    for answer in answers:
        audit_record(
            actor=actor, action=AccessLog.Action.VIEW, subject=assignment.client, obj=answer,
            request=request,
        )  # fmt: skip
    return answers


def reminders_due(*, now: datetime, limit: int = 500) -> list[int]:
    """Ids of answers whose reminder is due (unsubmitted, not yet reminded) and not queued in
    the last REQUEUE_AFTER; two sweepers at once never return the same row."""
    due = (
        Answer.objects.filter(remind_at__lte=now, reminded_at=None, submitted_at=None)
        .filter(Q(reminder_queued_at=None) | Q(reminder_queued_at__lt=now - REQUEUE_AFTER))
        .order_by("remind_at")
    )
    return outbox.sweep(due, limit=limit, reminder_queued_at=now)


@transaction.atomic
def reminder_send(*, answer_id: int, now: datetime) -> bool:
    """Send one answer's reminder, once: the conditional UPDATE claims the row and commits with
    the recorded email (a worker that dies mid-way rolls both back; the next sweep finds the row
    again after REQUEUE_AFTER). A reminder claimed after the due date says nothing; one whose
    answer was sent in the meantime is not claimed.
    Returns whether an email was written."""
    due = Answer.objects.filter(
        pk=answer_id, remind_at__lte=now, reminded_at=None, submitted_at=None
    )
    if due.update(reminded_at=now) != 1:
        return False
    answer = Answer.objects.select_related("person__client", "assignment").get(pk=answer_id)
    client, due_on = answer.person.client, answer.assignment.due_on
    if local_today(client, now) > due_on:
        return False
    send_email(
        to=answer.person.email,
        template="homework_reminder",
        context={
            "person": answer.person,
            "discreet": client.discreet,
            "due_on": due_on,
            "url": absolute_url(reverse("clients:sign_in")),
        },
        related=answer.person,
    )
    return True
