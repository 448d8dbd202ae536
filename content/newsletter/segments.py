"""Segments: who among a campaign's topic subscribers it goes to, by stage, assessment, join date.

A subscriber's stage and assessment come from the client record with their address (the same
match as the merge tags' first name, `merge.py`): no record means "subscriber"; a record's
stage means lead, client or alumni. `Segment.q()` is the filter; `Subscriber.objects.segment()`
adds the topics, the status and the suppressions, and is the one definition behind the count the
coach sees while choosing, the count confirmed before sending and the snapshot at the start.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower

from clients.intake.models import Response
from clients.models import Client, Person

S = Client.Stage


class Stage(models.TextChoices):
    SUBSCRIBER = "subscriber", "Subscribers only (no client record)"
    LEAD = "lead", "Leads (not clients yet)"
    CLIENT = "client", "Clients"
    ALUMNI = "alumni", "Alumni"


# The client records' stages each choice covers ("subscriber": no record at all).
CLIENT_STAGES = {
    Stage.LEAD: [S.LEAD, S.FREE_CALL_BOOKED, S.FREE_CALL_DONE, S.NOT_A_FIT],
    Stage.CLIENT: [S.CLIENT, S.PAUSED],
    Stage.ALUMNI: [S.ALUMNI],
}


def validate_stages(value) -> None:
    if not isinstance(value, list) or not set(value) <= set(Stage.values):
        raise ValidationError("Choose stages among: %(stages)s.", params={"stages": Stage.values})


class Assessment(models.TextChoices):
    ANY = "", "Anyone"
    TAKEN = "taken", "Took the assessment"
    NOT_TAKEN = "not_taken", "Did not take the assessment"


def people_with_the_address(prefix: str = ""):
    """Client records' people whose address is the outer subscriber's, whatever its case (by
    the unique index on lower(email)); `prefix` leads from the outer row to the subscriber."""
    return Person.objects.annotate(email_ci=Lower("email")).filter(
        email_ci=Lower(OuterRef(f"{prefix}email"))
    )


def _stage(stage: str) -> Q:
    if stage == Stage.SUBSCRIBER:
        return Q(~Exists(people_with_the_address()))
    return Q(Exists(people_with_the_address().filter(client__stage__in=CLIENT_STAGES[stage])))


def _took_assessment() -> Exists:
    """A submitted assessment of theirs, or of their record when it names no person."""
    submitted = Response.objects.submitted()
    people = people_with_the_address().filter(
        Q(pk__in=submitted.values("person_id"))
        | Q(client_id__in=submitted.filter(person=None).values("client_id"))
    )
    return Exists(people)


def start_of_day(day: date) -> datetime:
    """Midnight of `day` in the coach's zone: the join dates are the coach's calendar days."""
    return datetime.combine(day, time(), ZoneInfo(settings.COACH_TIME_ZONE))


@dataclass(frozen=True)
class Segment:
    """A campaign's audience: `topic_ids` (ids, or a subquery of them) and optional filters."""

    topic_ids: object
    stages: tuple[str, ...] = ()
    assessment: str = Assessment.ANY
    joined_from: date | None = None
    joined_to: date | None = None

    @classmethod
    def of(cls, campaign) -> "Segment":
        topics = campaign.topics.through.objects.filter(campaign_id=campaign.pk)
        return cls(
            topic_ids=topics.values("topic_id"),
            stages=tuple(campaign.stages),
            assessment=campaign.assessment,
            joined_from=campaign.joined_from,
            joined_to=campaign.joined_to,
        )

    def q(self) -> Q:
        """The filter beyond topics; everyone when nothing is chosen."""
        q = Q()
        if self.stages:
            q &= reduce(or_, (_stage(stage) for stage in self.stages))
        if self.assessment == Assessment.TAKEN:
            q &= Q(_took_assessment())
        elif self.assessment == Assessment.NOT_TAKEN:
            q &= ~_took_assessment()
        if self.joined_from:
            q &= Q(confirmed_at__gte=start_of_day(self.joined_from))
        if self.joined_to:
            q &= Q(confirmed_at__lt=start_of_day(self.joined_to + timedelta(days=1)))
        return q

    def describe(self) -> list[str]:
        """The filters in words, for the campaign's pages (none: everyone in the topics)."""
        words = []
        if self.stages:
            words.append(", ".join(str(Stage(stage).label) for stage in self.stages))
        if self.assessment:
            words.append(str(Assessment(self.assessment).label))
        if self.joined_from or self.joined_to:
            since = f" from {self.joined_from:%d %B %Y}" if self.joined_from else ""
            until = f" to {self.joined_to:%d %B %Y}" if self.joined_to else ""
            words.append(f"Joined{since}{until}")
        return words
