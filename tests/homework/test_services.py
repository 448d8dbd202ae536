"""Homework rules: who an assignment is for, answers (draft, sent, shared), and the reminder
before the due date, claimed once."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from clients import demo as clients_demo
from clients.homework import demo
from clients.homework.models import Answer, Assignment, Exercise, Practice
from clients.homework.services import (
    answer_save,
    assignment_create,
    partner_answers,
    reminder_send,
    reminders_due,
)
from clients.homework.tasks import sweep_reminders
from coaching.models import OutboundEmail
from tests.factories import PersonFactory
from tests.homework.conftest import DUE

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def test_the_library_is_seeded_with_one_exercise_per_practice(library):
    seeded = Exercise.objects.active()
    assert sorted(seeded.values_list("practice", flat=True)) == sorted(Practice.values)
    for exercise in seeded:
        assert len(exercise.question_list) >= 3 and exercise.instructions_html.startswith("<p>")


def test_an_exercise_for_both_gives_each_partner_an_answer_with_a_reminder(couple, exercise):
    client, alice, bea = couple
    client.time_zone = "Europe/Berlin"
    assignment = assignment_create(client=client, exercise=exercise, due_on=DUE, now=NOW)
    answers = list(assignment.answers.order_by("person_id"))
    assert [a.person for a in answers] == [alice, bea]
    # 09:00 in Berlin (summer time, UTC+2) two days before the due date
    assert {a.remind_at for a in answers} == {datetime(2026, 6, 10, 7, tzinfo=UTC)}


def test_the_reminder_is_at_9_local_on_either_side_of_a_dst_change(single, exercise):
    single.client.time_zone = "Europe/Berlin"
    before = assignment_create(client=single.client, exercise=exercise, due_on=date(2026, 3, 30),
                               now=datetime(2026, 3, 1, tzinfo=UTC))  # fmt: skip
    after = assignment_create(client=single.client, exercise=exercise, due_on=date(2026, 3, 31),
                              now=datetime(2026, 3, 1, tzinfo=UTC))  # fmt: skip
    assert before.answers.get().remind_at == datetime(2026, 3, 28, 8, tzinfo=UTC)  # CET
    assert after.answers.get().remind_at == datetime(2026, 3, 29, 7, tzinfo=UTC)  # CEST


def test_an_exercise_for_one_partner_is_hers_alone(couple, exercise):
    client, alice, _ = couple
    assignment = assignment_create(
        client=client, exercise=exercise, due_on=DUE, person=alice, now=NOW
    )
    assert list(assignment.answers.values_list("person", flat=True)) == [alice.pk]


def test_an_assignment_due_before_its_reminder_time_has_no_reminder(single, exercise):
    assignment = assignment_create(
        client=single.client, exercise=exercise, due_on=NOW.date() + timedelta(days=1), now=NOW
    )
    assert assignment.answers.get().remind_at is None


def test_assigning_refuses_a_past_date_an_archived_exercise_or_another_clients_person(
    couple, single, exercise
):
    client = couple[0]
    with pytest.raises(ValidationError):
        assignment_create(client=client, exercise=exercise, due_on=date(2026, 5, 31), now=NOW)
    with pytest.raises(ValidationError):
        assignment_create(client=client, exercise=exercise, due_on=DUE, person=single, now=NOW)
    exercise.archived = True
    with pytest.raises(ValidationError):
        assignment_create(client=client, exercise=exercise, due_on=DUE, now=NOW)
    assert not Answer.objects.exists()


def test_a_draft_is_not_sent_and_an_empty_answer_cannot_be_sent(single, exercise):
    assignment = assignment_create(client=single.client, exercise=exercise, due_on=DUE, now=NOW)
    answer = assignment.answers.get()
    answer_save(answer=answer, body="half a thought", share=False, submit=False)
    assert answer.body == "half a thought" and not answer.is_submitted
    with pytest.raises(ValidationError):
        answer_save(answer=answer, body="  ", share=False, submit=True)
    with pytest.raises(ValidationError):
        answer_save(answer=answer, body="x" * 20_001, share=False, submit=False)
    answer_save(answer=answer, body="whole", share=False, submit=True)
    sent = answer.submitted_at
    answer_save(answer=answer, body="edited", share=False, submit=False)
    assert Answer.objects.get().submitted_at == sent  # sent stays sent


def test_the_partner_sees_an_answer_only_once_sent_and_while_shared(couple, exercise):
    client, alice, bea = couple
    assignment = assignment_create(client=client, exercise=exercise, due_on=DUE, now=NOW)
    mine, theirs = assignment.answers.get(person=alice), assignment.answers.get(person=bea)
    answer_save(answer=mine, body="A", share=True, submit=False)
    assert partner_answers(answer=theirs) == []  # a shared draft is still a draft
    answer_save(answer=mine, body="A", share=True, submit=True)
    assert partner_answers(answer=theirs) == [mine]
    assert partner_answers(answer=mine) == []
    answer_save(answer=mine, body="A", share=False, submit=True)
    assert partner_answers(answer=theirs) == []


def test_a_reminder_goes_once_discreetly_and_without_the_exercise(couple, exercise):
    client, alice, bea = couple
    client.discreet = True
    client.save(update_fields=["discreet"])
    assignment = assignment_create(client=client, exercise=exercise, due_on=DUE, now=NOW)
    answer_save(answer=assignment.answers.get(person=bea), body="done", share=False, submit=True)
    due = datetime(2026, 6, 10, 8, tzinfo=UTC)
    assert reminders_due(now=due - timedelta(hours=1)) == []
    [alice_answer] = reminders_due(now=due)  # Bea has sent hers
    assert reminders_due(now=due + timedelta(minutes=1)) == []  # queued: not twice
    assert reminders_due(now=due + timedelta(minutes=6)) == [alice_answer]  # its message lost
    assert reminder_send(answer_id=alice_answer, now=due)
    assert not reminder_send(answer_id=alice_answer, now=due)  # a second delivery: no email
    assert reminders_due(now=due + timedelta(minutes=20)) == []
    [email] = OutboundEmail.objects.all()
    assert email.to == alice.email
    text = email.subject + email.body_text + email.body_html
    assert exercise.title not in text and "homework" not in text.lower()
    assert "Friday 12 June" in email.body_text


def test_a_reminder_claimed_after_the_due_date_sends_nothing(single, exercise):
    assignment = assignment_create(client=single.client, exercise=exercise, due_on=DUE, now=NOW)
    answer = assignment.answers.get()
    assert not reminder_send(answer_id=answer.pk, now=datetime(2026, 6, 14, tzinfo=UTC))
    assert not OutboundEmail.objects.exists()
    assert reminders_due(now=datetime(2026, 6, 14, tzinfo=UTC)) == []


def test_the_beat_sweep_sends_each_due_reminder(single, exercise):
    other = PersonFactory()
    for person in (single, other):
        assignment_create(client=person.client, exercise=exercise, due_on=DUE, now=NOW)
    with time_machine.travel(datetime(2026, 6, 11, 9, tzinfo=UTC), tick=False):
        sweep_reminders()  # tasks run eagerly in tests
        sweep_reminders()
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == sorted(
        [single.email, other.email]
    )


def test_the_demo_assigns_the_couple_an_exercise_once(library):
    clients_demo.seed()
    demo.seed()
    demo.seed()
    [assignment] = Assignment.objects.all()
    assert assignment.person is None and assignment.answers.count() == 2
    assert assignment.answers.shared().count() == 1
