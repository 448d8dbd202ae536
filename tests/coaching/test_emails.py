import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from coaching import emails
from coaching.models import OutboundEmail


@pytest.fixture
def queued_email(db, coach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return emails.send_email(
            to="ana@example.org", template="coach_test", context={}, related=coach
        )


def test_send_email_renders_both_parts_and_records_it(coach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = emails.send_email(
            to="ana@example.org", template="coach_test", context={}, related=coach
        )
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 1
    assert email.related == coach
    [message] = mail.outbox
    assert message.subject == "Test email from Balanced Hearts Coaching"
    assert "https://coach.example.com/coach/outbox/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'style="' in html and "<style>" not in html  # CSS inlined for mail clients
    assert message.extra_headers["Message-ID"] == email.message_id


def test_nothing_is_queued_when_the_transaction_rolls_back(
    coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        emails.send_email(to="ana@example.org", template="coach_test", context={})
    assert len(callbacks) == 1  # queued on commit only (docs/reliability.md R-08)


def test_delivering_twice_sends_once(queued_email):
    emails.deliver(queued_email.pk)
    emails.deliver(queued_email.pk)
    assert len(mail.outbox) == 1


def test_a_4xx_answer_is_retried_later_with_backoff(queued_email, monkeypatch):
    def refuse(self):
        raise smtplib.SMTPResponseException(451, b"try later")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    emails.deliver(queued_email.pk)
    queued_email.refresh_from_db()
    assert queued_email.status == OutboundEmail.Status.QUEUED
    assert "451" in queued_email.error
    assert queued_email.next_attempt_at > timezone.now() + timedelta(seconds=50)


def test_a_5xx_answer_fails_the_email_for_good(queued_email, monkeypatch):
    def refuse(self):
        raise smtplib.SMTPResponseException(550, b"no such user")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    emails.deliver(queued_email.pk)
    queued_email.refresh_from_db()
    assert queued_email.status == OutboundEmail.Status.FAILED
    assert emails.requeue_due(timezone.now() + timedelta(days=1)) == []


def test_the_sweeper_requeues_lost_deliveries_once_per_interval(queued_email):
    later = timezone.now() + emails.STALL_AFTER + timedelta(seconds=1)
    assert emails.requeue_due(later) == [queued_email.pk]
    assert emails.requeue_due(later) == []  # pushed forward: not queued again at once


def test_the_sweeper_recovers_a_delivery_whose_worker_died(queued_email):
    emails.claim(queued_email.pk)  # claimed, then the worker was killed before sending
    later = timezone.now() + emails.STALL_AFTER + timedelta(seconds=1)
    assert emails.requeue_due(later) == [queued_email.pk]
    emails.deliver(queued_email.pk)
    queued_email.refresh_from_db()
    assert queued_email.status == OutboundEmail.Status.SENT and queued_email.attempts == 2


def test_a_newline_in_the_subject_cannot_inject_headers(coach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        emails.send_email(to="ana@example.org", template="coach_test", context={})
    assert "\n" not in mail.outbox[0].subject
