"""Demo intakes: three leads with a balanced, a money-imbalanced and an AMBER response.

The instrument and the helpline table come from the migrations; this adds responses only
once (the leads' emails are the markers), so running it again changes nothing.
"""

from django.utils import timezone

from clients.intake import services
from clients.intake.models import Response
from clients.services import client_get_or_create_lead


def _numbered(prefix: str, *values) -> dict:
    return {f"{prefix}{n}": value for n, value in enumerate(values, start=1)}


BALANCED = {
    **_numbered("EMO", 2, 2, 1, 1, 3),
    **_numbered("FIN", 2, 2, 0, 0, 4),
    **_numbered("SOC", 2, 2, 0, 0, 4),
    **_numbered("SEX", 2, 2, 0, 0, 4),
    **_numbered("GEN", 3, 3, 3, 3, 0, 0, 0, 3, 3),
    **_numbered("SAF", 0, 0, 0, 0, 0, 0),
    "SAF7": "no",
    "CTX1": 2,
    "CTX2": 1,
    "CTX3": 1,
}
MONEY = BALANCED | {"FIN1": 0, "FIN2": 0, "FIN3": 3, "FIN5": 1, "GEN8": 1, "CTX1": 1}
AMBER = BALANCED | {"SAF1": 1, "SOC3": 3}
DEMO = [
    ("priya.demo@example.org", "Priya", BALANCED),
    ("jordan.demo@example.org", "Jordan", MONEY),
    ("alex.demo@example.org", "Alex", AMBER),
]


def seed() -> list[str]:
    created = 0
    for email, name, answers in DEMO:
        if Response.objects.filter(person__email__iexact=email).exists():
            continue
        client = client_get_or_create_lead(email=email, name=name, source="intake")
        response = services.response_start(country="UK")
        response.privacy_gate = Response.Gate.YES
        response.answers = answers
        response.client, response.person = client, client.people.get(email__iexact=email)
        response.started_at = timezone.now()
        response.save()
        services.response_submit(response=response)
        created += 1
    return [f"Intakes: {created} demo responses added (one balanced, one money, one amber)."]
