"""Demo homework: the demo couple has the listening exercise to do, and one partner has sent a
shared answer (the library itself is seeded by migration 0001)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from clients.homework.models import Assignment, Exercise
from clients.homework.services import answer_save, assignment_create
from clients.models import Person

COUPLE_EMAIL = "priya@example.com"  # clients.demo's couple


def seed() -> list[str]:
    """Assign once; return lines to print."""
    person = Person.objects.select_related("client").filter(email=COUPLE_EMAIL).first()
    exercise = Exercise.objects.filter(practice="communication").first()
    if person and exercise and not Assignment.objects.filter(client=person.client).exists():
        coach = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
        due = timezone.localdate() + timedelta(days=5)
        assignment = assignment_create(
            client=person.client, exercise=exercise, due_on=due, by=coach
        )
        answer_save(
            answer=assignment.answers.get(person=person),
            body="I noticed I plan my reply while Sam is still talking.",
            share=True,
            submit=True,
        )
    return [f"Homework: {Exercise.objects.count()} exercises (/coach/homework/exercises/)"]
