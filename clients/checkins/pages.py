"""What the check-in pages show: each person's trend per power, the coach's flags and talking
points, and the couple's rounds once released. Built from one query of check-ins, whatever
their number (the client page keeps its query budget)."""

from typing import Any

from clients.checkins import charts, trends
from clients.checkins.models import CheckIn, Schedule
from clients.intake.presentation import DOMAIN_NAMES
from clients.intake.pulse import load_bundled_pulse
from clients.models import Client, Person

FLAG_LABELS = {
    trends.PERSISTENT: "Persistent: the same side leads, check-in after check-in",
    trends.EXTREME: "Extreme: one side almost always leads",
}


def _scores_by_person(checkins: list[CheckIn]) -> dict[int, list[dict]]:
    shown = trends.TREND_SETTINGS["shown"]
    found: dict[int, list[dict]] = {}
    for checkin in checkins:
        found.setdefault(checkin.person_id, []).append(checkin.scores)
    return {person_id: scores[-shown:] for person_id, scores in found.items()}


def _checkins(client: Client, people: list[int] | None = None) -> list[CheckIn]:
    fields = ("person_id", "scores", "flag_tier", "flag_acknowledged_at")
    found = CheckIn.objects.filter(client=client).only(*fields)
    return list(found if people is None else found.filter(person__in=people))


def _powers(scores: list[dict]) -> list[dict[str, Any]]:
    return [
        {
            "name": DOMAIN_NAMES[trend.domain],
            "latest": trend.latest,
            "flag": FLAG_LABELS.get(trend.flag),
            "spark": charts.sparkline(trend.readings),
        }
        for trend in trends.power_trends(scores, load_bundled_pulse().domains())
    ]


def _rounds(scores_a: list[dict], scores_b: list[dict]) -> list[dict[str, Any]]:
    """Per power, both partners in A's frame, and whether their latest views diverge."""
    rows = []
    for domain in load_bundled_pulse().domains():
        rounds = trends.couple_rounds(scores_a, scores_b, domain)
        series = {"a": [r.view_a for r in rounds], "b": [r.view_b for r in rounds]}
        rows.append(
            {
                "name": DOMAIN_NAMES[domain],
                "diverges": trends.diverges(rounds),
                "chart": charts.chart(series),
                "count": len(rounds),
            }
        )
    return rows


def coach_context(client: Client) -> dict[str, Any]:
    people = list(client.people.all())
    checkins = _checkins(client)
    scores = _scores_by_person(checkins)
    context = {
        "schedule": Schedule.objects.filter(client=client).first(),
        "flagged": [c for c in checkins if c.flag_tier and c.flag_acknowledged_at is None],
        "people": [
            {
                "person": p,
                "count": len(scores.get(p.pk, [])),
                "powers": _powers(scores.get(p.pk, [])),
            }
            for p in people
        ],
        "rounds": None,
    }
    if len(people) == 2:
        context["rounds"] = _rounds(scores.get(people[0].pk, []), scores.get(people[1].pk, []))
        context["partner_a"], context["partner_b"] = people
    return context


def person_context(person: Person) -> dict[str, Any]:
    """The person's own trend; the couple's rounds only once the coach released them (the
    partner's check-ins are not even read before)."""
    schedule = Schedule.objects.filter(client_id=person.client_id).first()
    partner = person.client.people.exclude(pk=person.pk).first()
    shared = bool(schedule and schedule.comparison_released and partner)
    people = [person.pk, partner.pk] if shared else [person.pk]
    scores = _scores_by_person(_checkins(person.client, people))
    own = scores.get(person.pk, [])
    rounds = _rounds(own, scores.get(partner.pk, [])) if shared else None
    return {"schedule": schedule, "powers": _powers(own), "rounds": rounds, "count": len(own)}
