"""Issue 14 item 6, on a phone and on a desktop: a partner without an account opens the signed
link, reads the agreement and signs it with the keyboard (the other partner is still asked); the
coach sees who signed and publishes a new version, which asks again."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from clients.agreements.models import Signature
from clients.agreements.services import agreement_sign, agreement_sign_url, people_yet_to_sign
from tests.agreements.conftest import seed_first_version
from tests.e2e.accessibility import serious_violations
from tests.e2e.helpers import fits_the_screen, give_authenticator, sign_in_with_code
from tests.factories import CoachFactory, PersonFactory

pytestmark = pytest.mark.e2e


def test_a_partner_reads_and_signs_the_agreement_by_the_signed_link(page, tmp_path):
    version = seed_first_version()
    ana = PersonFactory(name="Ana Lopez", email="ana@example.org")
    ben = PersonFactory(client=ana.client, name="Ben Lopez", email="ben@example.org")
    page.goto(agreement_sign_url(ana).removeprefix(settings.SITE_URL))
    expect(page.get_by_role("heading", name="Coaching is not therapy")).to_be_visible()
    expect(page.get_by_text(version.sha256)).to_be_visible()
    assert fits_the_screen(page) and serious_violations(page) == []
    page.screenshot(path=str(tmp_path / "unsigned.png"), full_page=True)

    page.get_by_label("Type your full name to sign").fill("Ana María López")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the "I agree" box, with the keyboard
    expect(page.get_by_label("I have read this agreement and I agree to it")).to_be_checked()
    page.get_by_role("button", name="Sign the agreement").press("Enter")
    page.get_by_text("Thank you: you signed version 1.").wait_for()
    expect(page.get_by_text("You signed this version on")).to_be_visible()
    assert fits_the_screen(page) and serious_violations(page) == []
    page.screenshot(path=str(tmp_path / "signed.png"), full_page=True)

    signature = Signature.objects.get(person=ana)
    assert signature.typed_name == "Ana María López" and signature.user_agent
    assert people_yet_to_sign(ana.client) == [ben]


def test_the_coach_publishes_a_new_version_and_sees_who_signed_which(page, tmp_path):
    seed_first_version()
    ana = PersonFactory(name="Ana Lopez", email="ana@example.org")
    PersonFactory(client=ana.client, name="Ben Lopez", email="ben@example.org")
    agreement_sign(person=ana, version_number=1, typed_name="Ana Lopez", ip=None,
                   user_agent="", via="link")  # fmt: skip
    coach = CoachFactory(email="maya@example.org")
    sign_in_with_code(page, coach, give_authenticator(coach))

    page.goto(f"/coach/clients/{ana.client_id}/")
    card = page.get_by_role("region", name="Coaching agreement")
    assert "Ana Lopez: Signed" in " ".join(card.inner_text().split())
    assert "Ben Lopez: Not signed" in " ".join(card.inner_text().split())
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "client-card.png"), full_page=True)
    assert fits_the_screen(page) and serious_violations(page) == []

    page.goto("/coach/agreement/")
    page.get_by_role("link", name="Edit: publish a new version").click()
    text = page.get_by_label("The agreement (Markdown)")
    text.fill(text.input_value() + "\n\n## Packages\n\nPackages last six months.")
    page.get_by_role("button", name="Publish the new version").click()
    page.get_by_text("Version 2 published").wait_for()
    expect(page.get_by_role("heading", name="Packages")).to_be_visible()
    assert fits_the_screen(page) and serious_violations(page) == []
    page.goto(f"/coach/clients/{ana.client_id}/")
    card = page.get_by_role("region", name="Coaching agreement")
    assert "Ana Lopez: Not signed version 2" in " ".join(card.inner_text().split())
