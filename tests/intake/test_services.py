"""Submitting, flags and their one notification, email links, deletion."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from clients.intake import services
from clients.intake.models import Response, SafetyFlag
from clients.intake.tasks import notify_coach_of_flag
from clients.models import Client, Consent
from coaching.models import OutboundEmail

from .answers import PERSONA_1, PERSONA_2, PERSONA_4

pytestmark = pytest.mark.django_db


def test_submitting_scores_the_answers_once(make_response, django_capture_on_commit_callbacks):
    response = make_response(PERSONA_2)
    assert response.is_submitted
    payload = response.latest_result().payload
    assert payload["domains"][1]["balance"] == 29
    with django_capture_on_commit_callbacks(execute=True):
        services.response_submit(response=response)  # a double click
    assert response.results.count() == 1


def test_a_balanced_response_raises_no_flag(make_response):
    response = make_response(PERSONA_1)
    assert not response.flags.exists()
    assert len(mail.outbox) == 0


def test_red_raises_a_flag_and_tells_the_coach_once_without_details(make_response):
    response = make_response(PERSONA_4)
    flag = response.flags.get()
    assert (flag.tier, flag.triggers) == ("RED", ["SAF2"])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "An intake needs your attention"
    body = message.body + message.alternatives[0][0]
    for detail in ("SAF", "RED", "physical", "afraid", "Once"):
        assert detail not in body
    notify_coach_of_flag(flag.pk)  # redelivered task
    notify_coach_of_flag(flag.pk)
    assert OutboundEmail.objects.filter(template="intake_attention").count() == 1


def test_a_notification_for_a_deleted_response_is_skipped(make_response):
    response = make_response(PERSONA_1 | {"SAF1": 1})
    flag_id = response.flags.get().pk
    services.response_delete(response=response)
    assert services.safety_flag_notify(flag_id=flag_id) is False


def test_the_gate_at_no_skips_safety_and_marks_the_response_incomplete(make_response):
    answers = {k: v for k, v in PERSONA_1.items() if not k.startswith("SAF")}
    response = make_response(answers, gate="no")
    assert not response.safety_asked
    assert response.safety_tier().tier == "INCOMPLETE"
    assert not response.flags.exists()


def test_a_flag_is_resolved_only_with_a_note_and_stays(make_response, coach):
    flag = make_response(PERSONA_4).flags.get()
    with pytest.raises(ValidationError):
        services.safety_flag_resolve(flag=flag, user=coach, note="  ")
    services.safety_flag_resolve(flag=flag, user=coach, note="Called on her safe number.")
    flag.refresh_from_db()
    assert flag.resolved_by == coach and flag.resolution_note == "Called on her safe number."
    assert SafetyFlag.objects.filter(pk=flag.pk).exists()
    with pytest.raises(ValidationError):
        services.safety_flag_resolve(flag=flag, user=coach, note="again")


def test_saving_a_page_replaces_only_its_items(make_response):
    response = make_response(submit=False)
    services.response_save_answers(
        response=response, item_ids=["EMO1", "EMO2"], raw={"EMO1": "4", "EMO2": "NA"}
    )
    services.response_save_answers(response=response, item_ids=["FIN1"], raw={"FIN1": "0"})
    services.response_save_answers(response=response, item_ids=["EMO1", "EMO2"], raw={"EMO1": ""})
    assert Response.objects.get(pk=response.pk).answers == {"FIN1": 0}


def test_an_answer_outside_the_scale_is_refused(make_response):
    response = make_response(submit=False)
    with pytest.raises(ValidationError):
        services.response_save_answers(response=response, item_ids=["EMO1"], raw={"EMO1": "9"})


def test_giving_an_email_makes_a_lead_and_sends_only_a_link(make_response):
    response = make_response(PERSONA_2, submit=False)
    services.response_attach_email(response=response, email="Sam@Example.org", name="Sam")
    response.refresh_from_db()
    assert response.client.source == Client.Source.INTAKE
    assert response.person.email == "Sam@Example.org"
    email = OutboundEmail.objects.get(template="intake_resume")
    body = email.subject + email.body_text + email.body_html
    assert email.to == "Sam@Example.org"
    assert "/assessment/resume/" in body
    assert "continue" in body.lower()
    for detail in ("money", "29", "FIN", "balance"):
        assert detail not in body


def test_her_explicit_consent_joins_her_client_record(make_response):
    response = make_response(PERSONA_1, submit=False)
    services.response_attach_email(response=response, email="sam@example.org", name="Sam")
    person = Response.objects.get(pk=response.pk).person
    assert person.has_consent(Consent.Kind.SPECIAL_CATEGORY)
    assert person.consents.get().text_version == response.consent_version


def test_deleting_a_response_removes_answers_results_and_flags(make_response):
    response = make_response(PERSONA_4)
    services.response_delete(response=response)
    assert not Response.objects.exists()
    assert not SafetyFlag.objects.exists()


def test_safe_contact_needs_a_phone_number_for_phone(make_response):
    response = make_response(PERSONA_4)
    with pytest.raises(ValidationError):
        services.response_set_safe_contact(response=response, choice="phone")
    services.response_set_safe_contact(response=response, choice="self")
    assert Response.objects.get(pk=response.pk).safe_contact["choice"] == "self"


def test_submitting_with_an_email_given_sends_only_results_are_ready(make_response):
    response = make_response(PERSONA_2, submit=False)
    services.response_attach_email(response=response, email="sam@example.org")
    services.response_submit(response=response)
    email = OutboundEmail.objects.get(template="intake_results_ready")
    body = email.subject + email.body_text + email.body_html
    assert "Your results are ready" in body and "/assessment/resume/" in body
    for detail in ("29", "money", "Imbalanced", "FIN"):
        assert detail not in body


def test_a_flag_whose_task_was_lost_is_notified_by_the_sweeper(make_response):
    import time_machine
    from django.utils import timezone

    from clients.intake.tasks import sweep_unnotified_flags

    response = make_response(PERSONA_1, submit=False)
    response.answers = PERSONA_4
    response.save()
    services.response_submit(response=response)  # no on-commit capture: the task is "lost"
    flag = response.flags.get()
    assert flag.notified_at is None
    assert services.safety_flags_due_notification() == []  # still within the grace period
    with time_machine.travel(timezone.now() + services.NOTIFY_GRACE):
        sweep_unnotified_flags()
        sweep_unnotified_flags()
    flag.refresh_from_db()
    assert flag.notified_at is not None
    assert OutboundEmail.objects.filter(template="intake_attention").count() == 1
