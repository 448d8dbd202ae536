"""The coach's sequence pages: the list, a sequence with its letters' figures, the forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from content.newsletter import sequences
from content.newsletter.forms import SequenceForm, StepForm
from content.newsletter.models import Campaign, Sequence, SequenceStep


def _get_sequence_for_user(request: HttpRequest, pk) -> Sequence:
    # The /coach/ middleware admits staff only; every sequence belongs to the practice.
    return get_object_or_404(Sequence, pk=pk)


def _get_step_for_user(request: HttpRequest, sequence: Sequence, pk) -> SequenceStep:
    return get_object_or_404(
        SequenceStep.objects.select_related("campaign"), pk=pk, sequence=sequence
    )


def sequence_list(request: HttpRequest) -> HttpResponse:
    # Distinct: the two joins multiply each other's rows.
    listed = Sequence.objects.select_related("topic").annotate(
        letters=Count("steps", distinct=True),
        in_progress=Count(
            "enrollments",
            filter=Q(enrollments__stopped_at=None, enrollments__next_due_at__isnull=False),
            distinct=True,
        ),
    )
    return render(request, "newsletter/sequences.html", {"sequences": listed})


def sequence_form(request: HttpRequest, pk=None) -> HttpResponse:
    sequence = _get_sequence_for_user(request, pk) if pk else Sequence()
    form = SequenceForm(request.POST or None, instance=sequence)
    if request.method == "POST" and form.is_valid():
        sequence = form.save()
        messages.success(request, "Saved.")
        return redirect(sequence)
    return render(request, "newsletter/sequence_form.html", {"form": form, "sequence": sequence})


def sequence(request: HttpRequest, pk) -> HttpResponse:
    sequence = _get_sequence_for_user(request, pk)
    context = {"sequence": sequence, "steps": sequences.step_counts(sequence)}
    return render(request, "newsletter/sequence_detail.html", context)


@require_POST
def sequence_active(request: HttpRequest, pk) -> HttpResponse:
    sequence = _get_sequence_for_user(request, pk)
    active = request.POST.get("active") == "1"
    try:
        sequences.sequence_set_active(sequence=sequence, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The sequence is on." if active else "The sequence is off.")
    return redirect(sequence)


def step_form(request: HttpRequest, pk, step_pk=None) -> HttpResponse:
    sequence = _get_sequence_for_user(request, pk)
    step = (
        _get_step_for_user(request, sequence, step_pk)
        if step_pk
        else SequenceStep(sequence=sequence, campaign=Campaign())
    )
    form = StepForm(
        request.POST or None, instance=step.campaign, initial={"delay_days": step.delay_days}
    )
    if request.method == "POST" and form.is_valid():
        step.delay_days = form.cleaned_data["delay_days"]
        sequences.step_save(step=step, campaign=form.save(commit=False))
        messages.success(request, "Letter saved.")
        return redirect(sequence)
    context = {"form": form, "sequence": sequence, "step": step}
    return render(request, "newsletter/step_form.html", context)


@require_POST
def step_delete(request: HttpRequest, pk, step_pk) -> HttpResponse:
    sequence = _get_sequence_for_user(request, pk)
    try:
        sequences.step_delete(step=_get_step_for_user(request, sequence, step_pk))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Letter removed.")
    return redirect(sequence)
