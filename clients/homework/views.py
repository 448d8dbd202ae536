"""Homework in the client portal: the person's own assignments and answers only (an assignment
that is not theirs is a 404, logged as a refusal)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from clients.access import get_person_for_user, refused
from clients.homework.forms import AnswerForm
from clients.homework.models import Answer
from clients.homework.services import answer_save, partner_answers
from clients.models import Client


def _get_answer_for_user(request, assignment_pk) -> Answer:
    """The signed-in person's answer to the assignment: their key to it."""
    person = get_person_for_user(request)
    answer = (
        Answer.objects.select_related("assignment__exercise", "person__client")
        .filter(assignment_id=assignment_pk, person=person)
        .first()
    )
    if answer is None:
        raise refused(request, "homework_assignment")
    return answer


@never_cache
def index(request: HttpRequest) -> HttpResponse:
    person = get_person_for_user(request)
    answers = person.homework_answers.select_related("assignment__exercise").defer("body")
    return render(request, "homework/index.html", {"answers": answers})


@never_cache
@ratelimit(key="user", rate="60/h", method="POST", block=True)
def assignment(request: HttpRequest, pk) -> HttpResponse:
    answer = _get_answer_for_user(request, pk)
    couple = answer.person.client.kind == Client.Kind.COUPLE
    initial = {"body": answer.body, "share": answer.is_shared}
    form = AnswerForm(request.POST or None, initial=initial, couple=couple)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            answer_save(
                answer=answer, body=form.cleaned_data["body"],
                share=form.cleaned_data.get("share", False), submit=submit,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Answer sent to your coach." if submit else "Draft saved.")
            return redirect("homework:assignment", pk)
    context = {
        "answer": answer,
        "exercise": answer.assignment.exercise,
        "form": form,
        "partner_answers": partner_answers(answer=answer) if couple else [],
    }
    return render(request, "homework/assignment.html", context)
