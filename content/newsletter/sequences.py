"""Sequences: letters that follow a trigger, each handed to the campaign path when it is due.

A sequence's step is a `Campaign` that stays `sending` while the sequence is on (`paused`
while off). Enrolling a subscriber adds an `Enrollment` row; beat's sweeper claims the due rows
of each step with one conditional UPDATE (on `steps_done`) and, in the same statement, adds
their `Delivery` rows to the step's campaign in new batches, which the campaign's batch task
sends like any campaign mail: claim per message, one-click unsubscribe headers, suppression,
throttle, quota, retries, the lost-worker sweep. UNIQUE(campaign, subscriber) makes each step
go once to each subscriber however often a sweep runs.

Due times: letter k goes `delay_days` whole local days after the enrollment's `anchor` (the
first morning at or after joining), at `NEWSLETTER_SEQUENCE_HOUR` in the subscriber's zone
(their client record's, else the coach's). PostgreSQL computes them (`AT TIME ZONE`), so a
day across a clock change stays a day of the calendar.
"""

from datetime import date, datetime, time, timedelta
from functools import cache, partial
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from clients.intake.models import Response
from coaching import hooks
from content.newsletter import campaigns
from content.newsletter.models import (
    Campaign,
    Delivery,
    Enrollment,
    Sequence,
    SequenceStep,
    Subscriber,
)
from content.newsletter.segments import people_with_the_address

T = Sequence.Trigger
# How far back beat looks for ended free calls, finished assessments and paid bookings.
TRIGGER_WINDOW = timedelta(days=7)
# Enrollments handed over per step per sweep (the rest go at the next sweep).
SWEEP_LIMIT = 20_000


# Due time of the step at `index` (an SQL expression over the enrollment's columns).
def _due_sql(index_sql: str, delays: list[int]) -> tuple[str, list]:
    if not delays:
        return "NULL", []
    whens = " ".join("WHEN %s THEN anchor + %s" for _ in delays)
    params = [value for pair in enumerate(delays) for value in pair]
    sql = f"(CASE {index_sql} {whens} END + make_time(%s, 0, 0)) AT TIME ZONE time_zone"
    return sql, [*params, settings.NEWSLETTER_SEQUENCE_HOUR]


def _delays(sequence: Sequence) -> list[int]:
    return list(SequenceStep.objects.filter(sequence=sequence).values_list("delay_days", flat=True))


def _due_at(enrollment: Enrollment, index: int, delays: list[int]) -> datetime | None:
    """`_due_sql` in Python, for databases other than PostgreSQL (`make run`'s SQLite)."""
    if index >= len(delays):
        return None
    day = enrollment.anchor + timedelta(days=delays[index])
    hour = time(settings.NEWSLETTER_SEQUENCE_HOUR)
    return datetime.combine(day, hour, ZoneInfo(enrollment.time_zone))


def _schedule(sequence: Sequence, where: str, rows: Q) -> None:
    """Set `next_due_at` from `steps_done` and the current steps, for the rows `where` (SQL)
    and `rows` (the same, for the ORM) pick."""
    delays = _delays(sequence)
    if connection.vendor != "postgresql":
        waiting = Enrollment.objects.filter(rows, sequence=sequence, stopped_at=None)
        for enrollment in waiting:
            enrollment.next_due_at = _due_at(enrollment, enrollment.steps_done, delays)
        Enrollment.objects.bulk_update(waiting, ["next_due_at"])
        return
    due, params = _due_sql("steps_done", delays)
    sql = f"""UPDATE {Enrollment._meta.db_table} SET next_due_at = {due}
              WHERE sequence_id = %s AND stopped_at IS NULL AND {where}"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, sequence.pk])


# -- enrolling and stopping -------------------------------------------------------------------


def anchor(joined: datetime, zone: str) -> date:
    """The first letter's local day: today if the morning hour is still to come, else
    tomorrow."""
    local = joined.astimezone(ZoneInfo(zone))
    late = local.time() >= time(settings.NEWSLETTER_SEQUENCE_HOUR)
    return local.date() + timedelta(days=1 if late else 0)


@cache
def _database_zones() -> frozenset[str]:
    """The zones PostgreSQL knows (it computes the due times): read once per process."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_timezone_names")
        return frozenset(name for (name,) in cursor.fetchall())


def _zone(name: str | None) -> str:
    """`name` when both Python and PostgreSQL know it, else the coach's zone: one stray zone on
    a client record must not make the sweep's statement fail for everyone."""
    try:
        known = connection.vendor != "postgresql" or name in _database_zones()
        if name and known and ZoneInfo(name):
            return name
    except (ZoneInfoNotFoundError, ValueError):
        pass
    return settings.COACH_TIME_ZONE


def sequence_enroll(*, sequence: Sequence, subscribers: QuerySet, now: datetime) -> int:
    """Enroll these subscribers (those already in it, ever, are left as they are); returns
    how many joined. Their zone is their client record's, else the coach's."""
    zones = people_with_the_address().exclude(client__time_zone="").values("client__time_zone")
    rows = (
        subscribers.exclude(enrollments__sequence=sequence)
        .annotate(zone=Subquery(zones[:1]))
        .values_list("pk", "zone")
    )
    zoned = [(pk, _zone(zone)) for pk, zone in rows]
    enrollments = [
        Enrollment(
            sequence=sequence, subscriber_id=pk, enrolled_at=now, anchor=anchor(now, zone),
            time_zone=zone,
        )
        for pk, zone in zoned
    ]  # fmt: skip
    with transaction.atomic():
        created = Enrollment.objects.bulk_create(enrollments, ignore_conflicts=True)
        _schedule(
            sequence, "steps_done = 0 AND next_due_at IS NULL", Q(steps_done=0, next_due_at=None)
        )
    return len(created)


def enrollments_stop(*, enrollments: QuerySet, reason: str, now: datetime) -> int:
    """Stop these enrollments: no further step is handed over (one already handed over is
    still claimed per message, which re-checks the subscriber)."""
    return enrollments.filter(stopped_at=None).update(
        stopped_at=now, stop_reason=reason, next_due_at=None
    )


def subscriber_follow_topics(*, subscriber: Subscriber, now: datetime) -> None:
    """After a confirmation or a change of topics: join the series of the topics chosen,
    stop those of the topics dropped."""
    chosen = subscriber.topics.values("pk")
    topic_series = Sequence.objects.filter(trigger=T.TOPIC)
    this_one = Subscriber.objects.sendable().filter(pk=subscriber.pk)
    for sequence in topic_series.filter(is_active=True, topic__in=chosen):
        sequence_enroll(sequence=sequence, subscribers=this_one, now=now)
    dropped = subscriber.enrollments.filter(sequence__in=topic_series.exclude(topic__in=chosen))
    enrollments_stop(enrollments=dropped, reason="left the topic", now=now)


def _with_addresses(emails: list[str]) -> QuerySet:
    return Subscriber.objects.annotate(email_ci=Lower("email")).filter(
        email_ci__in={email.lower() for email in emails}
    )


def enroll_from_triggers(*, now: datetime) -> None:
    """Beat: enroll those whose free call ended or who finished the assessment lately, and
    stop the nurture series of those who booked a paid session."""
    since = now - TRIGGER_WINDOW
    for sequence in Sequence.objects.filter(is_active=True, trigger__in=Sequence.NURTURE):
        start = max(since, sequence.created_at)
        if sequence.trigger == T.FREE_CALL:
            emails = [e for found in hooks.free_calls_ended for e in found(start, now)]
            who = _with_addresses(emails)
        else:
            submitted = Response.objects.submitted().filter(submitted_at__gt=start)
            people = people_with_the_address().filter(pk__in=submitted.values("person_id"))
            who = Subscriber.objects.filter(Exists(people))
        sequence_enroll(sequence=sequence, subscribers=who.sendable(), now=now)
    paid = [e for found in hooks.paid_sessions_booked for e in found(since)]
    if paid:
        nurture = Enrollment.objects.filter(
            sequence__trigger__in=Sequence.NURTURE, subscriber__in=_with_addresses(paid)
        )
        enrollments_stop(enrollments=nurture, reason="booked a paid session", now=now)


# -- handing due steps to the campaign path ---------------------------------------------------

HAND_OVER_SQL = """
WITH due AS (
    SELECT e.id FROM {e} e
    WHERE e.sequence_id = %s AND e.steps_done = %s AND e.stopped_at IS NULL
      AND e.next_due_at <= %s
      -- in order: not while this subscriber's previous letter is still on its way
      AND NOT EXISTS (
          SELECT 1 FROM {d} d JOIN {st} st ON st.campaign_id = d.campaign_id
          WHERE st.sequence_id = e.sequence_id AND d.subscriber_id = e.subscriber_id
            AND d.state IN ('pending', 'sending'))
    ORDER BY e.id LIMIT %s FOR UPDATE SKIP LOCKED
), claimed AS (
    UPDATE {e} SET steps_done = steps_done + 1, next_due_at = {next_due}
    WHERE id IN (SELECT id FROM due) AND steps_done = %s
    RETURNING subscriber_id
), first_batch AS (
    SELECT COALESCE(MAX(batch) + 1, 0) AS n FROM {d} WHERE campaign_id = %s
)
INSERT INTO {d} (campaign_id, subscriber_id, email, batch, state, attempts, due_at, error)
SELECT %s, s.id, s.email, f.n + (ROW_NUMBER() OVER (ORDER BY s.id) - 1) / %s,
       'pending', 0, %s, ''
FROM claimed c JOIN ({sendable}) s ON s.id = c.subscriber_id CROSS JOIN first_batch f
ON CONFLICT DO NOTHING
RETURNING batch"""


def _hand_over(sequence_id: int, index: int, campaign_id: int, delays, now) -> set[int]:
    """One statement: claim the enrollments due for step `index` and add their deliveries
    (subscribers no longer sendable are passed over). Returns the new batches."""
    if connection.vendor != "postgresql":
        return _hand_over_row_by_row(sequence_id, index, campaign_id, delays, now)
    next_due, due_params = _due_sql("steps_done + 1", delays)
    sendable, sendable_params = (
        Subscriber.objects.sendable().order_by().values("id", "email").query.sql_with_params()
    )
    tables = {"e": Enrollment, "d": Delivery, "st": SequenceStep}
    sql = HAND_OVER_SQL.format(
        **{key: model._meta.db_table for key, model in tables.items()},
        next_due=next_due,
        sendable=sendable,
    )
    params = [
        sequence_id, index, now, SWEEP_LIMIT, *due_params, index, campaign_id,
        campaign_id, settings.NEWSLETTER_BATCH_SIZE, now, *sendable_params,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {batch for (batch,) in cursor.fetchall()}


def _hand_over_row_by_row(sequence_id, index, campaign_id, delays, now) -> set[int]:
    """HAND_OVER_SQL for databases other than PostgreSQL (`make run`'s SQLite, one process
    sweeping): the same claims and deliveries, a row at a time."""
    on_the_way = Delivery.objects.filter(
        campaign__step__sequence_id=sequence_id,
        subscriber_id=OuterRef("subscriber_id"),
        state__in=[Delivery.State.PENDING, Delivery.State.SENDING],
    )
    due = Enrollment.objects.filter(
        sequence_id=sequence_id, steps_done=index, stopped_at=None, next_due_at__lte=now
    ).exclude(Exists(on_the_way))
    due = list(due.order_by("pk")[:SWEEP_LIMIT])
    emails = dict(
        Subscriber.objects.sendable()
        .filter(pk__in=[enrollment.subscriber_id for enrollment in due])
        .values_list("pk", "email")
    )
    first = Delivery.objects.filter(campaign_id=campaign_id).aggregate(last=Max("batch"))["last"]
    first = 0 if first is None else first + 1
    deliveries = []
    for enrollment in due:
        claimed = Enrollment.objects.filter(pk=enrollment.pk, steps_done=index).update(
            steps_done=index + 1, next_due_at=_due_at(enrollment, index + 1, delays)
        )
        if claimed and enrollment.subscriber_id in emails:
            deliveries.append(
                Delivery(
                    campaign_id=campaign_id,
                    subscriber_id=enrollment.subscriber_id,
                    email=emails[enrollment.subscriber_id],
                    due_at=now,
                    batch=first + len(deliveries) // settings.NEWSLETTER_BATCH_SIZE,
                )  # fmt: skip
            )
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return {delivery.batch for delivery in deliveries}


def sequences_sweep(*, now: datetime | None = None) -> int:
    """Beat: enroll from the triggers, then hand every due step over; its batches are queued
    after commit. Returns the number of batches queued."""
    now = now or timezone.now()
    enroll_from_triggers(now=now)
    pairs = []
    for sequence in Sequence.objects.filter(is_active=True):
        steps = list(sequence.steps.values_list("campaign_id", "delay_days"))
        delays = [delay for _, delay in steps]
        with transaction.atomic():
            for index, (campaign_id, _) in enumerate(steps):
                batches = _hand_over(sequence.pk, index, campaign_id, delays, now)
                pairs += [(campaign_id, batch) for batch in sorted(batches)]
    transaction.on_commit(partial(campaigns.enqueue_batches, pairs))
    return len(pairs)


# -- the coach's changes ----------------------------------------------------------------------


@transaction.atomic
def sequence_set_active(*, sequence: Sequence, active: bool) -> None:
    """Turn on (its steps' campaigns send, the pending rows first) or off (they pause after
    the message in flight). Enrollments keep their place either way."""
    if active and not sequence.steps.exists():
        raise ValidationError("Add at least one letter before turning the sequence on.")
    Sequence.objects.filter(pk=sequence.pk).update(is_active=active)
    sequence.is_active = active
    step_campaigns = Campaign.objects.filter(step__sequence=sequence)
    if active:
        for campaign in step_campaigns.filter(state=Campaign.State.PAUSED):
            campaigns.campaign_resume(campaign=campaign)
    else:
        for campaign in step_campaigns.filter(state=Campaign.State.SENDING):
            campaigns.campaign_pause(campaign=campaign, reason="The sequence is off.")


@transaction.atomic
def step_save(*, step: SequenceStep, campaign: Campaign) -> SequenceStep:
    """Save a letter (only known merge tags) and its delay; the waiting letters of everyone
    enrolled move with the new delays."""
    campaign.check_merge_tags()
    if campaign.pk is None:
        on = step.sequence.is_active
        campaign.state = Campaign.State.SENDING if on else Campaign.State.PAUSED
        campaign.started_at = timezone.now()
        campaign.pause_reason = "" if on else "The sequence is off."
    campaign.save()
    step.campaign = campaign
    step.save()
    _schedule(step.sequence, "next_due_at IS NOT NULL", Q(next_due_at__isnull=False))
    return step


@transaction.atomic
def step_delete(*, step: SequenceStep) -> None:
    """Remove a letter nobody has been handed yet (one with deliveries keeps its figures)."""
    if step.campaign.deliveries.exists():
        raise ValidationError("This letter has gone to subscribers: it stays, with its figures.")
    campaign = step.campaign
    step.delete()
    campaign.delete()
    _schedule(step.sequence, "next_due_at IS NOT NULL", Q(next_due_at__isnull=False))


def step_counts(sequence: Sequence) -> list[dict]:
    """Per step, in order: sent, waiting (enrolled, not yet sent) and left (stopped before
    it). Two queries, whatever the number of steps or subscribers."""
    steps = list(sequence.steps.select_related("campaign"))
    stopped = Q(stopped_at__isnull=False)
    enrolled = Enrollment.objects.filter(sequence=sequence).aggregate(
        **{f"w{i}": Count("pk", filter=~stopped & Q(steps_done__lte=i)) for i in range(len(steps))},
        **{f"l{i}": Count("pk", filter=stopped & Q(steps_done__lte=i)) for i in range(len(steps))},
    )
    D = Delivery.State
    deliveries = {
        row["campaign_id"]: row
        for row in Delivery.objects.filter(campaign__step__sequence=sequence)
        .values("campaign_id")
        .annotate(
            sent=Count("pk", filter=Q(state=D.SENT)),
            on_way=Count("pk", filter=Q(state__in=[D.PENDING, D.SENDING])),
        )
    }
    rows = []
    for i, step in enumerate(steps):
        found = deliveries.get(step.campaign_id, {"sent": 0, "on_way": 0})
        rows.append(
            {
                "step": step,
                "number": i + 1,
                "sent": found["sent"],
                "waiting": enrolled[f"w{i}"] + found["on_way"],
                "left": enrolled[f"l{i}"],
            }
        )
    return rows
