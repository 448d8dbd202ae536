"""Check-in workflows: the coach's schedule, reminder rounds, answering, flags, release.

Scoring and the safety screen are the intake's functions run over the pulse (a short form of
the PBI, `clients.intake.pulse`); these services only store what they return. Every coach read
of a check-in's answers goes through `checkin_read`, which writes the access log.
"""

import uuid
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clients.audit import audit_record
from clients.checkins.models import CheckIn, Reminder, Schedule
from clients.intake import safety, scoring
from clients.intake.instrument import validate_answers
from clients.intake.pulse import load_bundled_pulse
from clients.models import AccessLog, Client, Person
from coaching.emails import absolute_url, send_email
from coaching.models import SiteSettings

FLAGGED_TIERS = {safety.Tier.RED, safety.Tier.AMBER}
NOTIFY_GRACE = timedelta(minutes=2)  # longer than a healthy queue takes to deliver
BATCH = 200


def schedule_set(*, client: Client, rhythm: str, active: bool) -> Schedule:
    """Turn check-ins on (the first round is due now) or off, or change the rhythm."""
    if rhythm not in Schedule.Rhythm.values:
        raise ValidationError("Please choose a rhythm.")
    schedule, created = Schedule.objects.get_or_create(
        client=client, defaults={"rhythm": rhythm, "active": active}
    )
    if not created:
        if active and not schedule.active:
            schedule.next_due_at = timezone.now()
        schedule.rhythm, schedule.active = rhythm, active
        schedule.save(update_fields=["rhythm", "active", "next_due_at"])
    return schedule


def comparison_release(*, schedule: Schedule, release: bool) -> Schedule:
    """The coach shares the couple's trend with both partners, or stops sharing it. Never
    while a RED flag of theirs waits for the coach (PBI spec §6.4, docs/assessment/pbi-spec.md)."""
    red = schedule.client.checkins.filter(flag_tier=CheckIn.Tier.RED, flag_acknowledged_at=None)
    if release and red.exists():
        raise ValidationError("Open the RED check-in before sharing the comparison.")
    schedule.comparison_released_at = timezone.now() if release else None
    schedule.save(update_fields=["comparison_released_at"])
    return schedule


def checkin_submit(*, person: Person, raw: dict, form_id: uuid.UUID | None = None) -> CheckIn:
    """Validate, score and screen one person's pulse; a RED or AMBER tier flags it for the
    coach, who is told that a check-in needs attention and nothing more.

    Idempotent per form: the same `form_id` sent again (a double click, a replayed POST) returns
    the check-in it saved, so a burst never counts as several readings in a row."""
    if not Schedule.objects.filter(client_id=person.client_id, active=True).exists():
        raise ValidationError("Check-ins are not open at the moment.")
    saved = CheckIn.objects.filter(person=person, form_id=form_id).first() if form_id else None
    if saved is not None:
        return saved
    pulse = load_bundled_pulse()
    try:
        answers = validate_answers(
            pulse, {item.id: raw.get(item.id) or None for item in pulse.items}
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    try:
        with transaction.atomic():
            checkin = _checkin_create(person, answers, form_id)
    except IntegrityError:  # the same form, sent twice at the same moment
        return CheckIn.objects.get(person=person, form_id=form_id)
    if checkin.flag_tier:
        from clients.checkins.tasks import notify_coach_of_checkin

        notify_coach_of_checkin.delay_on_commit(checkin.pk)
    return checkin


def _checkin_create(person: Person, answers: dict, form_id: uuid.UUID | None) -> CheckIn:
    pulse = load_bundled_pulse()
    outcome = safety.safety_tier(pulse, answers)
    flagged = outcome.tier in FLAGGED_TIERS
    return CheckIn.objects.create(
        person=person,
        client_id=person.client_id,
        form_id=form_id,
        pulse_version=pulse.version,
        scoring_version=scoring.SCORING_VERSION,
        answers=answers,
        scores=scoring.score(pulse, answers).to_dict(),
        flag_tier=outcome.tier.value if flagged else "",
        flag_triggers=list(outcome.triggers) if flagged else [],
    )


def checkin_tier(checkin: CheckIn) -> safety.Tier:
    """The tier of the person's own answers, for the support panel on their page."""
    return safety.safety_tier(load_bundled_pulse(), checkin.answers).tier


def checkin_flag_notify(*, checkin_id: int) -> bool:
    """Tell the coach that a check-in needs attention, once (claimed by UPDATE). The email
    names no person, item, answer or tier."""
    with transaction.atomic():
        claimed = CheckIn.objects.flagged().filter(pk=checkin_id, flag_notified_at=None)
        if not claimed.update(flag_notified_at=timezone.now()):
            return False
        send_email(
            to=SiteSettings.load().coach_email,
            template="checkin_attention",
            context={"url": absolute_url(reverse("checkins_coach:index"))},
        )
    return True


def flags_due_notification(now: datetime | None = None) -> list[int]:
    """Flagged check-ins whose notification task was lost (a flushed broker, a crash)."""
    due = (now or timezone.now()) - NOTIFY_GRACE
    flagged = CheckIn.objects.flagged().filter(flag_notified_at=None, submitted_at__lte=due)
    return list(flagged.order_by("pk").values_list("pk", flat=True)[:BATCH])


def rounds_open(now: datetime | None = None) -> list[int]:
    """Open every due round: one reminder row per person, and the schedule moved on a period.

    Each schedule is claimed by a conditional UPDATE of `next_due_at`, so two sweepers never
    open a round twice; the unique (person, due_at) keeps a replay from adding rows. Returns
    the reminders still to send, this round's and any a lost task left behind."""
    now = now or timezone.now()
    for schedule in Schedule.objects.filter(active=True, next_due_at__lte=now)[:BATCH]:
        _open_round(schedule, now)
    unsent = Reminder.objects.filter(sent_at=None, schedule__active=True)
    return list(unsent.order_by("pk").values_list("pk", flat=True)[:BATCH])


@transaction.atomic
def _open_round(schedule: Schedule, now: datetime) -> None:
    due = schedule.next_due_at
    following = max(due + schedule.period, now)  # after a long pause: no backlog of rounds
    moved = Schedule.objects.filter(pk=schedule.pk, next_due_at=due, active=True)
    if not moved.update(next_due_at=following):
        return
    for person in schedule.client.people.exclude(email=""):
        try:
            with transaction.atomic():
                Reminder.objects.create(schedule=schedule, person=person, due_at=due)
        except IntegrityError:
            continue  # this round's row exists already


def reminder_send(*, reminder_id: int) -> bool:
    """Send one reminder, at most once: the row is claimed before the email is recorded (in
    the same transaction, so a failure leaves it unclaimed). Discreet: no word about balance,
    power or the relationship, only that the coach would like a check-in."""
    with transaction.atomic():
        claimed = Reminder.objects.filter(pk=reminder_id, sent_at=None, schedule__active=True)
        if not claimed.update(sent_at=timezone.now()):
            return False
        reminder = Reminder.objects.select_related("person__client").get(pk=reminder_id)
        send_email(
            to=reminder.person.email,
            template="checkin_reminder",
            context={
                "person": reminder.person,
                "discreet": reminder.person.client.discreet,
                "url": absolute_url(reverse("clients:sign_in")),
            },
            related=reminder.person,
        )
    return True


@transaction.atomic
def checkin_read(*, checkin: CheckIn, user, request=None) -> CheckIn:
    """The coach opens one check-in's answers: logged (ids only); it acknowledges its flag."""
    if checkin.flag_tier and checkin.flag_acknowledged_at is None:
        checkin.flag_acknowledged_at, checkin.flag_acknowledged_by = timezone.now(), user
        checkin.save(update_fields=["flag_acknowledged_at", "flag_acknowledged_by"])
    audit_record(
        actor=user,
        action=AccessLog.Action.VIEW,
        subject=checkin.client,
        obj=checkin,
        request=request,
    )
    return checkin


def trend_read(*, client: Client, user, request=None) -> None:
    """The coach sees a client's trends (the client page's card, the chart page): logged."""
    details = {"object": "checkin_trend"}
    audit_record(
        actor=user,
        action=AccessLog.Action.VIEW,
        subject=client,
        request=request,
        details=details,
    )
