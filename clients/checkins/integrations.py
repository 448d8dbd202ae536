"""What check-ins contribute to other pages, registered in `CheckinsConfig.ready()`.

The coach's card shows trends, flags and talking points, never an answer; the answers open one
check-in at a time, logged. The export holds each check-in with its person's email, so one
partner's own download leaves out the other's answers (clients.hooks).
"""

from clients.checkins import pages
from clients.checkins.forms import ScheduleForm
from clients.checkins.models import CheckIn, Schedule
from clients.checkins.services import trend_read
from coaching.hooks import Panel

NOTES_PERMISSION = "clients.view_note"  # answers about the relationship: protected as notes are


def portal_section(request, person) -> Panel | None:
    schedule = Schedule.objects.filter(client_id=person.client_id).first()
    if schedule is None:
        return None
    return Panel("checkins/_portal_section.html", {"schedule": schedule}, order=7)


def client_panel(request, client) -> Panel | None:
    if not request.user.has_perm(NOTES_PERMISSION):
        return None
    context = pages.coach_context(client)
    if any(row["count"] for row in context["people"]):
        trend_read(client=client, user=request.user, request=request)
    schedule = context["schedule"]
    initial = {"rhythm": schedule.rhythm, "active": schedule.active} if schedule else None
    context |= {"client": client, "schedule_form": ScheduleForm(initial=initial)}
    return Panel("checkins/_client_card.html", context, order=7)


def export(client) -> dict[str, list[dict]]:
    found = CheckIn.objects.filter(client=client).select_related("person")
    return {
        "checkins": [
            {
                "person": checkin.person.email,
                "submitted_at": checkin.submitted_at,
                "pulse_version": checkin.pulse_version,
                "answers": checkin.answers,
                "scores": checkin.scores,
            }
            for checkin in found
        ]
    }


def erase(client) -> dict[str, int]:
    deleted = CheckIn.objects.filter(client=client).delete()[1]
    Schedule.objects.filter(client=client).delete()
    return {"checkins": deleted.get("checkins.CheckIn", 0)}
