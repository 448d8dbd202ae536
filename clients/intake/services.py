"""Intake workflows: start, save as one goes, submit (score, safety flag), share, delete.

Scoring, safety and couple rules are the plain functions of `scoring`, `safety` and `comparison`;
these services only store what they return. Every coach read of a response goes through
`response_read`, the one place where the access-audit event is written. Sections (§) are those
of the PBI spec, docs/assessment/pbi-spec.md; D-04 and D-08 are rows of docs/reliability.md.
"""

import uuid
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from clients.audit import audit_record
from clients.intake import safety, scoring
from clients.intake.couple_services import couple_compare, pair_of
from clients.intake.instrument import validate_answers
from clients.intake.models import (
    CouplePair,
    Instrument,
    Response,
    Result,
    SafetyFlag,
)
from clients.models import AccessLog, Client, Consent, Person
from clients.services import client_get_or_create_lead, consent_record
from coaching.emails import absolute_url, send_email
from coaching.models import SiteSettings
from coaching.tokens import make_token

CONSENT_VERSION = "1.0"
RESUME_PURPOSE = "intake-resume"
ATTACH_PURPOSE = "intake-attach"
SAFE_CONTACT_CHOICES = {
    "phone": "Phone, at a safe time",
    "email": "By email",
    "none": "Please don't contact me",
    "self": "I'll get in touch myself",
}
FLAGGED_TIERS = {safety.Tier.RED, safety.Tier.AMBER}
GATE_ITEM = "GATE"  # the privacy gate's id in the item bank (§4, unscored items)
NOT_ANSWERED = "Not answered"
NOTIFY_GRACE = timedelta(minutes=2)  # longer than a healthy queue takes to deliver
NOTIFY_BATCH = 200


def resume_token(response: Response) -> str:
    return make_token(RESUME_PURPOSE, str(response.public_id))


def attach_token(response: Response) -> str:
    """The token the bookings app stores with a free call: it names this response."""
    return make_token(ATTACH_PURPOSE, str(response.public_id))


def response_start(
    *,
    country: str,
    share_intimacy: bool = False,
    user=None,
    pair: CouplePair | None = None,
) -> Response:
    """A new response to the current instrument, after explicit consent (D-08).

    For a partner accepting an invitation, `pair` links the response as the invitee's."""
    with transaction.atomic():
        response = Response.objects.create(
            instrument=Instrument.objects.current(),
            consent_version=CONSENT_VERSION,
            consented_at=timezone.now(),
            country=country,
            share_intimacy=share_intimacy,
            respondent=user if user and user.is_authenticated else None,
        )
        if pair is not None:
            claimed = CouplePair.objects.filter(pk=pair.pk, invitee_response=None).update(
                invitee_response=response
            )
            if not claimed:
                raise ValidationError("This invitation has already been used.")
        _link_signed_in_person(response)
    return response


def _link_signed_in_person(response: Response) -> None:
    person = getattr(response.respondent, "person", None) if response.respondent else None
    if person is not None:
        _link_to_client(response, person.client, person)


def response_set_gate(*, response: Response, gate: str) -> None:
    """Record the privacy gate; anything but Yes hides the safety block (§4)."""
    if gate not in Response.Gate.values:
        raise ValidationError("Please choose one of the answers.")
    response.privacy_gate = gate
    response.save(update_fields=["privacy_gate"])


def response_save_answers(*, response: Response, item_ids: list[str], raw: dict) -> None:
    """Save one page: the page's items are replaced by what was sent; blanks are skips."""
    if response.is_submitted:
        raise ValidationError("These answers have already been sent.")
    sent = {item_id: raw.get(item_id) or None for item_id in item_ids}
    try:
        cleaned = validate_answers(response.instrument.load(), sent)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        answers = {k: v for k, v in locked.answers.items() if k not in item_ids}
        locked.answers = answers | cleaned
        locked.save(update_fields=["answers"])
    response.answers = locked.answers


def response_submit(*, response: Response) -> Response:
    """Score the response, raise a safety flag when needed, compare a complete couple.

    Idempotent: a second submit (a double click, a replayed form) changes nothing."""
    with transaction.atomic():
        claimed = Response.objects.filter(pk=response.pk, submitted_at=None).update(
            submitted_at=timezone.now()
        )
        response.refresh_from_db()
        if not claimed:
            return response
        result_compute(response=response)
        safety_flag_raise(response=response)
        _compare_if_complete(response)
        if response.person is not None:
            _send_link(response, response.person.email)
    return response


def _compare_if_complete(response: Response) -> None:
    pair, _ = pair_of(response)
    if pair is not None and pair.invitee_response_id and _both_submitted(pair):
        couple_compare(pair=pair)


def _both_submitted(pair: CouplePair) -> bool:
    return pair.inviter_response.is_submitted and pair.invitee_response.is_submitted


def result_compute(*, response: Response, triggered_by=None) -> Result:
    """Score the raw answers with the current scoring version: always a new row (§10.1)."""
    result = scoring.score(response.instrument.load(), response.answers)
    return Result.objects.create(
        response=response,
        scheme=response.instrument.current_scheme(),
        payload=result.to_dict(),
        triggered_by=triggered_by,
    )


def safety_flag_raise(*, response: Response) -> SafetyFlag | None:
    """A RED or AMBER tier gives the coach a flag and a content-free notification."""
    outcome = response.safety_tier()
    if outcome.tier not in FLAGGED_TIERS:
        return None
    flag = SafetyFlag.objects.create(
        response=response, tier=outcome.tier.value, triggers=list(outcome.triggers)
    )
    from clients.intake.tasks import notify_coach_of_flag

    notify_coach_of_flag.delay_on_commit(flag.pk)
    return flag


def safety_flag_notify(*, flag_id: int) -> bool:
    """Tell the coach that an intake needs attention, once per flag (claimed by UPDATE).

    The email names no item, answer, tier or person (§6.3). Returns whether it was sent."""
    with transaction.atomic():
        claimed = SafetyFlag.objects.filter(pk=flag_id, notified_at=None).update(
            notified_at=timezone.now()
        )
        if not claimed:
            return False
        site = SiteSettings.load()
        send_email(
            to=site.coach_email,
            template="intake_attention",
            context={"url": absolute_url(reverse("intake_coach:index"))},
        )
    return True


def safety_flags_due_notification(now=None) -> list[int]:
    """Flags still waiting for their notification a while after they were raised: their
    task was lost (a flushed broker, a crash before the enqueue). Fixed batch size."""
    due = (now or timezone.now()) - NOTIFY_GRACE
    flags = SafetyFlag.objects.filter(notified_at=None, created_at__lte=due)
    return list(flags.order_by("created_at").values_list("pk", flat=True)[:NOTIFY_BATCH])


def safety_flag_resolve(*, flag: SafetyFlag, user, note: str) -> SafetyFlag:
    """Close a flag; a note is required and the flag stays in the history (§6.3)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError("Please write what was done before resolving the flag.")
    if not flag.is_open:
        raise ValidationError("This flag is already resolved.")
    now = timezone.now()
    flag.resolution_note, flag.resolved_by, flag.resolved_at = note, user, now
    if flag.acknowledged_at is None:
        flag.acknowledged_at, flag.acknowledged_by = now, user
    flag.save()
    return flag


def response_set_safe_contact(
    *, response: Response, choice: str, phone: str = "", times: str = "", email: str = ""
) -> None:
    """How the coach may safely reach the respondent (§6.2); stored encrypted. "This email" is the
    address given for the link, or one written here; nothing is sent to it now."""
    if choice not in SAFE_CONTACT_CHOICES:
        raise ValidationError("Please choose how we may contact you.")
    if choice == "phone" and not phone.strip():
        raise ValidationError("Please give a phone number, or choose another way.")
    if choice == "email" and not (email.strip() or response.person_id):
        raise ValidationError("Please give an email address, or choose another way.")
    response.safe_contact = {
        "choice": choice,
        "phone": phone.strip() if choice == "phone" else "",
        "times": times.strip() if choice == "phone" else "",
        "email": email.strip() if choice == "email" else "",
    }
    response.save(update_fields=["safe_contact"])


def response_attach_email(*, response: Response, email: str, name: str = "") -> None:
    """Link the response to the respondent's client record (a lead when new) and email the
    link. The email says only that they can continue, or that their results are ready."""
    client = client_get_or_create_lead(email=email, name=name, source="intake")
    _link_to_client(response, client, _person_of(client, email))
    _send_link(response, email.strip())


def response_link_booker(*, public_id: uuid.UUID, client: Client, email: str) -> Response | None:
    """A booking made from the results joins that response to the booker's client record, so
    it shows on the record's timeline and stays there whatever becomes of the booking.

    A response already linked to someone else stays theirs: a link that travelled (a shared
    booking page, the other partner of a couple record) never moves someone's answers to
    another record or person. Idempotent: booking again from the same results changes
    nothing. Returns the response when it is linked to the booker."""
    person = _person_of(client, email)
    with transaction.atomic():
        response = Response.objects.select_for_update().filter(public_id=public_id).first()
        if response is None or response.client_id not in (None, client.pk):
            return None
        if response.person_id not in (None, getattr(person, "pk", None)):
            return None
        _link_to_client(response, client, person)
    return response


def _person_of(client: Client, email: str) -> Person | None:
    return client.people.filter(email__iexact=email.strip()).first()


def _link_to_client(response: Response, client: Client, person: Person | None) -> None:
    if (response.client_id, response.person_id) == (client.pk, getattr(person, "pk", None)):
        return
    response.client, response.person = client, person
    response.save(update_fields=["client", "person"])
    if person is not None:
        # The explicit consent (Art. 9) given on the consent screen joins the client record.
        consent_record(
            person=person,
            kind=Consent.Kind.SPECIAL_CATEGORY,
            granted=True,
            method=f"intake assessment consent screen, {response.consented_at:%Y-%m-%d %H:%M} UTC",
            text_version=response.consent_version,
        )


def _send_link(response: Response, email: str) -> None:
    """Only "you can continue" or "your results are ready", and the signed link (§6.2)."""
    template = "intake_results_ready" if response.is_submitted else "intake_resume"
    send_email(
        to=email,
        template=template,
        context={"url": absolute_url(reverse("intake:resume", args=[resume_token(response)]))},
        related=response,
    )


def response_delete(*, response: Response) -> None:
    """The respondent deletes the response: answers, results, flags and comparisons go with it."""
    response.delete()


def response_read(*, user, public_id: uuid.UUID | str, request=None) -> Response:
    """The coach opens one response. Every coach read of answers goes through here, so the
    access log (D-04) is written in this one place."""
    if not (user.is_authenticated and user.is_coach):
        raise Http404
    response = (
        Response.objects.select_related("instrument", "client", "person")
        .filter(public_id=public_id)
        .first()
    )
    if response is None:
        raise Http404
    now = timezone.now()
    if response.is_submitted and response.reviewed_at is None:
        Response.objects.filter(pk=response.pk).update(reviewed_at=now)
    # Opening the response is the coach's acknowledgement of its flags (§6.3).
    response.flags.filter(acknowledged_at=None).update(acknowledged_at=now, acknowledged_by=user)
    audit_record(
        actor=user,
        action=AccessLog.Action.VIEW,
        subject=response.client,
        obj=response,
        request=request,
    )
    return response


def answered_rows(response: Response) -> list[dict[str, Any]]:
    """Every item with the answer's label, section by section (for the coach's page)."""
    instrument = response.instrument.load()
    return [
        {"section": section, "item": item, "answer": _answer_label(response, item)}
        for section, items in instrument.sections()
        for item in items
    ]


def _answer_label(response: Response, item) -> str:
    """The privacy gate's answer is kept on the response, not with the answers; the safety
    block is never shown after anything but Yes there, so its items were not asked."""
    if item.id == GATE_ITEM:
        return response.get_privacy_gate_display() or NOT_ANSWERED
    value = response.answers.get(item.id)
    if value is not None:  # kept even if the gate was changed afterwards
        return item.scale.label(value)
    if item.is_safety and not response.safety_asked:
        return "Not asked"
    return "Skipped"
