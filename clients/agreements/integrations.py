"""What the agreement contributes to other pages, registered in `AgreementsConfig.ready()`."""

from django.db.models import Prefetch
from django.urls import reverse

from clients.agreements.models import Signature
from clients.agreements.services import current_version, signature_for, signatures_anonymise
from clients.hooks import TimelineEntry
from coaching.hooks import Panel


def portal_section(request, person) -> Panel | None:
    version = current_version()
    if version is None:
        return None
    context = {"version": version, "signature": signature_for(person, version)}
    return Panel("agreements/_portal_section.html", context, order=2)


def client_panel(request, client) -> Panel:
    """Who of the client signed which version, and when."""
    signatures = Signature.objects.select_related("version")
    people = client.people.prefetch_related(
        Prefetch("agreement_signatures", queryset=signatures, to_attr="signed")
    )
    context = {"client": client, "people": list(people), "current": current_version()}
    return Panel("agreements/_client_card.html", context, order=3)


def _signatures(client):
    return Signature.objects.filter(person__client=client).select_related("person", "version")


def timeline(client) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            when=signature.signed_at,
            kind="agreement",
            title=f"Agreement version {signature.version.number} signed by {signature.person}",
            url=reverse("agreements_coach:version", args=[signature.version.number]),
        )
        for signature in _signatures(client)
    ]


def export(client) -> dict[str, list[dict]]:
    """Each person's signatures, marked with their email (a partner's own download leaves the
    other's out): the evidence as it was recorded."""
    return {
        "agreement_signatures": [
            {
                "person": signature.person.email,
                "id": signature.public_id,
                "version": signature.version.number,
                "version_sha256": signature.version_sha256,
                "signed_at": signature.signed_at,
                "typed_name": signature.typed_name,
                "ip": signature.ip,
                "user_agent": signature.user_agent,
                "via": signature.via,
            }
            for signature in _signatures(client)
        ]
    }


def erase(client) -> dict[str, int]:
    return {"agreement signatures anonymised": signatures_anonymise(client=client)}
