"""Booking workflows: create, hold, approve, decline, move, cancel, mark attended or no-show.

Status changes go through `Booking.TRANSITIONS` (`Booking.transition`, a conditional UPDATE).

Every write that can take time from someone else locks the coach's `CoachCalendar` row first,
re-checks the slot with the slot engine, then writes; PostgreSQL's exclusion constraint is the
last word. Whoever loses a race (exclusion violation, deadlock, serialization failure) gets
`SlotTaken`, which the views turn into "that time was just taken", never an error page.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from bookings import hooks, notifications, reminders, rooms
from bookings.availability import is_bookable
from bookings.models import Booking, BookingChange, CoachCalendar, SessionType
from clients.intake.services import response_link_booker
from clients.models import Client, Package
from clients.services import (
    client_advance_stage,
    client_get_or_create_lead,
    packages_with_usage,
)
from coaching.hooks import newsletter_signup
from coaching.tokens import TokenInvalid, read_token

# exclusion_violation, deadlock_detected, serialization_failure: all mean "someone was faster".
RACE_SQLSTATES = {"23P01", "40P01", "40001"}
UNIQUE_VIOLATION = "23505"


class SlotTaken(ValidationError):
    def __init__(self, message="Sorry, that time was just taken."):
        super().__init__(message, code="slot_taken")


class SlotPassed(SlotTaken):
    def __init__(self):
        super().__init__("Sorry, that time has passed.")


class IdempotencyConflict(ValidationError):
    def __init__(self):
        super().__init__(
            "This request key was already used for a different booking.", code="idempotency"
        )


class AlreadyHandled(ValidationError):
    def __init__(self, message="This booking was already handled."):
        super().__init__(message, code="conflict")


@dataclass(frozen=True)
class Booker:
    """Who is booking, as the public form gave it."""

    name: str
    email: str
    phone: str = ""
    topic: str = ""
    time_zone: str = ""
    discreet: bool = False
    newsletter: bool = False
    intake_token: str = ""
    ip: str = ""
    user_agent: str = ""
    # The client the booker is signed in as: only then may a paid package's credit pay.
    client_id: int | None = None


def _sqlstate(exc: Exception) -> str | None:
    return getattr(exc.__cause__, "sqlstate", None)


def race_safe(work):
    """Run `work` in a transaction; a lost race becomes SlotTaken."""
    try:
        with transaction.atomic():
            return work()
    except (IntegrityError, OperationalError) as exc:
        if _sqlstate(exc) in RACE_SQLSTATES:
            raise SlotTaken() from exc
        raise


def lock_calendar(session_type: SessionType) -> CoachCalendar:
    """Take the coach's calendar row lock: every write that can take time goes one at a time."""
    calendar = CoachCalendar.objects.select_for_update().get(pk=session_type.calendar_id)
    session_type.calendar = calendar
    return calendar


def _fingerprint(session_type: SessionType, start: datetime, booker: Booker) -> str:
    parts = [session_type.slug, start.isoformat(), booker.email.strip().lower(), booker.name]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def booking_create(
    *,
    session_type: SessionType,
    start: datetime,
    booker: Booker,
    idempotency_key: str | None = None,
    hold: bool = False,
    now: datetime | None = None,
) -> Booking:
    """Book `start` for `booker`: confirmed, pending (needs approval) or held (`hold=True`).

    Raises SlotTaken when the time is not (or no longer) free, IdempotencyConflict when the key
    was used with other details, ValidationError for a second free call. With a key already
    used for the same details, returns that booking again and changes nothing.
    """
    now = now or timezone.now()
    fingerprint = _fingerprint(session_type, start, booker)
    if idempotency_key:  # any length a client sends fits the column once hashed
        idempotency_key = hashlib.sha256(idempotency_key.encode()).hexdigest()
    try:
        booking = race_safe(
            lambda: _create_locked(
                session_type, start, booker, idempotency_key, fingerprint, hold, now
            )
        )
    except IntegrityError as exc:
        # Two requests with one key: the unique index let one in; answer as it did.
        if not idempotency_key or _sqlstate(exc) != UNIQUE_VIOLATION:
            raise
        booking = _replay(Booking.objects.get(idempotency_key=idempotency_key), fingerprint)
    return booking


def booking_check_slot(
    *,
    session_type: SessionType,
    start: datetime,
    now: datetime | None = None,
    exclude_booking: Booking | None = None,
) -> None:
    """Raise SlotPassed or SlotTaken unless `start` is offered now (under the calendar's lock
    when booking; without it, only to say so before the visitor fills in the form)."""
    now = now or timezone.now()
    if start <= now:
        raise SlotPassed()
    if not is_bookable(session_type, start, now=now, exclude_booking=exclude_booking):
        raise SlotTaken()


def _replay(existing: Booking, fingerprint: str) -> Booking:
    if existing.request_hash != fingerprint:
        raise IdempotencyConflict()
    return existing


def _create_locked(session_type, start, booker, idempotency_key, fingerprint, hold, now):
    lock_calendar(session_type)
    if idempotency_key:
        existing = Booking.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return _replay(existing, fingerprint)
    expire_holds(session_type.calendar_id, now)
    _refuse_second_booking(session_type, booker.email)
    booking_check_slot(session_type=session_type, start=start, now=now)
    client = client_get_or_create_lead(
        email=booker.email, name=booker.name, source=Client.Source.BOOKING, phone=booker.phone,
        time_zone=booker.time_zone,
    )  # fmt: skip
    booking = Booking(
        calendar_id=session_type.calendar_id, session_type=session_type, client=client,
        name=booker.name, email=booker.email.strip(), phone=booker.phone, topic=booker.topic,
        time_zone=booker.time_zone, discreet=booker.discreet or client.discreet,
        contact_consent_at=now, intake_public_id=_intake_id(booker.intake_token),
        idempotency_key=idempotency_key or None, request_hash=fingerprint, created_at=now,
    )  # fmt: skip
    booking.set_times(start, session_type)
    if hold:  # a paid time: a credit of the signed-in client's package pays, else Checkout
        booking.package = _credit(session_type, client, booker)
    if hold and booking.package is None:
        booking.status, booking.held_until = (
            Booking.Status.HELD,
            now + timedelta(minutes=settings.BOOKING_HOLD_MINUTES),
        )
    elif session_type.needs_approval:
        booking.status = Booking.Status.PENDING
    booking.save()
    if booking.status != Booking.Status.HELD:
        _after_booked(booking, now)
    if booker.newsletter:
        transaction.on_commit(lambda: _newsletter_signup(booker))
    return booking


def _credit(session_type: SessionType, client: Client, booker: Booker) -> Package | None:
    """A session left in the client's current paid package, if the booker is signed in as
    that client (an email typed in the form is not proof enough to spend someone's credits)."""
    return paid_package_for(client, session_type) if booker.client_id == client.pk else None


def paid_package_for(client: Client, session_type: SessionType) -> Package | None:
    """The client's paid package with a session left for this type: what a booking of it while
    signed in pays with instead of Checkout."""
    if not session_type.takes_payment:
        return None
    package = package_for(client, session_type, 1)
    return package if package and package.paid else None


def _after_booked(booking: Booking, now: datetime) -> None:
    """What follows a booking that holds its time for good: pipeline, reminders, its video
    room (before the emails, which carry it), emails."""
    if booking.status == Booking.Status.CONFIRMED:
        after_confirmed(booking, now=now)
    if booking.intake_public_id and booking.client:
        response_link_booker(
            public_id=booking.intake_public_id, client=booking.client, email=booking.email
        )
    notifications.booked(booking)


def after_confirmed(booking: Booking, *, now: datetime) -> None:
    """What a confirmed booking starts: the client's pipeline stage, its reminders and its video
    room (before the emails, which carry it). Called in the confirming transaction."""
    _advance_client(booking)
    reminders.schedule(booking, now=now)
    rooms.on_confirmed(booking)


def expire_holds(calendar_id: int | None, now: datetime) -> int:
    """Expire the calendar's holds whose time is up (under `lock_calendar`, so the constraint
    no longer counts them); every calendar's when `calendar_id` is None (the beat sweeper: it
    only frees time, so it needs no lock). Returns how many expired."""
    due = Booking.objects.filter(held_until__lte=now)
    if calendar_id is not None:
        due = due.filter(calendar_id=calendar_id)
    return due.transition(from_status=Booking.Status.HELD, to_status=Booking.Status.EXPIRED)


def _refuse_second_booking(session_type: SessionType, email: str) -> None:
    if not session_type.one_per_person:
        return
    used = (*Booking.BLOCKING, Booking.Status.ATTENDED)
    if Booking.objects.for_email(email).filter(session_type=session_type, status__in=used):
        raise ValidationError(
            f"You have already booked a {session_type.name.lower()} with this email address. "
            "You are welcome to book a session instead.",
            code="one_per_person",
        )


def _intake_id(token: str) -> uuid.UUID | None:
    if not token:
        return None
    try:
        return uuid.UUID(str(read_token("intake-attach", token)))
    except (TokenInvalid, ValueError):
        return None  # a broken link must not stop a booking


def _newsletter_signup(booker: Booker) -> None:
    first_name = booker.name.split()[0] if booker.name.split() else ""
    for receiver in newsletter_signup:
        receiver(
            email=booker.email, first_name=first_name, source="booking", ip=booker.ip,
            user_agent=booker.user_agent,
        )  # fmt: skip


def booking_confirm_hold(*, booking: Booking, now: datetime | None = None) -> Booking:
    """Turn a held slot into a booking while the hold lasts; an expired hold cannot be."""
    now = now or timezone.now()
    expired = Booking.objects.filter(pk=booking.pk, held_until__lte=now).transition(
        from_status=Booking.Status.HELD, to_status=Booking.Status.EXPIRED
    )
    if expired:
        raise SlotTaken("Sorry, the time we kept for you has run out.")

    def work():
        lock_calendar(booking.session_type)
        needs = booking.session_type.needs_approval
        to_status = Booking.Status.PENDING if needs else Booking.Status.CONFIRMED
        confirmed = _transition(booking, from_status=Booking.Status.HELD, to_status=to_status)
        _after_booked(confirmed, now)
        return confirmed

    try:
        return race_safe(work)
    except AlreadyHandled:
        raise SlotTaken("Sorry, the time we kept for you has run out.") from None


def booking_confirm_paid(*, booking: Booking, now: datetime | None = None) -> Booking:
    """Confirm (or, if it needs approval, make pending) a booking whose payment succeeded: held,
    or expired while the visitor paid and its time still free. SlotTaken (SlotPassed) when the
    time went meanwhile; AlreadyHandled when the booking no longer waits for a payment."""
    now = now or timezone.now()
    to_status = (
        Booking.Status.PENDING if booking.session_type.needs_approval else Booking.Status.CONFIRMED
    )

    def work():
        lock_calendar(booking.session_type)
        expire_holds(booking.calendar_id, now)
        current = Booking.objects.select_related("session_type").get(pk=booking.pk)
        if current.status == Booking.Status.EXPIRED:  # a late payment: is the time still free?
            current.session_type.calendar = booking.session_type.calendar
            booking_check_slot(
                session_type=current.session_type, start=current.start, now=now,
                exclude_booking=current,
            )  # fmt: skip
        elif current.status != Booking.Status.HELD:
            raise AlreadyHandled()
        confirmed = _transition(current, from_status=current.status, to_status=to_status)
        _after_booked(confirmed, now)
        return confirmed

    return race_safe(work)


def booking_cancel(
    *,
    booking: Booking,
    by_coach: bool = False,
    message: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> Booking:
    """Cancel a booking: the booker only before the cut-off, the coach at any time.

    `message` is the coach's word to the client (in the email); `reason` is the client's word
    to the coach (on the coach's pages only).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_changeable(booking, by_coach=by_coach, now=now)
        locked.status, locked.cancelled_at = Booking.Status.CANCELLED, now
        locked.coach_message = message
        late = not by_coach and not locked.refund_due(now)
        locked.credit_spent = bool(locked.package_id) and late
        locked.sequence += 1
        locked.save(
            update_fields=[
                "status",
                "cancelled_at",
                "coach_message",
                "credit_spent",
                "sequence",
                "updated_at",
            ]
        )
        change = _record_change(locked, BookingChange.Kind.CANCELLED, by_coach, reason, now)
        reminders.drop(locked)
        rooms.on_cancelled(locked, now=now)
        for receiver in hooks.booking_cancelled:
            receiver(locked, by_coach)
        notifications.cancelled(locked, by_coach=by_coach, reason_given=bool(change.reason))
    return locked


def _lock_changeable(booking: Booking, *, by_coach: bool, now: datetime) -> Booking:
    """The booking, locked, if it may still change: active, and before the booker's cut-off."""
    locked = Booking.objects.select_for_update().select_related("session_type").get(pk=booking.pk)
    if not locked.is_active:
        raise AlreadyHandled("This booking is no longer active.")
    if not by_coach and not locked.can_change(now):
        raise ValidationError(_cutoff_message(locked), code="cutoff")
    return locked


def _cutoff_message(booking: Booking) -> str:
    return (
        f"This session can be cancelled or moved up to {booking.session_type.cutoff_hours} hours "
        "before it starts. Please reply to your confirmation email to talk it over."
    )


def booking_move(
    *,
    booking: Booking,
    start: datetime,
    by_coach: bool = False,
    reason: str = "",
    now: datetime | None = None,
) -> Booking:
    """Move a booking to `start` atomically: the old time is freed only if the new one is taken.
    A video booking keeps its room (its address does not depend on the time).

    `reason` is the client's word to the coach, kept with the change for the coach's pages only.
    """
    now = now or timezone.now()

    def work():
        lock_calendar(booking.session_type)
        locked = _lock_changeable(booking, by_coach=by_coach, now=now)
        locked.session_type.calendar = booking.session_type.calendar
        booking_check_slot(
            session_type=locked.session_type, start=start, now=now, exclude_booking=locked
        )
        previous = locked.start
        locked.set_times(start, locked.session_type)
        locked.sequence += 1
        locked.save()
        change = _record_change(
            locked, BookingChange.Kind.MOVED, by_coach, reason, now, previous=previous
        )
        if locked.status == Booking.Status.CONFIRMED:  # a pending one gets them when approved
            reminders.schedule(locked, now=now)
        rooms.on_moved(locked)
        notifications.moved(
            locked, previous=previous, by_coach=by_coach, reason_given=bool(change.reason)
        )
        return locked

    return race_safe(work)


def _record_change(booking, kind, by_coach, reason, now, previous=None) -> BookingChange:
    return BookingChange.objects.create(
        booking=booking, kind=kind, by_coach=by_coach, previous_start=previous,
        reason=reason.strip(), created_at=now,
    )  # fmt: skip


def _transition(booking: Booking, *, from_status: str, to_status: str) -> Booking:
    """The booking after its status change; AlreadyHandled if someone changed it first."""
    if not booking.transition(from_status=from_status, to_status=to_status):
        raise AlreadyHandled()
    return Booking.objects.select_related("session_type", "client").get(pk=booking.pk)


def _advance_client(booking: Booking) -> None:
    if booking.client:
        client_advance_stage(client=booking.client, to=booking.client_stage)


def booking_approve(*, booking: Booking, now: datetime | None = None) -> Booking:
    """The coach accepts a booking that needed approval."""
    now = now or timezone.now()
    with transaction.atomic():
        approved = _transition(
            booking, from_status=Booking.Status.PENDING, to_status=Booking.Status.CONFIRMED
        )
        after_confirmed(approved, now=now)
        notifications.approved(approved)
    return approved


def booking_decline(*, booking: Booking, message: str = "") -> Booking:
    """The coach declines a booking that needed approval; the time is free again."""
    with transaction.atomic():
        declined = _transition(
            booking, from_status=Booking.Status.PENDING, to_status=Booking.Status.DECLINED
        )
        declined.coach_message = message
        declined.save(update_fields=["coach_message"])
        notifications.declined(declined)
    return declined


def booking_mark_attended(*, booking: Booking, now: datetime | None = None) -> Booking:
    """Record that the session took place; a free call moves the client to "free call done"."""
    _refuse_before_start(booking, now)
    with transaction.atomic():
        attended = _transition(
            booking, from_status=Booking.Status.CONFIRMED, to_status=Booking.Status.ATTENDED
        )
        if attended.client and attended.session_type.is_free:
            client_advance_stage(client=attended.client, to=Client.Stage.FREE_CALL_DONE)
    return attended


def booking_mark_no_show(*, booking: Booking, now: datetime | None = None) -> Booking:
    """Record a no-show and send a kind note inviting them to book again; no follow-up goes."""
    _refuse_before_start(booking, now)
    with transaction.atomic():
        missed = _transition(
            booking, from_status=Booking.Status.CONFIRMED, to_status=Booking.Status.NO_SHOW
        )
        reminders.drop(missed)
        notifications.no_show(missed)
    return missed


def _refuse_before_start(booking: Booking, now: datetime | None) -> None:
    if (now or timezone.now()) < booking.start:
        raise ValidationError("This session has not started yet.", code="too_early")


def package_for(client: Client, session_type: SessionType, count: int) -> Package | None:
    """The client's current package when it has sessions left to book (paid sessions only):
    what a series counts against, and the credit a client books with online (a paid package).

    Left to book: its sessions, less those attended, less those booked against it and still to
    come. Counted under the calendar's lock, so two series cannot both take the last ones.
    """
    packages = packages_with_usage(client=client)
    if session_type.is_free or not packages:
        return None
    package = packages[-1]  # the current one: the latest to start
    if not all(covers(package, session_type) for covers in hooks.package_covers):
        return None  # another kind of session: the coach's to invoice, or paid online
    left = package_left(package)
    if left <= 0:
        return None  # used up: sessions beyond it are the coach's to invoice
    if count > left:
        raise ValidationError(
            f"{package.name} has {left} session{'s' if left != 1 else ''} left to book and this "
            f"series has {count}. Book {left}, or add a package on the client's page first.",
            code="package",
        )
    return package


def package_left(package: Package) -> int:
    """Sessions left to book in a package (from `packages_with_usage`): less those attended,
    less those booked against it and still to come, less those the client cancelled too late
    (one cancelled in time, or by the coach, gives its session back)."""
    booked = Booking.objects.filter(package=package).filter(
        Q(status__in=Booking.BLOCKING_FINAL) | Q(credit_spent=True)
    )
    return package.remaining - booked.count()
