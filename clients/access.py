"""Who may see what: the coach's notes need a recent second factor; clients see their own.

docs/reliability.md A-05: reading or writing notes needs a staff user with the notes permission, a
second factor set up, and a second-factor check within the last 15 minutes.
"""

import time
from functools import wraps
from urllib.parse import quote

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from clients.audit import audit_record
from clients.models import AccessLog, Client, Note, Person, SharedNote

NOTES_REAUTH_SECONDS = 15 * 60
# Where the coach goes back to once an authenticator is set up (allauth's set-up pages keep no
# `next` of their own, so the path waits in the session).
SECOND_FACTOR_RETURN_KEY = "second_factor_return"


def recent_second_factor(request) -> bool:
    records = get_authentication_records(request, request.user)
    return any(
        record.get("method") == "mfa" and time.time() - record["at"] < NOTES_REAUTH_SECONDS
        for record in records
    )


def can_read_notes(request) -> bool:
    return (
        request.user.has_perm("clients.view_note")
        and is_mfa_enabled(request.user)
        and recent_second_factor(request)
    )


def notes_access_required(view):
    """MFA set up and used within 15 minutes, or a redirect to it; no permission: 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("clients.view_note"):
            audit_record(actor=request.user, action=AccessLog.Action.DENIED, request=request)
            raise Http404
        if not is_mfa_enabled(request.user):
            back = request.get_full_path() if request.method == "GET" else ""
            return redirect(second_factor_setup_url(back))
        if not recent_second_factor(request):
            next_url = quote(request.get_full_path())
            return redirect(f"{reverse('mfa_reauthenticate')}?next={next_url}")
        return view(request, *args, **kwargs)

    return wrapper


def second_factor_setup_url(back: str) -> str:
    """The page that sets up an authenticator and then returns to `back` (a path here)."""
    url = reverse("clients_coach:second_factor_setup")
    return f"{url}?next={quote(back)}" if back else url


def safe_return_path(request, candidate: str | None) -> str:
    """`candidate` if it is a path on this site, else "" (no open redirect)."""
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return ""


def get_client_for_coach(request, pk) -> Client:
    return get_object_or_404(Client, pk=pk)


def get_note_for_coach(request, pk) -> Note:
    return get_object_or_404(Note.objects.select_related("client", "person"), pk=pk)


def get_person_for_user(request) -> Person:
    """The signed-in client's own person record; 404 for anyone else."""
    person = Person.objects.select_related("client").filter(user=request.user).first()
    if person is None:
        raise Http404
    return person


def refused(request, name: str) -> Http404:
    """Log that the signed-in user asked for a `name` that is not theirs; the 404 to raise."""
    details = {"object": name}
    audit_record(
        actor=request.user, action=AccessLog.Action.DENIED, request=request, details=details
    )
    return Http404()


def get_shared_note_for_user(request, pk) -> SharedNote:
    person = get_person_for_user(request)
    note = SharedNote.objects.filter(pk=pk, client_id=person.client_id).first()
    if note is None:
        raise refused(request, "shared_note")
    return note
