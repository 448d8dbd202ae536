"""Taking the assessment through its pages: consent, gate, sections, results, links."""

import pytest
from django.urls import reverse

from clients.intake import pages, services
from clients.intake.models import Response

from .answers import PERSONA_1, PERSONA_2, PERSONA_4
from .conftest import use_response

pytestmark = pytest.mark.django_db
CONSENT = {"consent": "on", "adult": "on", "country": "UK", "website": ""}


def _answer_everything(client, answers, gate="yes"):
    client.post(reverse("intake:start"), CONSENT)
    client.post(reverse("intake:gate"), {"gate": gate})
    page = "context"
    response = Response.objects.get()
    while True:
        ids = pages.item_ids(response, page)
        reply = client.post(
            reverse("intake:section", args=[page]), {i: answers[i] for i in ids if i in answers}
        )
        if reply.url == reverse("intake:results"):
            return reply
        page = reply.url.rstrip("/").rsplit("/", 1)[-1]


def test_the_consent_boxes_start_unticked_and_are_required(client):
    page = client.get(reverse("intake:start")).content.decode()
    assert 'name="consent"' in page and "checked" not in page
    reply = client.post(reverse("intake:start"), {"adult": "on", "country": "UK"})
    assert reply.status_code == 200
    assert "we need your consent" in reply.content.decode()
    assert not Response.objects.exists()


def test_consent_stores_its_version_and_leads_to_the_privacy_gate(client):
    reply = client.post(reverse("intake:start"), CONSENT)
    assert reply.url == reverse("intake:gate")
    response = Response.objects.get()
    assert response.consent_version == services.CONSENT_VERSION
    assert response.consented_at is not None


def test_a_whole_assessment_ends_on_results_with_the_picture_first(client):
    _answer_everything(client, PERSONA_2)
    page = client.get(reverse("intake:results")).content.decode()
    assert page.index("<svg") < page.index("Where to start")
    assert "Where to start: financial" in page
    assert "Signs worth exploring" in page
    assert "/book/free-call/?intake=" in page
    assert "Quick exit" in page and "Worried about your safety?" in page
    assert "support-panel" not in page


def test_every_page_of_the_assessment_shows_quick_exit_and_the_safety_link(client):
    urls = [reverse("intake:index"), reverse("intake:start")]
    client.post(reverse("intake:start"), CONSENT)
    urls += [reverse("intake:gate"), reverse("intake:section", args=["emotional"])]
    for url in urls:
        page = client.get(url).content.decode()
        assert "Quick exit" in page and "Worried about your safety?" in page, url
        assert "erase" not in page.replace("does not erase", ""), url


def test_the_bipolar_scale_is_a_fieldset_announcing_one_of_five(client):
    client.post(reverse("intake:start"), CONSENT)
    page = client.get(reverse("intake:section", args=["emotional"])).content.decode()
    assert "<fieldset" in page and "<legend>" in page
    assert '<span class="visually-hidden">1 of 5, </span>Almost always my partner' in page
    assert "Skip this question" in page


def test_a_red_answer_shows_the_support_panel_before_the_results(client):
    _answer_everything(client, PERSONA_4)
    page = client.get(reverse("intake:results")).content.decode()
    assert page.index("You deserve to be safe") < page.index("<svg")
    assert "0808 2000 247" in page
    assert "How can Maya safely reach you?" in page
    assert "Invite your partner" not in page


def test_amber_shows_the_gentle_note_and_a_caution_on_the_invitation(client):
    _answer_everything(client, PERSONA_1 | {"SAF6": 1})
    page = client.get(reverse("intake:results")).content.decode()
    assert "touch on pressure, fear or control" in page
    assert "You may prefer to talk to Maya first" in page
    assert "support-panel" not in page


def test_the_gate_at_no_leaves_out_the_safety_page(client):
    client.post(reverse("intake:start"), CONSENT)
    reply = client.post(reverse("intake:gate"), {"gate": "no"})
    assert reply.url == reverse("intake:gate_caution")
    assert client.get(reverse("intake:section", args=["safety"])).status_code == 404
    reply = client.post(reverse("intake:section", args=["together"]), {})
    assert reply.url == reverse("intake:results")


def test_the_sexual_section_can_be_skipped_as_a_whole(client):
    client.post(reverse("intake:start"), CONSENT)
    client.post(reverse("intake:gate"), {"gate": "yes"})
    url = reverse("intake:section", args=["sexual"])
    client.post(url, {"SEX1": "2", "SEX2": "2"})
    reply = client.post(url, {"SEX1": "2", "skip_section": "1"})
    assert reply.url == reverse("intake:section", args=["together"])
    assert "SEX1" not in Response.objects.get().answers


def test_the_emailed_link_brings_her_back_to_where_she_stopped(client, make_response):
    response = make_response({"CTX1": 2}, submit=False)
    reply = client.get(reverse("intake:resume", args=[services.resume_token(response)]))
    assert reply.url == reverse("intake:section", args=["emotional"])
    assert client.get(reply.url).status_code == 200


def test_a_tampered_link_is_refused(client):
    assert client.get(reverse("intake:resume", args=["not-a-token"])).status_code == 404


def test_results_need_her_session_or_link(client, make_response):
    make_response(PERSONA_1)
    assert client.get(reverse("intake:results")).status_code == 404


def test_her_account_opens_only_her_own_results(client, client_user, make_response):
    mine = make_response(PERSONA_1)
    mine.respondent = client_user
    mine.save()
    other = make_response(PERSONA_2)
    client.force_login(client_user)
    assert client.get(reverse("intake:mine", args=[other.public_id])).status_code == 404
    assert client.get(reverse("intake:mine", args=[mine.public_id])).url == reverse(
        "intake:results"
    )


def test_she_can_delete_her_response(client, make_response):
    response = make_response(PERSONA_1)
    use_response(client, response)
    assert client.get(reverse("intake:delete")).status_code == 200
    assert client.post(reverse("intake:delete")).url == reverse("intake:index")
    assert not Response.objects.exists()


def test_she_asks_for_a_link_and_becomes_a_lead(client, make_response):
    response = make_response(submit=False)
    use_response(client, response)
    reply = client.post(
        reverse("intake:later"), {"email": "ana@example.org", "name": "Ana", "website": ""}
    )
    assert "Check your inbox" in reply.content.decode()
    assert Response.objects.get().client.people.get().email == "ana@example.org"


def test_the_safe_contact_choice_is_saved(client, make_response):
    response = make_response(PERSONA_4)
    use_response(client, response)
    client.post(
        reverse("intake:safe_contact"), {"choice": "phone", "phone": "0700", "times": "9-11"}
    )
    assert Response.objects.get().safe_contact == {
        "choice": "phone",
        "phone": "0700",
        "times": "9-11",
        "email": "",
    }


def test_by_email_needs_an_address_when_she_gave_none(client, make_response):
    use_response(client, make_response(PERSONA_4))
    reply = client.post(reverse("intake:safe_contact"), {"choice": "email"})
    assert reply.status_code == 400
    assert "Please give an email address" in reply.content.decode()
    client.post(reverse("intake:safe_contact"), {"choice": "email", "email": "safe@example.org"})
    assert Response.objects.get().safe_contact["email"] == "safe@example.org"


@pytest.mark.parametrize(
    "name,method",
    [
        ("gate", "get"),
        ("gate_caution", "get"),
        ("results", "get"),
        ("comparison", "get"),
        ("later", "get"),
        ("delete", "post"),
        ("safe_contact", "post"),
        ("invite", "post"),
    ],
)
def test_pages_of_a_response_need_her_session(client, make_response, name, method):
    make_response(PERSONA_4)  # somebody's answers exist; a stranger reaches none of them
    reply = getattr(client, method)(reverse(f"intake:{name}"))
    assert reply.status_code == 404
    assert Response.objects.count() == 1


def test_a_question_page_needs_her_session(client):
    assert client.get(reverse("intake:section", args=["emotional"])).status_code == 404


def test_an_unknown_invitation_or_a_deleted_response_link_is_refused(client, make_response):
    assert client.get(reverse("intake:partner", args=["forged"])).status_code == 404
    response = make_response(PERSONA_1)
    token = services.resume_token(response)
    services.response_delete(response=response)
    assert client.get(reverse("intake:resume", args=[token])).status_code == 404


def test_back_and_save_for_later_keep_what_she_answered(client):
    client.post(reverse("intake:start"), CONSENT)
    client.post(reverse("intake:gate"), {"gate": "yes"})
    url = reverse("intake:section", args=["financial"])
    reply = client.post(url, {"FIN1": "1", "back": ""})
    assert reply.url == reverse("intake:section", args=["emotional"])
    reply = client.post(url, {"FIN1": "1", "FIN2": "0", "later": ""})
    assert reply.url == reverse("intake:later")
    assert Response.objects.get().answers == {"FIN1": 1, "FIN2": 0}
    page = client.get(url).content.decode()
    assert 'name="FIN1" value="1" checked' in page
