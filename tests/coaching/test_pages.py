import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_invites_to_book_take_the_assessment_and_subscribe(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Book a free 45-minute call" in page
    assert reverse("bookings:index") in page
    assert reverse("intake:index") in page
    assert reverse("newsletter:index") in page
    assert 'href="#main"' in page  # skip link


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["privacy", "terms", "not_therapy", "safety"])
def test_footer_pages_are_public_and_linked_from_every_page(client, name):
    assert client.get(reverse(name)).status_code == 200
    assert reverse(name) in client.get("/").content.decode()


@pytest.mark.django_db
def test_unknown_page_gets_the_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.django_db
def test_site_settings_change_the_branding_everywhere(coach_client):
    data = {
        "site_name": "Heart Work",
        "tagline": "Coaching for couples",
        "coach_name": "Ana Ruiz",
        "coach_first_name": "Ana",
        "coach_email": "ana@example.org",
        "coach_bio": "Hello.",
        "brand_colour": "#225566",
    }
    response = coach_client.post(reverse("coaching:site_settings"), data)
    assert response.status_code == 302
    page = coach_client.get("/").content.decode()
    assert "Heart Work" in page
    stylesheet = re.search(r'<link rel="stylesheet" href="(/brand\.css\?v=225566)">', page)[1]
    response = coach_client.get(stylesheet)
    assert response["Content-Type"] == "text/css"
    assert response.content.decode() == ":root { --brand: #225566; }\n"
    assert "immutable" in response["Cache-Control"] and "public" in response["Cache-Control"]


@pytest.mark.django_db
def test_site_settings_refuse_a_malformed_colour(coach_client):
    data = {"site_name": "X", "tagline": "Y", "coach_name": "Z", "coach_first_name": "Z"}
    data |= {"coach_email": "z@example.org", "coach_bio": "", "brand_colour": "red;}"}
    response = coach_client.post(reverse("coaching:site_settings"), data)
    assert response.status_code == 200
    assert "Use a colour like #8a3f5f." in response.content.decode()


@pytest.mark.django_db
def test_the_footer_invites_to_the_newsletter_everywhere_but_the_coach_area(coach_client):
    assert 'id="footer-newsletter"' in coach_client.get(reverse("privacy")).content.decode()
    dashboard = coach_client.get(reverse("coaching:dashboard")).content.decode()
    assert 'id="footer-newsletter"' not in dashboard
