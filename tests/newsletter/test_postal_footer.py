"""The postal address (SiteSettings) in every campaign's HTML and text, on the SMTP fast path
and in Django's message alike; a clear warning on the coach's campaign pages while it is unset;
the preview's desktop/phone width."""

from email import message_from_bytes, policy

import pytest
from django.urls import reverse

from coaching.models import SiteSettings
from content.newsletter.mail import CampaignMail
from tests.newsletter.factories import CampaignFactory

pytestmark = pytest.mark.django_db

ADDRESS = "Balanced Hearts Ltd (no. 0123)\n12 <Rose> Lane & Co\nLondon N1 1AA"
WARNING = "Your newsletter has no postal address in its footer yet."


def set_address(address: str) -> None:
    SiteSettings.objects.update_or_create(pk=1, defaults={"postal_address": address})


def test_every_campaign_carries_the_postal_address_in_html_and_text(topics):
    set_address(ADDRESS)
    builder = CampaignMail(CampaignFactory())
    ids = {"delivery_id": 1, "subscriber_id": 2, "email": "ana@example.org"}
    fast = message_from_bytes(builder.wire(**ids), policy=policy.default)
    slow = builder.message(**ids)
    for text in (fast.get_body(("plain",)).get_content(), slow.body):
        assert text.rstrip().endswith(ADDRESS)
    html_part = "Balanced Hearts Ltd (no. 0123)<br>12 &lt;Rose&gt; Lane &amp; Co<br>London N1 1AA"
    assert html_part in fast.get_body(("html",)).get_content()
    assert html_part in slow.alternatives[0][0]


def test_without_an_address_the_footer_has_none_and_the_coach_is_warned(coach_client, topics):
    campaign = CampaignFactory()
    message = CampaignMail(campaign).message(delivery_id=1, subscriber_id=2, email="a@b.org")
    assert message.body.rstrip().splitlines()[-1].startswith("Unsubscribe: https://")
    pages = [
        campaign.get_absolute_url(),
        reverse("newsletter_coach:campaign_preview", args=[campaign.pk]),
        reverse("newsletter_coach:campaign_send", args=[campaign.pk]),
    ]
    for url in pages:
        page = coach_client.get(url).content.decode()
        assert WARNING in page and f"{reverse('coaching:site_settings')}#id_postal_address" in page
    set_address(ADDRESS)
    for url in pages:
        assert WARNING not in coach_client.get(url).content.decode()


def test_the_site_settings_keep_the_address_lines_without_blank_ones(coach_client):
    data = {"site_name": "X", "tagline": "Y", "coach_name": "Z", "coach_first_name": "Z"}
    data |= {"coach_email": "z@example.org", "coach_bio": "Hi.", "brand_colour": "#225566"}
    data["postal_address"] = "  12 Rose Lane \r\n\r\nLondon N1 1AA\r\n"
    response = coach_client.post(reverse("coaching:site_settings"), data)
    assert response.status_code == 302
    assert SiteSettings.load().postal_address == "12 Rose Lane\nLondon N1 1AA"
    data["postal_address"] = "12 Rose Lane\x1b[31m"
    response = coach_client.post(reverse("coaching:site_settings"), data)
    assert "Please use a single line without special characters." in response.content.decode()


@pytest.mark.parametrize(
    ("width", "checked"),
    [
        ("", "desktop"),
        ("phone", "phone"),
        ("desktop", "desktop"),
        ("tablet", "desktop"),
        ("\x00", "desktop"),
    ],  # fmt: skip
)
def test_the_preview_width_toggle_keeps_the_choice(coach_client, topics, width, checked):
    campaign = CampaignFactory()
    url = reverse("newsletter_coach:campaign_preview", args=[campaign.pk])
    page = coach_client.get(url, {"width": width}).content.decode()
    assert f'value="{checked}" id="width-{checked}" checked>' in page
    assert page.count(" checked>") == 1
