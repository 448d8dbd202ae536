"""The coach's homework: the exercise library (the coach's own writing; any staff) and, behind
what notes need (clients.access.notes_access_required), assigning and reading the answers, each
read logged.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from clients.access import get_client_for_coach, notes_access_required
from clients.homework import services
from clients.homework.forms import AssignmentForm, ExerciseForm
from clients.homework.models import Assignment, Exercise


def exercises(request: HttpRequest) -> HttpResponse:
    library = Exercise.objects.all()
    return render(request, "homework/coach_exercises.html", {"exercises": library})


def exercise_edit(request: HttpRequest, pk=None) -> HttpResponse:
    exercise = get_object_or_404(Exercise, pk=pk) if pk else None
    form = ExerciseForm(request.POST or None, instance=exercise)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Exercise saved.")
        return redirect("homework_coach:exercises")
    return render(
        request, "homework/coach_exercise_form.html", {"form": form, "exercise": exercise}
    )


@notes_access_required
@require_POST
def assign(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    form = AssignmentForm(request.POST, client=client, prefix="homework")
    if not form.is_valid():
        messages.error(request, "Homework not assigned: " + form.errors.as_text())
        return redirect("clients_coach:detail", client.pk)
    try:
        services.assignment_create(client=client, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, "Homework not assigned: " + " ".join(error.messages))
    else:
        messages.success(request, "Homework assigned: it is in the client's portal.")
    return redirect("clients_coach:detail", client.pk)


@never_cache
@notes_access_required
def assignment(request: HttpRequest, pk) -> HttpResponse:
    found = get_object_or_404(
        Assignment.objects.select_related("client", "person", "exercise"), pk=pk
    )
    answers = services.assignment_open_by_coach(
        assignment=found, actor=request.user, request=request
    )
    context = {
        "assignment": found,
        "client": found.client,
        "exercise": found.exercise,
        "answers": answers,
        "waiting": found.answers.filter(submitted_at=None).select_related("person").defer("body"),
    }
    return render(request, "homework/coach_assignment.html", context)


@notes_access_required
@require_POST
def assignment_delete(request: HttpRequest, pk) -> HttpResponse:
    found = get_object_or_404(Assignment, pk=pk)
    services.assignment_delete(assignment=found, actor=request.user, request=request)
    messages.success(request, "Assignment withdrawn.")
    return redirect("clients_coach:detail", found.client_id)
