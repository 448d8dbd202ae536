"""Data rights: everything about a client in one export, erasure asked for by the client, and
erasure in one action by the coach.

Other apps contribute through `clients.hooks.exporters` and `clients.hooks.erasers`; this
module adds the client record itself, notes, consents, packages and the outbound email log.
"""

import io
import json
import zipfile
from datetime import timedelta

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clients import hooks
from clients.audit import audit_record
from clients.models import AccessLog, Client, Consent, DataExport, ErasureRequest, Person
from clients.services import emails_filter, people_emails
from coaching.emails import absolute_url, send_email
from coaching.models import OutboundEmail, SiteSettings
from coaching.tokens import TokenInvalid, make_token, read_token

# The models whose rows about the client this module exports itself (docs/reliability.md D-05);
# other apps' models come through the `exporters` hook. tests/clients/test_data_rights.py checks
# that every model of the project is here, exported by another app, or on a reviewed allowlist.
EXPORTED_MODELS = {
    "clients.Client",
    "clients.Person",
    "clients.Tag",
    "clients.Consent",
    "clients.StageChange",
    "clients.Note",
    "clients.SharedNote",
    "clients.Package",
    "coaching.OutboundEmail",
}
EXPORT_PURPOSE = "export-download"
EXPORT_MAX_AGE = timedelta(hours=24)


def _client_row(client: Client) -> dict:
    fields = ["id", "kind", "stage", "source", "time_zone", "discreet", "created_at"]
    row = {field: getattr(client, field) for field in fields}
    row["tags"] = [tag.name for tag in client.tags.all()]
    return row


def _note_rows(client: Client) -> list[dict]:
    return [
        {
            "created_at": note.created_at,
            "about": note.person.name if note.person else "",
            "text": note.body,
            "session": note.booking_label,
        }
        for note in client.notes.select_related("person")
    ]


def _own_rows(client: Client) -> dict[str, list[dict]]:
    """The rows of this app's models about the client (the export's core)."""
    consents = Consent.objects.filter(person__client=client)
    emails = OutboundEmail.objects.filter(emails_filter(people_emails(client)))
    return {
        "client": [_client_row(client)],
        "people": list(client.people.values("id", "name", "email", "phone", "pronouns")),
        "consents": list(
            consents.values("person__email", "kind", "granted", "at", "method", "text_version")
        ),
        "stage_history": list(client.stage_changes.values("from_stage", "to_stage", "at")),
        "notes": _note_rows(client),
        "shared_notes": list(client.shared_notes.values("title", "body", "created_at")),
        "packages": list(client.packages.values("name", "sessions", "starts_at", "paid")),
        "emails": list(emails.values("to", "subject", "created_at", "sent_at", "status")),
    }


def client_export_data(client: Client) -> dict[str, list[dict]]:
    """Everything about the client: this app's rows plus every app's exporter."""
    data = _own_rows(client)
    for exporter in hooks.exporters:
        for section, rows in exporter(client).items():
            data.setdefault(section, []).extend(rows)
    return data


def person_export_data(person: Person) -> dict[str, list[dict]]:
    """What one person may download from their portal: the client's data without their partner's
    private parts (no notes, no rows marked with the other partner's email)."""
    data = client_export_data(person.client)
    data.pop("notes", None)
    others = {p.email.lower() for p in person.client.people.all() if p.pk != person.pk}
    data["people"] = [row for row in data["people"] if row["id"] == person.pk]
    data["consents"] = [r for r in data["consents"] if r["person__email"] == person.email]
    data["emails"] = [r for r in data["emails"] if r["to"].lower() not in others]
    for section, rows in data.items():
        data[section] = [r for r in rows if str(r.get("person", "")).lower() not in others]
    return data


def to_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def export_zip(client: Client) -> bytes:
    """A ZIP with `data.json` and a readable `summary.html`."""
    data = client_export_data(client)
    html = render_to_string("clients/export_summary.html", {"client": client, "data": data})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", to_json(data))
        archive.writestr("summary.html", html)
    return buffer.getvalue()


def data_export_create(*, client: Client, by, request=None) -> str:
    """Prepare a download of everything about the client; returns the link's signed token."""
    export = DataExport.objects.create(client=client, created_by=by)
    audit_record(
        actor=by, action=AccessLog.Action.EXPORT, subject=client, obj=export, request=request
    )
    return make_token(EXPORT_PURPOSE, str(export.nonce))


def data_export_claim(*, token: str) -> DataExport:
    """The export behind a download link, used up by this call.

    Raises TokenExpired or TokenInvalid (also for a link already used): single use is a
    conditional UPDATE, so two clicks at the same moment give one download.
    """
    nonce = read_token(EXPORT_PURPOSE, token, max_age=EXPORT_MAX_AGE)
    claimed = DataExport.objects.filter(nonce=nonce, used_at=None).update(used_at=timezone.now())
    if not claimed:
        raise TokenInvalid("This download link was already used.")
    return DataExport.objects.select_related("client").get(nonce=nonce)


@transaction.atomic
def erasure_request_create(*, person: Person) -> ErasureRequest:
    """The client asks, from the portal, for their data to be erased; the coach confirms it.

    The coach hears of it once per person: asking again (or twice at the same moment, the
    person's row is locked) returns the first request and sends nothing.
    """
    Person.objects.select_for_update().get(pk=person.pk)
    request, created = ErasureRequest.objects.get_or_create(client=person.client, person=person)
    if created:
        url = absolute_url(reverse("clients_coach:detail", args=[person.client_id]))
        send_email(
            to=SiteSettings.load().coach_email,
            template="clients_erasure_requested",
            context={"url": url},
        )
    return request


@transaction.atomic
def client_erase(*, client: Client, actor, request=None) -> dict[str, int]:
    """Erase the client's personal data everywhere; keep anonymous counts and an audit record.

    Other apps erase their part through `clients.hooks.erasers` first (bookings keep anonymous
    accounting rows, the newsletter keeps a hash for suppression). Then the outbound emails to
    the client's people, their sign-in accounts, admin history and the record itself go.
    """
    if actor is None or not actor.is_staff:
        raise ValidationError("Only the coach can erase a client.")
    counts: dict[str, int] = {}
    for eraser in hooks.erasers:
        for kind, count in eraser(client).items():
            counts[kind] = counts.get(kind, 0) + count
    emails = people_emails(client)
    counts["emails"] = OutboundEmail.objects.filter(emails_filter(emails)).delete()[0]
    counts["notes"] = client.notes.count()
    counts["shared_notes"] = client.shared_notes.count()
    counts["people"] = len(emails)
    summary = {
        "kind": client.kind,
        "stage": client.stage,
        "source": client.source,
        "created": client.created_at.strftime("%Y-%m"),
    }
    # The erasure record keeps the client's id and anonymous counts, nothing personal.
    audit_record(
        actor=actor,
        action=AccessLog.Action.ERASE,
        subject=client,
        request=request,
        details={"counts": counts, **summary},
    )
    _erase_accounts(client, emails)
    _erase_admin_history(client)
    client.delete()
    return counts


def _erase_accounts(client: Client, emails: list[str]) -> None:
    """Sign-in accounts go, with their email addresses and their sessions (whose signed data
    may name the email used to sign in)."""
    User = get_user_model()
    user_ids = {p.user_id for p in client.people.all() if p.user_id}
    for email in emails:
        user_ids |= set(User.objects.filter(email__iexact=email).values_list("pk", flat=True))
    user_ids = set(
        User.objects.filter(pk__in=user_ids, is_staff=False).values_list("pk", flat=True)
    )
    keys = [str(pk) for pk in user_ids]
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") in keys:
            session.delete()
    User.objects.filter(pk__in=user_ids).delete()


def _erase_admin_history(client: Client) -> None:
    """The admin's history keeps each object's repr (a name): remove it for these rows."""
    person_ids = [str(pk) for pk in client.people.values_list("pk", flat=True)]
    for model, ids in ((Client, [str(client.pk)]), (Person, person_ids)):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=ids
        ).delete()
