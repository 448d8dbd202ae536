"""What the newsletter contributes to other apps' hooks, registered in NewsletterConfig.ready()."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from clients.hooks import TimelineEntry
from coaching.emails import absolute_url
from coaching.hooks import Panel
from content.newsletter.campaigns import campaign_from_post
from content.newsletter.models import (
    ConsentRecord,
    Delivery,
    Enrollment,
    Subscriber,
    Suppression,
    Topic,
)
from content.newsletter.services import preferences_url, subscriber_request

WEEKS = 12


def on_newsletter_signup(*, email, first_name="", source="", ip=None, user_agent="", **kw):
    """Another form's "send me the newsletter" box: start the double opt-in, all topics."""
    subscriber_request(
        email=email,
        first_name=first_name,
        topics=list(Topic.objects.active()),
        form_id=source or "other",
        source=source or "other",
        ip=ip,
        user_agent=user_agent or "",
    )


def on_post_published(post) -> None:
    campaign_from_post(post)


def _emails(client) -> list[str]:
    return [person.email for person in client.people.all()]


def _subscribers(client):
    query = Q()
    for email in _emails(client):
        query |= Q(email__iexact=email)
    return Subscriber.objects.filter(query) if query else Subscriber.objects.none()


def timeline(client) -> list[TimelineEntry]:
    consents = ConsentRecord.objects.filter(subscriber__in=_subscribers(client))
    entries = []
    for consent in consents.exclude(confirmed_at=None):
        topics = ", ".join(consent.topics)
        entries.append(
            TimelineEntry(
                consent.confirmed_at, "newsletter", "Joined the newsletter", summary=topics
            )
        )
        if consent.withdrawn_at:
            entries.append(TimelineEntry(consent.withdrawn_at, "newsletter", "Left the newsletter"))
    return entries


def portal_section(request, person) -> Panel | None:
    subscriber = Subscriber.objects.filter(email__iexact=person.email).first()
    context = {"subscriber": subscriber, "topics": Topic.objects.active()}
    if subscriber is not None:
        context["action"] = preferences_url(subscriber.pk)
        context["chosen"] = set(subscriber.topics.values_list("pk", flat=True))
    return Panel("newsletter/_portal_section.html", context, order=60)


def export(client) -> dict[str, list[dict]]:
    subscribers = _subscribers(client)
    return {
        "newsletter_subscribers": list(
            subscribers.values(
                "email", "first_name", "status", "created_at", "confirmed_at", "left_at"
            )
        ),
        "newsletter_consents": list(
            ConsentRecord.objects.filter(subscriber__in=subscribers).values(
                "subscriber__email",
                "topics",
                "form_id",
                "consent_text",
                "consent_version",
                "requested_at",
                "request_ip",
                "request_user_agent",
                "confirmed_at",
                "confirm_ip",
                "confirm_user_agent",
                "withdrawn_at",
            )  # fmt: skip
        ),
        "newsletter_sequences": list(
            Enrollment.objects.filter(subscriber__in=subscribers).values(
                "subscriber__email",
                "sequence__name",
                "enrolled_at",
                "time_zone",
                "steps_done",
                "stopped_at",
                "stop_reason",
            )  # fmt: skip
        ),
    }


def erase(client) -> dict[str, int]:
    """Delete subscriber and consent records; keep only a hash so no campaign reaches them."""
    subscribers = list(_subscribers(client))
    for subscriber in subscribers:
        Suppression.objects.get_or_create(
            email_hash=subscriber.email_hash, defaults={"reason": Suppression.Reason.ERASED}
        )
    Delivery.objects.filter(subscriber__in=subscribers).update(email="")
    _, counts = Subscriber.objects.filter(pk__in=[s.pk for s in subscribers]).delete()
    return {
        "newsletter subscribers": counts.get("newsletter.Subscriber", 0),
        "newsletter consent records": counts.get("newsletter.ConsentRecord", 0),
    }


def dashboard_panel(request) -> Panel:
    """Subscribers at the end of each of the last 12 weeks, in one query, as an SVG chart."""
    now = timezone.now()
    ends = [now - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]
    counts = Subscriber.objects.aggregate(
        **{
            f"w{i}": Count(
                "pk",
                filter=Q(confirmed_at__lte=end) & (Q(left_at=None) | Q(left_at__gt=end)),
            )
            for i, end in enumerate(ends)
        }
    )
    values = [counts[f"w{i}"] for i in range(WEEKS)]
    return Panel(
        "newsletter/_dashboard_panel.html",
        {
            # Twelve weeks of zeros would draw twelve dashes: the panel shows a sentence instead.
            "chart": growth_chart(values, ends) if any(values) else None,
            "current": values[-1],
            "url": reverse("newsletter_coach:index"),
            "signup_url": absolute_url(reverse("newsletter:index")),  # the address they share
        },
        order=40,
    )


def growth_chart(values: list[int], ends) -> dict:
    width, height, gap = 288, 96, 4
    bar = (width - gap * (len(values) - 1)) / len(values)
    top = max(values) or 1
    bars = []
    for i, (value, end) in enumerate(zip(values, ends, strict=True)):
        h = max(1.0, height * value / top)
        bars.append(
            {
                "x": round(i * (bar + gap), 1),
                "y": round(height - h, 1),
                "w": round(bar, 1),
                "h": round(h, 1),
                "value": value,
                "end": end,
            }
        )
    return {"bars": bars, "width": width, "height": height}
