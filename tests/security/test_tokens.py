"""docs/reliability.md S-08: the signed links of the site. Each purpose has its own salt (a
token made for one purpose opens nothing else), links expire, and the ones promised single use
are. A booking's link is used up once the booking is cancelled; after a move an older one shows
it as it is."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from bookings.links import manage_token
from bookings.models import Booking
from bookings.services import booking_cancel
from clients.data_rights import EXPORT_PURPOSE  # proven single use in tests/clients
from clients.intake import services as intake_services
from clients.intake.couple_services import PARTNER_PURPOSE, partner_token
from clients.intake.models import CouplePair
from clients.intake.services import ATTACH_PURPOSE, RESUME_PURPOSE
from coaching.tokens import make_token
from tests.security.conftest import row_counts

pytestmark = pytest.mark.django_db

PURPOSES = [
    "manage-booking", RESUME_PURPOSE, PARTNER_PURPOSE, ATTACH_PURPOSE, EXPORT_PURPOSE,
    "doi", "preferences", "unsubscribe",
]  # fmt: skip


def token_routes(site) -> list[tuple[str, str, object]]:
    """(route name, the purpose it reads, the value it signs) for every token URL."""
    booking = [str(site.booking.public_id), site.booking.sequence]
    return [
        ("bookings:booked", "manage-booking", booking),
        ("bookings:manage", "manage-booking", booking),
        ("bookings:move", "manage-booking", booking),
        ("bookings:cancel", "manage-booking", booking),
        ("bookings:invite", "manage-booking", booking),
        ("intake:resume", RESUME_PURPOSE, str(site.response.public_id)),
        ("newsletter:confirm", "doi", site.consent.pk),
        ("newsletter:preferences", "preferences", site.subscriber.pk),
        ("newsletter:unsubscribe", "unsubscribe", [site.subscriber.pk, 0]),
    ]


def request(client, name: str, token: str):
    method = client.post if name == "bookings:cancel" else client.get
    return method(reverse(name, args=[token]))


def test_the_purposes_are_distinct():
    assert len(set(PURPOSES)) == len(PURPOSES)


def test_a_token_made_for_another_purpose_opens_nothing(client, site):
    before, before_status = row_counts(), site.subscriber.status
    for name, purpose, value in token_routes(site):
        if name != "bookings:cancel":  # the genuine token opens the page
            assert request(client, name, make_token(purpose, value)).status_code in (200, 302)
            client.cookies.clear()
        for other in PURPOSES:
            if other != purpose:
                response = request(client, name, make_token(other, value))
                assert response.status_code in (400, 404), (name, other, response.status_code)
    assert "intake_response" not in client.session
    site.subscriber.refresh_from_db()
    assert site.subscriber.status == before_status
    site.booking.refresh_from_db()
    assert site.booking.status == Booking.Status.CONFIRMED
    assert row_counts()["bookings.Booking"] == before["bookings.Booking"]


def test_a_resume_link_expires_after_thirty_days_with_410(client, site):
    url = reverse("intake:resume", args=[make_token(RESUME_PURPOSE, str(site.response.public_id))])
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert client.get(url).status_code == 302
    client.cookies.clear()
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert client.get(url).status_code == 410
        assert "intake_response" not in client.session


def test_a_partner_invitation_expires_after_thirty_days_with_410(client, site):
    response = intake_services.response_start(country="UK")
    pair = CouplePair.objects.create(inviter_response=response)
    url = reverse("intake:partner", args=[partner_token(pair)])
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert client.get(url).status_code == 410
        assert (
            client.post(url, {"consent": "on", "adult": "on", "country": "UK"}).status_code == 410
        )
    assert CouplePair.objects.get(pk=pair.pk).invitee_response is None


def test_a_manage_link_is_used_up_by_the_cancellation(client, site):
    token = manage_token(site.booking)
    booking_cancel(booking=site.booking)
    for name in ("bookings:manage", "bookings:booked", "bookings:move", "bookings:cancel"):
        assert request(client, name, token).status_code == 410, name


def test_after_a_move_an_older_link_shows_the_booking_but_its_forms_change_nothing(client, site):
    token = manage_token(site.booking)
    Booking.objects.filter(pk=site.booking.pk).update(sequence=site.booking.sequence + 1)
    with time_machine.travel(timezone.now(), tick=False):  # links signed in the same second
        current = manage_token(Booking.objects.get(pk=site.booking.pk))
        for name in ("bookings:manage", "bookings:booked", "bookings:move"):
            response = request(client, name, token)
            expected = (302, reverse(name, args=[current]))
            assert (response.status_code, response["Location"]) == expected
    # A form from a page that showed the booking before the change: 409, and nothing changes.
    assert request(client, "bookings:cancel", token).status_code == 409
    assert client.post(reverse("bookings:move", args=[token])).status_code == 409
    site.booking.refresh_from_db()
    assert site.booking.status == Booking.Status.CONFIRMED
