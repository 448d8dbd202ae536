"""One helper for every email: render three templates, record the email, deliver it on commit.

`emails/<name>_subject.txt`, `emails/<name>_body.txt` and `emails/<name>_body.html` are
rendered with the site's branding; the HTML gets its CSS inlined for mail clients. Delivery is
at-least-once: a task claims the row, sends, marks it sent; a sweeper re-queues lost work.
"""

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import Address
from email.utils import parseaddr

import css_inline
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from coaching import outbox
from coaching.models import OutboundEmail, SiteSettings
from coaching.outbox import STALL_AFTER
from coaching.termination import TerminationHold

logger = logging.getLogger(__name__)

RETRY_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(minutes=10)


def retry_backoff(attempts: int) -> timedelta:
    """The wait before the next try after `attempts` failed ones: 1, 2, 4, 8, then every 10
    minutes, as providers ask of throttled senders."""
    return min(RETRY_BACKOFF * 2 ** (attempts - 1), MAX_BACKOFF)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def absolute_url(path: str) -> str:
    """An absolute link for emails, built from SITE_URL (requests may not exist in a task)."""
    return f"{settings.SITE_URL}{path}"


def sender(address: str) -> str:
    """The From of an email: `address`, named after the site unless it names itself."""
    name, email = parseaddr(address)
    if name:
        return address
    username, _, domain = email.rpartition("@")
    return str(Address(SiteSettings.load().site_name, username, domain))


def render_email(template: str, context: dict) -> Rendered:
    context = {"site": SiteSettings.load(), "site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    text = render_to_string(f"emails/{template}_body.txt", context)
    html = render_to_string(f"emails/{template}_body.html", context)
    # One line: a newline in a subject is a header-injection attempt, never intended.
    return Rendered(" ".join(subject.split()), text.strip() + "\n", css_inline.inline(html))


def send_email(
    *,
    to: str,
    template: str,
    context: dict,
    related=None,
    headers: dict | None = None,
    attachments: list[dict] | None = None,
    from_email: str = "",
) -> OutboundEmail:
    """Record an email and deliver it through the queue once the transaction commits.

    `attachments` are dicts with `filename`, `content` (text) and `mimetype`.
    """
    from coaching.tasks import deliver_email

    rendered = render_email(template, context)
    email = OutboundEmail.objects.create(
        to=to,
        template=template,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        headers=headers or {},
        attachments=attachments or [],
        from_email=sender(from_email or settings.DEFAULT_FROM_EMAIL),
        related_type=ContentType.objects.get_for_model(related) if related else None,
        related_id=str(related.pk) if related else "",
        next_attempt_at=timezone.now() + STALL_AFTER,
    )
    deliver_email.delay_on_commit(email.pk)
    return email


def claim(email_id: int) -> OutboundEmail | None:
    """Take the row for sending; None when another worker has it or it is done."""
    queued = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.QUEUED)
    won = outbox.claim(queued, now=timezone.now(), status=OutboundEmail.Status.SENDING)
    return OutboundEmail.objects.get(pk=email_id) if won else None


def deliver(email_id: int) -> None:
    """Send one recorded email if it is still queued; record the outcome.

    At-least-once: a worker killed between the server's answer and the outcome's write leaves
    the row `sending`, and the sweeper queues it again after STALL_AFTER.
    """
    email = claim(email_id)
    if email is None:
        return
    with TerminationHold():  # a SIGTERM waits until the outcome is written
        try:
            build_message(email).send()
        except smtplib.SMTPResponseException as exc:
            _record_failure(
                email, f"{exc.smtp_code} {exc.smtp_error!r}", permanent=exc.smtp_code >= 500
            )
        except smtplib.SMTPRecipientsRefused as exc:
            _record_failure(email, f"refused: {exc.recipients!r}", permanent=True)
        except (OSError, smtplib.SMTPException) as exc:
            _record_failure(email, repr(exc), permanent=False)
        else:
            email.status, email.sent_at, email.error = OutboundEmail.Status.SENT, timezone.now(), ""
            email.save(update_fields=["status", "sent_at", "error"])


def build_message(email: OutboundEmail, connection=None) -> EmailMultiAlternatives:
    """The recorded email as a message, with the Message-ID a resend keeps."""
    return mime_message(
        to=email.to,
        subject=email.subject,
        text=email.body_text,
        html=email.body_html,
        from_email=email.from_email,
        headers={**email.headers, "Message-ID": email.message_id},
        attachments=email.attachments,
        connection=connection or get_connection(timeout=settings.EMAIL_TIMEOUT),
    )


def mime_message(
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    from_email: str,
    headers: dict,
    attachments: Sequence[dict] = (),
    connection=None,
) -> EmailMultiAlternatives:
    """The one MIME builder (transactional and campaign mail): text, its HTML alternative, and
    attachments (dicts with `filename`, `content`, `mimetype`), sendable by any email backend."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email,
        to=[to],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def _record_failure(email: OutboundEmail, error: str, *, permanent: bool) -> None:
    give_up = permanent or email.attempts >= settings.EMAIL_MAX_ATTEMPTS
    email.status = OutboundEmail.Status.FAILED if give_up else OutboundEmail.Status.QUEUED
    email.error = error[:2000]
    email.next_attempt_at = timezone.now() + retry_backoff(email.attempts)  # swept when due
    email.save(update_fields=["status", "error", "next_attempt_at"])
    # The alert of docs/reliability.md R-09; the coach's dashboard counts these too
    # (coaching.email_health).
    if give_up:
        logger.error(
            "email %s (%s) failed for good after %s attempts",
            email.pk,
            email.template,
            email.attempts,
        )


def requeue_due(now=None) -> list[int]:
    """Put due retries and lost deliveries back in the queue; returns their ids."""
    now = now or timezone.now()
    due = OutboundEmail.objects.due_again(now, stalled_after=STALL_AFTER)
    # Pushed forward, so a backlog is not queued again at every sweep.
    return outbox.sweep(
        due, limit=1000, status=OutboundEmail.Status.QUEUED, next_attempt_at=now + STALL_AFTER
    )
