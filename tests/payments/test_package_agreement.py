"""The coaching agreement's gate before a package: everyone of the buyer's client (both partners
of a couple) signs the current version before Checkout; without an agreement, straight there."""

import pytest
from django.conf import settings

from clients.agreements.models import Signature
from clients.agreements.services import agreement_publish, agreement_sign, agreement_sign_url
from clients.models import Person
from tests.factories import PersonFactory
from tests.payments.conftest import post_package_form

pytestmark = pytest.mark.usefixtures("frozen")  # signing links carry the time they were made


def sign(person: Person) -> None:
    agreement_sign(person=person, version_number=1, typed_name=person.name, ip=None,
                   user_agent="", via="link")  # fmt: skip


def sent_to_checkout(response, fake_stripe) -> bool:
    return response.status_code == 302 and response["Location"].startswith(fake_stripe.url)


def test_a_buyer_who_has_not_signed_signs_by_the_link_on_the_page_then_buys(
    client, offer, fake_stripe
):
    agreement_publish(text="Coaching is not therapy.")
    page = post_package_form(client, offer)
    assert page.status_code == 403 and fake_stripe.requests == []
    ada = Person.objects.get(email="ada@example.org")  # the buyer, a lead from here on
    link = agreement_sign_url(ada)
    assert "Please sign the coaching agreement first" in page.text and link in page.text
    assert 'value="Ada Lovelace"' in page.text  # what was typed stays, to pay once signed

    sign_page = link.removeprefix(settings.SITE_URL)
    assert "Coaching is not therapy." in client.get(sign_page).text
    data = {"version": 1, "full_name": "Ada Lovelace", "agree": "on"}
    assert client.post(sign_page, data).status_code == 302
    assert Signature.objects.filter(person=ada).exists()
    assert sent_to_checkout(post_package_form(client, offer), fake_stripe)
    assert len(fake_stripe.sessions) == 1


def test_a_couple_where_the_partner_has_not_signed_cannot_buy(client, offer, fake_stripe):
    agreement_publish(text="Coaching is not therapy.")
    ada = PersonFactory(name="Ada Lovelace", email="ada@example.org")
    sam = PersonFactory(client=ada.client, name="Sam Partner", email="sam@example.org")
    sign(ada)
    page = post_package_form(client, offer, email="ADA@example.org")
    assert page.status_code == 403 and "Sam Partner, with their own link" in page.text
    assert agreement_sign_url(sam) not in page.text  # never the partner's link to the buyer
    assert fake_stripe.requests == []

    sign(sam)
    assert sent_to_checkout(post_package_form(client, offer), fake_stripe)


def test_a_new_version_asks_again_before_the_next_package(client, offer, fake_stripe):
    agreement_publish(text="Coaching is not therapy.")
    sign(PersonFactory(name="Ada Lovelace", email="ada@example.org"))
    assert sent_to_checkout(post_package_form(client, offer, key="first"), fake_stripe)
    agreement_publish(text="Coaching is not therapy. Packages last six months.")
    page = post_package_form(client, offer, key="second")
    assert page.status_code == 403 and "Ada Lovelace: read and sign" in page.text
    assert len(fake_stripe.sessions) == 1  # the first package's only


def test_without_an_agreement_a_package_goes_straight_to_checkout(client, offer, fake_stripe):
    ada = PersonFactory(name="Ada Lovelace", email="ada@example.org")
    PersonFactory(client=ada.client, name="Sam Partner", email="sam@example.org")
    assert sent_to_checkout(post_package_form(client, offer), fake_stripe)
