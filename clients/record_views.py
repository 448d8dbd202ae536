"""Notes (behind a recent second factor) and data rights (export, erasure) for the coach."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from clients import forms, hooks
from clients.access import (
    SECOND_FACTOR_RETURN_KEY,
    get_client_for_coach,
    get_note_for_coach,
    notes_access_required,
    safe_return_path,
)
from clients.audit import audit_record
from clients.data_rights import client_erase, data_export_claim, data_export_create, export_zip
from clients.models import AccessLog
from clients.services import note_create, note_update
from coaching.emails import absolute_url
from coaching.tokens import TokenInvalid


def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator (allauth's pages), then come back to the notes that asked."""
    back = safe_return_path(request, request.GET.get("next"))
    if is_mfa_enabled(request.user):
        return redirect(back or "coaching:dashboard")
    request.session[SECOND_FACTOR_RETURN_KEY] = back
    return redirect("mfa_activate_totp")


def second_factor_return(request: HttpRequest) -> HttpResponse:
    """The way back offered once the authenticator is set up (it is asked for once)."""
    return redirect(request.session.pop(SECOND_FACTOR_RETURN_KEY, "") or "coaching:dashboard")


@require_POST
@notes_access_required
def note_add(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    bookings = [choice for provider in hooks.note_bookings for choice in provider(client)]
    form = forms.NoteForm(request.POST, client=client, bookings=bookings)
    if form.is_valid():
        booking = form.cleaned_data.get("booking")
        note_create(
            client=client,
            body=form.cleaned_data["body"],
            author=request.user,
            person=form.cleaned_data.get("person"),
            booking_ref=booking,
            booking_label=form.booking_labels.get(booking, ""),
            request=request,
        )
        messages.success(request, "Note saved.")
        return redirect("clients_coach:detail", client.pk)
    return render(request, "clients/coach_note_form.html", {"form": form, "client": client})


@never_cache
@notes_access_required
def note_detail(request: HttpRequest, pk) -> HttpResponse:
    note = get_note_for_coach(request, pk)
    form = forms.NoteEditForm(request.POST or None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        note_update(note=note, body=form.cleaned_data["body"], actor=request.user, request=request)
        messages.success(request, "Note saved.")
        return redirect("clients_coach:note", note.pk)
    audit_record(
        actor=request.user,
        action=AccessLog.Action.VIEW,
        subject=note.client,
        obj=note,
        request=request,
    )
    return render(request, "clients/coach_note.html", {"note": note, "form": form})


@require_POST
@notes_access_required  # the export holds the notes
def client_export(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    token = data_export_create(client=client, by=request.user, request=request)
    url = absolute_url(f"/coach/clients/export/{token}/")
    return render(request, "clients/coach_export.html", {"client": client, "url": url})


@never_cache
@notes_access_required
def export_download(request: HttpRequest, token) -> HttpResponse:
    try:
        export = data_export_claim(token=token)
    except TokenInvalid:  # expired (TokenExpired), tampered or already used
        return render(request, "clients/coach_export_gone.html", status=410)
    audit_record(
        actor=request.user,
        action=AccessLog.Action.DOWNLOAD,
        subject=export.client,
        obj=export,
        request=request,
    )
    response = HttpResponse(export_zip(export.client), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="client-{export.client_id}.zip"'
    return response


@require_POST
@notes_access_required  # destroys notes: the same recent second factor as reading them
def client_erase_view(request: HttpRequest, pk) -> HttpResponse:
    client = get_client_for_coach(request, pk)
    form = forms.EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tick the box to confirm the erasure.")
        return redirect("clients_coach:detail", client.pk)
    try:
        counts = client_erase(client=client, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("clients_coach:detail", client.pk)
    messages.success(request, f"Client erased ({sum(counts.values())} records).")
    return redirect("clients_coach:index")
