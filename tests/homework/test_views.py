"""Homework pages: the portal (answer, draft, send, share) and the coach's (library, assign,
read the answers behind the notes' second factor, each read logged)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from clients.homework.models import Answer, Assignment, Exercise
from clients.homework.services import answer_save, assignment_create
from clients.models import AccessLog
from tests.clients.conftest import give_totp, mark_second_factor
from tests.factories import CoachFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(couple, exercise):
    due = timezone.localdate() + timedelta(days=7)
    return assignment_create(client=couple[0], exercise=exercise, due_on=due)


def test_a_person_drafts_sends_and_shares_her_answer(client, couple, assignment):
    _, alice, _ = couple
    client.force_login(alice.user)
    listing = client.get(reverse("homework:index")).content.decode()
    assert "Deciding together" in listing and "Not started" in listing
    url = reverse("homework:assignment", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert "Questions to reflect on" in page and "Share with my partner" in page
    client.post(url, {"body": "First thoughts", "draft": ""})
    answer = Answer.objects.get(person=alice)
    assert answer.body == "First thoughts" and not answer.is_submitted
    assert "Draft" in client.get(reverse("homework:index")).content.decode()
    client.post(url, {"body": "We decide money alone.", "share": "on", "submit": ""})
    answer.refresh_from_db()
    assert answer.is_submitted and answer.is_shared
    assert "First thoughts" not in client.get(reverse("homework:index")).content.decode()


def test_the_partner_reads_a_shared_answer_and_never_a_private_one(client, couple, assignment):
    _, alice, bea = couple
    answer_save(answer=assignment.answers.get(person=alice), body="SHARED-A", share=True,
                submit=True)  # fmt: skip
    client.force_login(bea.user)
    url = reverse("homework:assignment", args=[assignment.pk])
    assert "SHARED-A" in client.get(url).content.decode()
    answer_save(answer=assignment.answers.get(person=alice), body="PRIVATE-A", share=False,
                submit=True)  # fmt: skip
    assert "PRIVATE-A" not in client.get(url).content.decode()


def test_another_persons_assignment_is_a_404_and_logged(client, couple, single, exercise):
    client_, alice, _ = couple
    mine = assignment_create(client=client_, exercise=exercise, person=alice,
                             due_on=timezone.localdate())  # fmt: skip
    for who in (single, couple[2]):  # another client, and the partner it is not for
        client.force_login(who.user)
        url = reverse("homework:assignment", args=[mine.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "x", "submit": ""}).status_code == 404
    assert Answer.objects.get().body == ""
    assert AccessLog.objects.filter(details__object="homework_assignment").count() == 4


def test_a_single_person_is_not_offered_sharing(client, single, exercise):
    found = assignment_create(client=single.client, exercise=exercise, due_on=timezone.localdate())
    client.force_login(single.user)
    assert (
        "Share with my partner"
        not in client.get(reverse("homework:assignment", args=[found.pk])).content.decode()
    )


def test_the_coach_assigns_from_the_client_page(notes_client, couple, exercise):
    client_, alice, _ = couple
    page = notes_client.get(reverse("clients_coach:detail", args=[client_.pk])).content.decode()
    assert "Assign homework" in page and "Both partners" in page
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    url = reverse("homework_coach:assign", args=[client_.pk])
    notes_client.post(url, {"homework-exercise": exercise.pk, "homework-person": "",
                            "homework-due_on": due})  # fmt: skip
    notes_client.post(url, {"homework-exercise": exercise.pk, "homework-person": alice.pk,
                            "homework-due_on": "2000-01-01"})  # fmt: skip
    assert Assignment.objects.get().person is None
    assert Answer.objects.count() == 2


def test_the_coach_reads_sent_answers_only_and_each_read_is_logged(
    notes_client, couple, assignment
):
    client_, alice, bea = couple
    answer_save(answer=assignment.answers.get(person=alice), body="SENT-A", share=False,
                submit=True)  # fmt: skip
    answer_save(answer=assignment.answers.get(person=bea), body="DRAFT-B", share=False,
                submit=False)  # fmt: skip
    detail = notes_client.get(reverse("clients_coach:detail", args=[client_.pk])).content.decode()
    assert "SENT-A" not in detail and "Homework answered by Alice Able" in detail
    page = notes_client.get(reverse("homework_coach:assignment", args=[assignment.pk]))
    assert "SENT-A" in page.content.decode() and "DRAFT-B" not in page.content.decode()
    views = AccessLog.objects.filter(action="view", object_type="homework.answer")
    assert list(views.values_list("object_id", flat=True)) == [
        str(assignment.answers.get(person=alice).pk)
    ]


def test_the_coach_withdraws_an_assignment(notes_client, assignment):
    notes_client.post(reverse("homework_coach:assignment_delete", args=[assignment.pk]))
    assert not Assignment.objects.exists() and not Answer.objects.exists()


def test_staff_without_the_notes_permission_edit_the_library_but_read_no_answer(client, assignment):
    assistant = CoachFactory(is_superuser=False)
    assistant.user_permissions.add(*Permission.objects.exclude(codename="view_note"))
    give_totp(assistant)
    client.force_login(assistant)
    mark_second_factor(client, assistant)
    assert client.get(reverse("homework_coach:exercises")).status_code == 200
    for name in ("assignment", "assignment_delete", "assign"):
        pk = assignment.client_id if name == "assign" else assignment.pk
        assert client.post(reverse(f"homework_coach:{name}", args=[pk])).status_code == 404
    assert Assignment.objects.exists()


def test_the_library_sanitises_the_coachs_markdown(coach_client):
    response = coach_client.post(
        reverse("homework_coach:exercise_add"),
        {"title": "Try this", "practice": "growth", "questions": "One?\nTwo?",
         "instructions": "**Bold** <script>alert(1)</script><a href='javascript:x'>x</a>"},
    )  # fmt: skip
    assert response.status_code == 302
    exercise = Exercise.objects.get(title="Try this")
    html = exercise.instructions_html
    assert "<strong>Bold</strong>" in html and "<script" not in html and "javascript" not in html
    page = coach_client.get(reverse("homework_coach:exercise_edit", args=[exercise.pk]))
    assert "<script>alert" not in page.content.decode()
    assert exercise.question_list == ["One?", "Two?"]


def test_the_client_page_makes_as_many_queries_with_ten_assignments_as_with_one(
    notes_client, couple, exercise, django_assert_max_num_queries
):
    client_, alice, bea = couple
    url = reverse("clients_coach:detail", args=[client_.pk])

    def assign_and_answer():
        found = assignment_create(client=client_, exercise=exercise, due_on=timezone.localdate())
        for answer in found.answers.all():
            answer_save(answer=answer, body="x", share=True, submit=True)

    assign_and_answer()
    notes_client.get(url)  # warm
    with django_assert_max_num_queries(100) as one:
        notes_client.get(url)
    budget = len(one.captured_queries)
    for _ in range(9):
        assign_and_answer()
    with django_assert_max_num_queries(budget):
        page = notes_client.get(url)
    assert page.content.decode().count("Homework answered by") == 20
