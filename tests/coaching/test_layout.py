"""The page frame: one newsletter form a page, the coach's own header, the subscriber panel."""

import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from content.newsletter.models import Subscriber
from tests.newsletter.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def header_of(body: str) -> str:
    return body.split("<header", 1)[1].split("</header>", 1)[0]


def duplicate_ids(body: str) -> list[str]:
    counts = Counter(re.findall(r'\sid="([^"]+)"', body))
    return [name for name, n in counts.items() if n > 1]


def test_the_home_page_has_one_newsletter_form_its_own(client):
    body = client.get(reverse("home")).content.decode()
    assert body.count('class="newsletter-form"') == 1
    assert 'id="nl-home-email"' in body and 'id="nl-footer-email"' not in body
    assert reverse("privacy") in body.split("<footer", 1)[1]  # the rest of the footer stays


@pytest.fixture
def own_form_pages(db):
    """The pages with a sign-up form of their own: a post that asks for it, the newsletter's
    page and an archived issue."""
    from content.newsletter.models import Campaign
    from tests.blog.factories import PostFactory

    issue = Campaign.objects.create(
        subject="Spring", body_markdown="Hello", state=Campaign.State.SENT, published=True,
        finished_at=timezone.now(),
    )  # fmt: skip
    return [
        PostFactory(cta_newsletter=True).get_absolute_url(),
        reverse("newsletter:index"),
        issue.get_archive_url(),
    ]


def test_pages_with_their_own_form_leave_the_footers_out(client, own_form_pages):
    for url in own_form_pages:
        body = client.get(url).content.decode()
        assert body.count(f'action="{reverse("newsletter:subscribe")}"') == 1, url
        assert 'id="nl-footer-email"' not in body, url


def test_other_public_pages_keep_the_footer_form(client):
    body = client.get(reverse("privacy")).content.decode()
    assert body.count('class="newsletter-form"') == 1 and 'id="nl-footer-email"' in body


@pytest.mark.parametrize("name", ["home", "privacy", "coaching:dashboard"])
def test_ids_are_unique_on_the_page(coach_client, name):
    assert duplicate_ids(coach_client.get(reverse(name)).content.decode()) == []


def test_the_coach_header_leads_to_her_dashboard_the_site_and_sign_out(coach_client):
    body = coach_client.get(reverse("bookings_coach:index")).content.decode()
    header = header_of(body)
    assert f'class="brand" href="{reverse("coaching:dashboard")}"' in header
    assert f'<a href="{reverse("home")}">View site</a>' in header
    assert f'action="{reverse("account_logout")}"' in header and "Sign out" in header
    assert body.index('class="skip-link" href="#main"') < body.index("<header")
    assert 'id="main"' in body


def test_the_coach_header_leaves_out_the_public_marketing_links(coach_client):
    header = header_of(coach_client.get(reverse("coaching:dashboard")).content.decode())
    assert "Free call" not in header and 'aria-label="Main"' not in header
    for name in ["blog:index", "bookings:index", "intake:index", "newsletter:index"]:
        assert f'href="{reverse(name)}"' not in header


def test_the_coach_footer_leaves_out_the_visitors_calls_to_action(coach_client):
    footer = coach_client.get(reverse("coaching:dashboard")).content.decode().split("<footer")[1]
    assert "Book a free" not in footer and "newsletter-form" not in footer
    assert reverse("privacy") in footer


def test_no_free_calls_yet_shows_a_sentence_not_an_empty_chart(coach_client):
    body = coach_client.get(reverse("coaching:dashboard")).content.decode()
    panel = body.split('id="panel-conversion"', 1)[1].split("</section>", 1)[0]
    assert "No free calls in the last six months yet." in panel and "<svg" not in panel


def test_the_coach_sees_the_public_header_on_the_public_site(coach_client):
    header = header_of(coach_client.get(reverse("home")).content.decode())
    assert "Free call" in header and "Coach area" in header and "View site" not in header


def test_no_subscribers_yet_shows_a_sentence_with_the_sign_up_page_not_a_chart(
    coach_client, settings
):
    SubscriberFactory(status=Subscriber.Status.PENDING, confirmed_at=None)  # not counted yet
    body = coach_client.get(reverse("coaching:dashboard")).content.decode()
    signup = f"{settings.SITE_URL}{reverse('newsletter:index')}"
    assert "No subscribers yet. Share your sign-up page:" in body
    assert f'href="{signup}">{signup}</a>' in body
    assert "growth-chart" not in body and "Subscribers by week" not in body


def test_subscribers_still_draw_the_chart_with_its_text_alternative(coach_client):
    SubscriberFactory.create_batch(3)
    body = coach_client.get(reverse("coaching:dashboard")).content.decode()
    chart = body.split('<svg class="growth-chart"', 1)[1].split("</svg>", 1)[0]
    assert 'role="img" aria-labelledby="growth-title"' in chart and chart.count("<rect") == 12
    assert "<caption>Subscribers by week</caption>" in body and "No subscribers yet" not in body
