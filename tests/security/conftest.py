"""A small site with one real object of each kind, and every route's URL filled from it."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.links import manage_token, pay_token
from clients.agreements.services import sign_token
from clients.intake import services as intake_services
from coaching.models import OutboundEmail, SiteSettings
from coaching.tokens import make_token
from content.newsletter import services as newsletter_services
from content.newsletter.models import Campaign, ConsentRecord, Subscriber
from tests.agreements.conftest import seed_first_version
from tests.blog.factories import CommentFactory, PostFactory, TagFactory
from tests.bookings.factories import BookingFactory, SessionTypeFactory, open_every_day
from tests.factories import PersonFactory
from tests.intake.conftest import load_pbi
from tests.urlwalk import Route

SAMPLE = {"int": 1, "str": "x", "slug": "x", "path": "x"}
UUID_SAMPLE = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def site(db, coach):
    """A client, a post with a tag and a comment, a bookable session with a booking, an
    assessment in progress and an email in the outbox."""
    load_pbi()
    seed_first_version()  # its signing page holds a public form
    SiteSettings.load()  # created once, as on any running site
    session_type = SessionTypeFactory()
    open_every_day(session_type.calendar)
    start = (timezone.now() + timedelta(days=10)).replace(hour=10, minute=0, second=0)
    booking = BookingFactory(session_type=session_type, start=start)
    post = PostFactory(tags=[TagFactory(slug="money")])
    response = intake_services.response_start(country="UK")
    newsletter_services.subscriber_request(
        email="reader@example.org", first_name="Rea", topics=[], form_id="", source_url="",
        ip=None, user_agent="",
    )  # fmt: skip
    return SimpleNamespace(
        consent=ConsentRecord.objects.latest("pk"),
        subscriber=Subscriber.objects.get(email="reader@example.org"),
        campaign=Campaign.objects.create(subject="Spring", body_markdown="Hello **there**"),
        person=PersonFactory(),
        post=post,
        comment=CommentFactory(post=post),
        session_type=session_type,
        booking=booking,
        response=response,
        email=OutboundEmail.objects.create(
            to="a@example.org",
            template="t",
            subject="Hello",
            body_text="Hi",
            body_html="<p>Hi</p>",
            next_attempt_at=timezone.now(),
        ),
    )


def _by_name(site) -> dict[str, dict]:
    token = manage_token(site.booking)
    slug = {"slug": site.session_type.slug}
    return {
        "bookings:booked": {"token": token},
        "bookings:manage": {"token": token},
        "bookings:cancel": {"token": token},
        "bookings:move": {"token": token},
        "bookings:invite": {"token": token},
        "bookings:coach_feed": {"token": site.session_type.calendar.feed_token},
        "payments:pay": {"token": pay_token(site.booking)},
        "payments:status": {"token": pay_token(site.booking)},
        "bookings:book": slug,
        "bookings:form": slug,
        "bookings_coach:detail": {"pk": site.booking.pk},
        "bookings_coach:move": {"pk": site.booking.pk},
        "bookings_coach:type_edit": {"pk": site.session_type.pk},
        "blog:post": {"slug": site.post.slug},
        "blog:comment": {"slug": site.post.slug},
        "blog:category": {"slug": site.post.category.slug},
        "blog:tag": {"slug": "money"},
        "blog_coach:edit": {"pk": site.post.pk},
        "comments_coach:moderate": {"pk": site.comment.pk},
        "comments_coach:reply": {"pk": site.comment.pk},
        "intake:resume": {"token": intake_services.resume_token(site.response)},
        "intake_coach:response": {"public_id": site.response.public_id},
        "coaching:outbox_email": {"pk": site.email.pk},
        "newsletter:confirm": {"token": make_token("doi", site.consent.pk)},
        "newsletter:preferences": {"token": make_token("preferences", site.subscriber.pk)},
        "newsletter:unsubscribe": {"token": make_token("unsubscribe", [site.subscriber.pk, 0])},
        "coaching:outbox_email_html": {"pk": site.email.pk},
        "agreements:sign_link": {"token": sign_token(site.person)},
    }


def url_for(route: Route, site) -> str:
    """The route's URL with real objects where the route names one, samples elsewhere."""
    if not route.name or route.name.endswith(":"):
        return ""
    if route.route.startswith("admin/") and route.kwargs:
        return ""
    kwargs = {name: SAMPLE.get(conv, UUID_SAMPLE) for name, conv in route.kwargs}
    if route.name.startswith("clients_coach:") and "pk" in kwargs:
        kwargs["pk"] = site.person.client_id
    if route.name.startswith("newsletter_coach:campaign") and "pk" in kwargs:
        kwargs["pk"] = site.campaign.pk
    kwargs.update(_by_name(site).get(route.name, {}))
    return reverse(route.name, kwargs=kwargs or None)


PROJECT_APPS = ("coaching", "clients", "intake", "bookings", "payments", "blog", "newsletter")


def row_counts(*labels: str) -> dict[str, int]:
    """The number of rows of these models ("app.Model") or of every model of these apps
    (all the project's by default)."""
    from django.apps import apps

    models = []
    for label in labels or PROJECT_APPS:
        if "." in label:
            models.append(apps.get_model(label))
        else:
            models.extend(apps.app_configs[label].get_models())
    return {model._meta.label: model._default_manager.count() for model in models}


def bookable_start(session_type):
    """A free slot three days ahead, as the picker would offer it."""
    from bookings.forms import slot_id

    start = (timezone.now() + timedelta(days=3)).replace(hour=11, minute=0, second=0, microsecond=0)
    return slot_id(start)
