import pytest
from django.urls import reverse

from coaching.models import OutboundEmail


@pytest.mark.django_db
def test_the_coach_sends_herself_a_test_email_and_reads_it_in_the_outbox(
    coach_client, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(reverse("coaching:outbox_test"), follow=True)
    assert f"A test email is on its way to {coach.email}" in response.content.decode()
    email = OutboundEmail.objects.get()
    assert email.to == coach.email and email.status == OutboundEmail.Status.SENT

    detail = coach_client.get(reverse("coaching:outbox_email", args=[email.pk])).content.decode()
    assert "Test email from" in detail and "went through the queue" in detail
    frame = coach_client.get(reverse("coaching:outbox_email_html", args=[email.pk]))
    assert "sandbox" in frame["Content-Security-Policy"]
    assert "Open your outbox" in frame.content.decode()


@pytest.mark.django_db
def test_the_outbox_lists_emails_with_their_status(
    coach_client, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(reverse("coaching:outbox_test"))
    page = coach_client.get(reverse("coaching:outbox")).content.decode()
    assert coach.email in page and "badge-sent" in page
