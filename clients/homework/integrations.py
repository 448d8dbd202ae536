"""What homework contributes to other pages, registered in `HomeworkConfig.ready()`.

Lists show the exercise's title (the coach's library), dates and who answered, never an answer.
"""

from django.urls import reverse

from clients.homework.forms import AssignmentForm
from clients.homework.models import Answer, Assignment
from clients.hooks import TimelineEntry
from coaching.hooks import Panel

NOTES_PERMISSION = "clients.view_note"  # answers are protected as notes are


def portal_section(request, person) -> Panel:
    open_count = person.homework_answers.filter(submitted_at=None).count()
    return Panel("homework/_portal_section.html", {"open": open_count}, order=4)


def client_panel(request, client) -> Panel | None:
    """The client's assignments with who has answered, and the form to assign another."""
    if not request.user.has_perm(NOTES_PERMISSION):
        return None
    assignments = client.assignments.select_related("exercise", "person").prefetch_related(
        "answers__person"
    )
    context = {
        "client": client,
        "assignments": list(assignments),
        "form": AssignmentForm(client=client, prefix="homework"),
    }
    return Panel("homework/_client_card.html", context, order=4)


def timeline(client) -> list[TimelineEntry]:
    assignments = client.assignments.select_related("exercise", "person")
    entries = [
        TimelineEntry(
            when=found.created_at,
            kind="homework",
            title=f"Homework: {found.exercise.title}",
            url=reverse("homework_coach:assignment", args=[found.pk]),
            summary=f"for {found.person or 'everyone'}, due {found.due_on:%d %b %Y}",
        )
        for found in assignments
    ]
    answers = Answer.objects.submitted().filter(assignment__client=client).defer("body")
    entries += [
        TimelineEntry(
            when=answer.submitted_at,
            kind="homework",
            title=f"Homework answered by {answer.person.name}",
            url=reverse("homework_coach:assignment", args=[answer.assignment_id]),
        )
        for answer in answers.select_related("person")
    ]
    return entries


def export(client) -> dict[str, list[dict]]:
    """The submitted answers, each marked with its person's email, so that one partner's own
    download leaves out the other's (clients.hooks). Drafts stay the person's page's."""
    answers = (
        Answer.objects.submitted()
        .filter(assignment__client=client)
        .select_related("person", "assignment__exercise")
    )
    return {
        "homework": [
            {
                "person": answer.person.email,
                "exercise": answer.assignment.exercise.title,
                "due_on": answer.assignment.due_on,
                "submitted_at": answer.submitted_at,
                "shared_with_partner": answer.is_shared,
                "text": answer.body,
            }
            for answer in answers
        ]
    }


def erase(client) -> dict[str, int]:
    deleted = Assignment.objects.filter(client=client).delete()[1]
    return {"homework_answers": deleted.get("homework.Answer", 0)}
