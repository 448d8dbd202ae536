"""docs/reliability.md R-09 and X-05's alert: a throttling provider is retried with backoff (never
more than 10 minutes apart) until the email goes, once; a permanent refusal fails the email at once,
raises an alert and is never retried; an outage is reported once, within 5 minutes, and the coach's
dashboard says what is wrong until it is over. The provider is the one thing mocked here."""

import logging
import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from coaching import email_health, emails
from coaching.models import OutboundEmail

pytestmark = pytest.mark.django_db
ALERTS = "coaching"  # the loggers of coaching.emails and coaching.email_health


class Provider:
    """Answers each send with the next of `answers` (an SMTP code; 250 accepts)."""

    def __init__(self, monkeypatch, answers):
        self.answers, self.accepted = list(answers), 0
        real_send = EmailMultiAlternatives.send

        def send(message, fail_silently=False):
            code = self.answers.pop(0) if self.answers else 250
            if code != 250:
                raise smtplib.SMTPResponseException(code, b"answer from the provider")
            self.accepted += 1
            return real_send(message, fail_silently)

        monkeypatch.setattr(EmailMultiAlternatives, "send", send)


def queue_email(to="ana@example.org") -> OutboundEmail:
    with time_machine.travel(timezone.now(), tick=False):
        return emails.send_email(to=to, template="coach_test", context={})


def retry_until_settled(email: OutboundEmail, limit=20) -> list[timedelta]:
    """Deliver, then at each retry's due time sweep and deliver again; the waits between."""
    waits = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        emails.deliver(email.pk)
        for _ in range(limit):
            email.refresh_from_db()
            if email.status != OutboundEmail.Status.QUEUED:
                break
            waits.append(email.next_attempt_at - timezone.now())
            clock.move_to(email.next_attempt_at)
            assert emails.requeue_due() == [email.pk]
            emails.deliver(email.pk)
    return waits


def test_a_throttling_provider_is_retried_with_backoff_until_the_email_goes_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    provider = Provider(monkeypatch, [454, 421, 451, 454, 421])
    with django_capture_on_commit_callbacks(execute=False):
        email = queue_email()
    waits = retry_until_settled(email)

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 6
    assert provider.accepted == 1 and len(mail.outbox) == 1
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 10)]  # capped at 10 minutes


def test_a_permanent_refusal_fails_at_once_alerts_and_is_never_retried(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    Provider(monkeypatch, [550])
    with django_capture_on_commit_callbacks(execute=False):
        email = queue_email(to="typo@example.org")
    with caplog.at_level(logging.ERROR, logger=ALERTS):
        assert retry_until_settled(email) == []

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED and email.attempts == 1
    [alert] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert f"email {email.pk} (coach_test) failed for good" in alert.getMessage()
    assert "typo@example.org" not in caplog.text  # ids in logs, never addresses
    assert emails.requeue_due(timezone.now() + timedelta(days=30)) == []
    assert mail.outbox == []


def test_the_retry_budget_spent_fails_the_email_with_an_alert(
    monkeypatch, caplog, settings, django_capture_on_commit_callbacks
):
    Provider(monkeypatch, [421] * settings.EMAIL_MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=False):
        email = queue_email()
    with caplog.at_level(logging.ERROR, logger=ALERTS):
        retry_until_settled(email)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == settings.EMAIL_MAX_ATTEMPTS
    assert "failed for good" in caplog.text


def test_an_outage_is_reported_once_within_five_minutes_and_again_for_the_next(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    Provider(monkeypatch, [421, 421])  # each email's first attempt; then the server is back
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_email(to="ana@example.org", template="coach_test", context={})
        emails.send_email(to="bea@example.org", template="coach_test", context={})

    with caplog.at_level(logging.ERROR, logger=ALERTS):
        assert not email_health.check_delivery(start + timedelta(minutes=2))
        assert email_health.check_delivery(start + timedelta(minutes=4))
        assert not email_health.check_delivery(start + timedelta(minutes=5))  # once per outage
    assert caplog.text.count("email outage: 2 emails are waiting") == 1

    # The server is back: the backlog goes, the outage is over, a later one is reported again.
    for email_id in emails.requeue_due(start + timedelta(minutes=30)):
        emails.deliver(email_id)
    assert not OutboundEmail.objects.exclude(status="sent").exists()
    assert not email_health.check_delivery(start + timedelta(minutes=31))
    Provider(monkeypatch, [421])
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_email(to="cy@example.org", template="coach_test", context={})
    assert email_health.check_delivery(timezone.now() + timedelta(minutes=4))


def test_the_dashboard_tells_the_coach_until_the_trouble_is_over(
    coach_client, monkeypatch, django_capture_on_commit_callbacks
):
    assert b"Email delivery" not in coach_client.get(reverse("coaching:dashboard")).content

    Provider(monkeypatch, [550, 421])
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_email(to="typo@example.org", template="coach_test", context={})
        emails.send_email(to="ana@example.org", template="coach_test", context={})
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        page = coach_client.get(reverse("coaching:dashboard")).content.decode()
    assert "Email delivery" in page
    assert "1 email is waiting" in page
    assert "1 email was not delivered this week" in page

    failed = coach_client.get(reverse("coaching:outbox") + "?status=failed").content.decode()
    assert "typo@example.org" in failed and "ana@example.org" not in failed

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        for email_id in emails.requeue_due():
            emails.deliver(email_id)
        assert b"Email delivery" not in coach_client.get(reverse("coaching:dashboard")).content
