"""The coach's pages: staff only, flagged first, one response, flags, helplines."""

import re

import pytest
from django.urls import reverse

from clients.intake.models import HelplineResource, Response
from clients.models import AccessLog

from .answers import PERSONA_1, PERSONA_2, PERSONA_4

pytestmark = pytest.mark.django_db


@pytest.fixture
def responses(make_response):
    return (
        make_response(PERSONA_1),
        make_response(PERSONA_4),
        make_response(PERSONA_1 | {"SAF6": 1}),
    )


def test_the_intakes_list_shows_red_then_amber_then_the_rest(coach_client, responses):
    balanced, red, amber = responses
    page = coach_client.get(reverse("intake_coach:index")).content.decode()
    positions = [page.index(str(r.public_id)) for r in (red, amber, balanced)]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "name,args",
    [("index", []), ("helplines", []), ("helpline_new", [])],
)
def test_coach_pages_are_hidden_from_clients_and_strangers(client, client_user, name, args):
    url = reverse(f"intake_coach:{name}", args=args)
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(client_user)
    assert client.get(url).status_code == 404


def test_a_client_cannot_open_a_response_page(client, client_user, make_response):
    response = make_response(PERSONA_4)
    client.force_login(client_user)
    reply = client.get(reverse("intake_coach:response", args=[response.public_id]))
    assert reply.status_code == 404
    assert "SAF2" not in reply.content.decode()


def test_the_coach_sees_the_picture_answers_and_flag_and_it_is_marked_seen(
    coach_client, make_response
):
    response = make_response(PERSONA_4)
    page = coach_client.get(reverse("intake_coach:response", args=[response.public_id]))
    html = page.content.decode()
    assert "<svg" in html and "Red: urgent" in html and "SAF2" in html
    assert "has your partner pushed, grabbed" in html  # her answers, item by item
    assert Response.objects.get().reviewed_at is not None
    assert response.flags.get().acknowledged_at is not None


def test_every_opening_of_a_response_is_in_the_access_log(coach_client, coach, make_response):
    response = make_response(PERSONA_1)
    coach_client.get(reverse("intake_coach:response", args=[response.public_id]))
    [entry] = AccessLog.objects.filter(object_type="intake.response")
    assert (entry.actor_id, entry.action, entry.object_id) == (coach.pk, "view", str(response.pk))


def test_the_coach_resolves_a_flag_only_with_a_note(coach_client, make_response):
    flag = make_response(PERSONA_4).flags.get()
    url = reverse("intake_coach:flag_resolve", args=[flag.pk])
    assert coach_client.post(url, {"note": ""}).status_code == 400
    coach_client.post(url, {"note": "Spoke with her; referred to the helpline."})
    flag.refresh_from_db()
    assert not flag.is_open
    page = coach_client.get(reverse("intake_coach:response", args=[flag.response.public_id]))
    assert "referred to the helpline" in page.content.decode()


def test_the_coach_rescores_into_a_new_row(coach_client, make_response):
    response = make_response(PERSONA_2)
    coach_client.post(reverse("intake_coach:rescore", args=[response.public_id]))
    assert response.results.count() == 2
    assert response.latest_result().triggered_by is not None


def test_the_coach_edits_the_helpline_table(coach_client):
    line = HelplineResource.objects.get(number="0808 2000 247")
    data = {
        "country": "UK",
        "kind": "helpline",
        "label": "National Domestic Abuse Helpline",
        "number": "0808 2000 247",
        "url": "https://www.nationaldahelpline.org.uk/",
        "note": "",
        "position": 1,
        "last_verified": "2026-11-01",
    }
    reply = coach_client.post(reverse("intake_coach:helpline_edit", args=[line.pk]), data)
    assert reply.status_code == 302
    line.refresh_from_db()
    assert str(line.last_verified) == "2026-11-01"
    coach_client.post(reverse("intake_coach:helpline_delete", args=[line.pk]))
    assert not HelplineResource.objects.filter(pk=line.pk).exists()


def test_coach_actions_are_refused_to_a_signed_in_client(client, client_user, make_response):
    from clients.intake.models import CouplePair

    response = make_response(PERSONA_4)
    flag = response.flags.get()
    pair = CouplePair.objects.create(inviter_response=response)
    line = HelplineResource.objects.first()
    client.force_login(client_user)
    posts = [
        reverse("intake_coach:rescore", args=[response.public_id]),
        reverse("intake_coach:invite", args=[response.public_id]),
        reverse("intake_coach:flag_resolve", args=[flag.pk]),
        reverse("intake_coach:couple_release", args=[pair.pk]),
        reverse("intake_coach:helpline_delete", args=[line.pk]),
    ]
    for url in posts:
        assert client.post(url, {"note": "x", "email": "p@example.org"}).status_code == 404, url
    assert client.get(reverse("intake_coach:couple", args=[pair.pk])).status_code == 404
    flag.refresh_from_db()
    assert flag.is_open and response.results.count() == 1
    assert HelplineResource.objects.filter(pk=line.pk).exists()


def _answer_cells(html: str) -> dict[str, str]:
    rows = re.findall(r"<tr><td>(\w+)</td><td>.*?</td><td>(.*?)</td></tr>", html)
    return dict(rows)


def _fact(html: str, term: str) -> str:
    return re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", html).group(1)


def test_the_privacy_gate_reads_the_same_in_the_facts_and_the_answers(coach_client, make_response):
    response = make_response(PERSONA_1, gate="yes")
    html = coach_client.get(reverse("intake_coach:response", args=[response.public_id]))
    html = html.content.decode()
    assert _fact(html, "Privacy gate").startswith("Yes, answering in private")
    cells = _answer_cells(html)
    assert cells["GATE"] == "Yes"
    assert cells["SAF2"] == "Never"
    assert _fact(html, "Safety tier") == "None"


def test_after_a_no_at_the_gate_the_safety_questions_read_not_asked(coach_client, make_response):
    answers = {k: v for k, v in PERSONA_1.items() if not k.startswith("SAF")}
    response = make_response(answers, gate="no")
    html = coach_client.get(reverse("intake_coach:response", args=[response.public_id]))
    html = html.content.decode()
    assert _fact(html, "Privacy gate") == (
        "No, not in private: the safety questions were not asked"
    )
    cells = _answer_cells(html)
    assert cells["GATE"] == "No"
    assert {cells[f"SAF{n}"] for n in range(1, 8)} == {"Not asked"}
    assert _fact(html, "Safety tier") == "Incomplete: the safety questions were not answered"
