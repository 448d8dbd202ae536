"""Signing in the portal and by the signed link, and the coach's pages, through their URLs."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client as BrowserClient
from django.urls import reverse
from django.utils import timezone

from clients.agreements import services
from clients.agreements.models import AgreementVersion, Signature
from coaching.models import OutboundEmail
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (Phone) Test"


def post_signature(client, url, version, name):
    data = {"version": version.number, "full_name": name, "agree": "on"}
    return client.post(url, data, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.7")


def test_a_signed_in_client_reads_the_exact_version_and_signs_it(client, single, first_version):
    client.force_login(single.user)
    page = client.get(reverse("agreements:index"))
    assert page.status_code == 200
    assert (
        first_version.html in page.content.decode()
        and first_version.sha256 in page.content.decode()
    )
    response = post_signature(client, reverse("agreements:index"), first_version, "Sam Single")
    assert response.status_code == 302
    signature = Signature.objects.get(person=single)
    assert (signature.typed_name, str(signature.ip), signature.user_agent, signature.via) == (
        "Sam Single", "198.51.100.7", BROWSER, "portal",
    )  # fmt: skip
    page = client.get(reverse("agreements:index")).content.decode()
    assert "You signed this version" in page and "Sign the agreement</button>" not in page


def test_the_portal_asks_to_sign_and_then_says_which_version_was_signed(
    client, single, first_version
):
    client.force_login(single.user)
    assert "Read and sign the agreement" in client.get(reverse("clients:index")).content.decode()
    post_signature(client, reverse("agreements:index"), first_version, "Sam Single")
    assert "You signed version 1" in client.get(reverse("clients:index")).content.decode()


def test_a_person_without_an_account_signs_by_the_signed_link(client, first_version):
    person = PersonFactory(name="Noa Link")
    url = reverse("agreements:sign_link", args=[services.sign_token(person)])
    assert "Noa Link, please read" in client.get(url).content.decode()
    assert post_signature(client, url, first_version, "noa link").status_code == 302
    assert Signature.objects.get(person=person).via == "link"


def test_a_wrong_name_is_refused_on_the_page_and_nothing_is_recorded(client, single, first_version):
    client.force_login(single.user)
    response = post_signature(client, reverse("agreements:index"), first_version, "Someone Else")
    assert response.status_code == 200 and "as your coach knows it" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_version_published_while_reading_asks_to_read_it_first(client, single, first_version):
    client.force_login(single.user)
    services.agreement_publish(text="Version two, new terms.")
    response = post_signature(client, reverse("agreements:index"), first_version, "Sam Single")
    assert "changed while you were reading" in response.content.decode()
    assert 'name="version" value="2"' in response.content.decode()
    assert not Signature.objects.exists()


def test_a_new_version_asks_again_and_says_what_was_signed_before(client, single, first_version):
    client.force_login(single.user)
    post_signature(client, reverse("agreements:index"), first_version, "Sam Single")
    services.agreement_publish(text="Version two, new terms.")
    page = client.get(reverse("agreements:index")).content.decode()
    assert "since you signed version 1" in page and "Version two, new terms." in page


def test_a_tampered_link_is_refused_and_an_expired_one_says_so(client, single, first_version):
    token = services.sign_token(single)
    tampered = reverse("agreements:sign_link", args=[token[:-3] + "xyz"])
    assert client.get(tampered).status_code == 400
    assert post_signature(client, tampered, first_version, "Sam Single").status_code == 400
    later = timezone.now() + services.LINK_MAX_AGE + timedelta(hours=1)
    with time_machine.travel(later):
        expired = client.get(reverse("agreements:sign_link", args=[token]))
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert not Signature.objects.exists()


def test_a_link_for_an_erased_person_does_not_work(client, single, first_version):
    token = services.sign_token(single)
    single.client.delete()
    assert client.get(reverse("agreements:sign_link", args=[token])).status_code == 400


def test_signing_by_link_is_rate_limited_per_address(client, single, first_version):
    url = reverse("agreements:sign_link", args=[services.sign_token(single)])
    with time_machine.travel(time.time(), tick=False):  # all posts in one window
        statuses = [
            post_signature(client, url, first_version, "Nobody").status_code for _ in range(21)
        ]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429


def test_signing_needs_the_csrf_token(single, first_version):
    browser = BrowserClient(enforce_csrf_checks=True)
    url = reverse("agreements:sign_link", args=[services.sign_token(single)])
    assert post_signature(browser, url, first_version, "Sam Single").status_code == 403
    assert not Signature.objects.exists()


def test_the_coach_publishes_a_new_version_and_sees_who_signed_which(
    coach_client, couple, first_version
):
    _, alice, bea = couple
    services.agreement_sign(person=alice, version_number=1, typed_name="Alice A.", ip=None,
                            user_agent="", via="portal")  # fmt: skip
    index = coach_client.get(reverse("agreements_coach:index")).content.decode()
    assert "Version 1" in index
    form = coach_client.get(reverse("agreements_coach:publish")).content.decode()
    assert "Confidentiality" in form  # the current text to edit
    response = coach_client.post(reverse("agreements_coach:publish"), {"text": "New terms."})
    assert response.status_code == 302 and AgreementVersion.objects.current().number == 2
    page = coach_client.get(reverse("agreements_coach:version", args=[1])).content.decode()
    assert "Alice Able" in page and "Alice A." in page and "Bea Baker" not in page


def test_the_client_page_shows_who_signed_and_emails_the_link_to_the_others(
    coach_client, couple, first_version
):
    client, alice, _ = couple
    services.agreement_sign(person=alice, version_number=1, typed_name="Alice Able", ip=None,
                            user_agent="", via="portal")  # fmt: skip
    page = coach_client.get(reverse("clients_coach:detail", args=[client.pk])).content.decode()
    card = page.split('id="agreement-title"')[1].split("</section>")[0]
    assert "Signed" in card and "version 1" in card and "Not signed" in card
    response = coach_client.post(reverse("agreements_coach:ask", args=[client.pk]))
    assert response.status_code == 302
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["bea@example.org"]


def test_asking_again_and_again_sends_three_emails_an_hour(coach_client, couple, first_version):
    client, _, _ = couple
    url = reverse("agreements_coach:ask", args=[client.pk])
    for _ in range(5):
        response = coach_client.post(url, follow=True)
    assert OutboundEmail.objects.count() == 3 * 2  # both partners, three times
    assert "several times this hour" in response.content.decode()


@pytest.mark.parametrize("name", ["agreements_coach:index", "agreements_coach:publish"])
def test_the_coachs_agreement_pages_are_the_coachs_only(client, single, first_version, name):
    assert client.get(reverse(name)).status_code == 302  # to sign in
    client.force_login(single.user)
    assert client.get(reverse(name)).status_code == 404
    client.force_login(UserFactory())
    assert client.post(reverse(name), {"text": "Mine now"}).status_code == 404
    assert AgreementVersion.objects.count() == 1


def test_the_client_page_makes_as_many_queries_with_five_versions_signed_as_with_one(
    coach_client, couple, first_version, django_assert_max_num_queries
):
    client, alice, bea = couple
    url = reverse("clients_coach:detail", args=[client.pk])

    def both_sign(number):
        for person in (alice, bea):
            services.agreement_sign(person=person, version_number=number, typed_name=person.name,
                                    ip=None, user_agent="", via="portal")  # fmt: skip

    both_sign(1)
    coach_client.get(url)  # warm
    with django_assert_max_num_queries(100) as one:
        coach_client.get(url)
    budget = len(one.captured_queries)
    for number in range(2, 6):
        services.agreement_publish(text=f"Version {number}")
        both_sign(number)
    with django_assert_max_num_queries(budget):
        page = coach_client.get(url)
    assert page.content.decode().count("signed by") == 10  # the timeline
