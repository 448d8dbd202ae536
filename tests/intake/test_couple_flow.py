"""Couple mode end to end, and the promise of PBI spec §6.6 (docs/assessment/pbi-spec.md):
nothing the partner can reach (a page, an email, a JSON body) holds the other's safety answers,
coach-only items or flags."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from clients.intake import pages
from clients.intake.models import CouplePair, Response
from coaching.models import OutboundEmail

from .answers import COUPLE_A, COUPLE_B, INSTRUMENT
from .conftest import use_response

pytestmark = pytest.mark.django_db
CONSENT = {"consent": "on", "adult": "on", "country": "UK", "website": ""}
# A is AMBER (fear once, her partner limits her contacts): flagged, with coach-only answers.
A_ANSWERS = COUPLE_A | {"SAF1": 1, "SOC3": 3, "GEN7": 3}
COACH_ONLY = INSTRUMENT.coach_only_ids()
FORBIDDEN = (
    [INSTRUMENT.item(i).text for i in COACH_ONLY]
    + sorted(COACH_ONLY)
    + ["AMBER", "Amber", "RED", "flag", "Check in privately", "pressure, fear or control"]
)


def _take(browser, answers, invitation_url=None):
    if invitation_url:
        browser.post(invitation_url, CONSENT | {"share_intimacy": "on"})
    else:
        browser.post(reverse("intake:start"), CONSENT)
    browser.post(reverse("intake:gate"), {"gate": "yes"})
    response = Response.objects.get(public_id=browser.session["intake_response"])
    for name in pages.page_names(response):
        ids = pages.item_ids(response, name)
        browser.post(
            reverse("intake:section", args=[name]), {i: answers[i] for i in ids if i in answers}
        )
    return Response.objects.get(pk=response.pk)


def _invitation_url(outbound: OutboundEmail) -> str:
    return re.search(
        r"https://coach\.example\.com(/assessment/partner/[^/\s]+/)", outbound.body_text
    )[1]


@pytest.fixture
def couple(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = _take(client, A_ANSWERS)
        client.post(
            reverse("intake:invite"),
            {"email": "b@example.org", "share_intimacy": "on", "website": ""},
        )
    invitation = OutboundEmail.objects.get(template="intake_partner_invite")
    partner_browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        b = _take(partner_browser, COUPLE_B, _invitation_url(invitation))
    return a, b, client, partner_browser


def _partner_reachable(browser, b: Response) -> list[str]:
    bodies = [
        browser.get(reverse("intake:results")).content.decode(),
        browser.get(reverse("intake:comparison")).content.decode(),
    ]
    for email in OutboundEmail.objects.exclude(template="intake_attention"):
        bodies += [email.subject, email.body_text, email.body_html]
    return bodies


def test_both_partners_answer_and_the_comparison_waits_for_the_coach(couple):
    a, b, _, partner_browser = couple
    pair = CouplePair.objects.get()
    assert (pair.inviter_response, pair.invitee_response) == (a, b)
    assert pair.latest_comparison() is not None
    page = partner_browser.get(reverse("intake:comparison")).content.decode()
    assert "Maya will share your comparison with you." in page
    assert "Positive agreement" not in page


def test_after_release_each_sees_the_comparison_in_their_own_frame(couple, coach_client):
    a, b, browser, partner_browser = couple
    pair = CouplePair.objects.get()
    coach_client.post(reverse("intake_coach:couple_release", args=[pair.pk]))
    mine = browser.get(reverse("intake:comparison")).content.decode()
    theirs = partner_browser.get(reverse("intake:comparison")).content.decode()
    assert "Positive agreement: 69%" in mine  # 76% less the two coach-only items A added
    assert "A good conversation to have: whose mood sets the emotional tone between you." in mine
    assert "Each of you feels the other has more say over the emotional tone." in mine
    assert "You both see that your partner has most of the say over money." in mine
    assert "You both see that you have most of the say over money." in theirs


def test_nothing_the_partner_reaches_holds_the_others_safety_or_coach_only_items(
    couple, coach_client
):
    a, b, _, partner_browser = couple
    assert a.flags.exists()
    coach_client.post(reverse("intake_coach:couple_release", args=[CouplePair.objects.get().pk]))
    for body in _partner_reachable(partner_browser, b) + [_couple_record_export(a, b)]:
        for forbidden in FORBIDDEN:
            assert forbidden not in body, forbidden


def _couple_record_export(a: Response, b: Response) -> str:
    """The data export of the couple's shared client record, as JSON."""
    import json

    from clients.hooks import exporters
    from clients.services import client_get_or_create_lead
    from tests.factories import PersonFactory

    record = client_get_or_create_lead(email="a@example.org", name="A", source="intake")
    PersonFactory(client=record, email="b@example.org")
    Response.objects.filter(pk__in=[a.pk, b.pk]).update(client=record)
    return json.dumps([exporter(record) for exporter in exporters])


def test_the_inviter_learns_nothing_of_the_partners_progress(client, make_response):
    a = make_response(COUPLE_A)
    use_response(client, a)
    client.post(reverse("intake:invite"), {"email": "b@example.org", "website": ""})
    client.get(reverse("intake:results"))  # shows (and clears) the "on its way" message
    before = client.get(reverse("intake:comparison")).content.decode()
    pair = CouplePair.objects.get()
    pair.invitee_response = make_response(COUPLE_B)
    pair.save()
    after = client.get(reverse("intake:comparison")).content.decode()
    strip = lambda html: re.sub(r'(value|nonce)="[^"]+"', "", html)  # noqa: E731
    assert strip(before) == strip(after)


def test_the_intimacy_area_is_compared_only_if_both_agree(couple):
    comparison = CouplePair.objects.get().latest_comparison()
    assert comparison.payload["include_sexual"] is True
    a, b, _, _ = couple
    b.share_intimacy = False
    b.save()
    from clients.intake.couple_services import couple_compare

    later = couple_compare(pair=CouplePair.objects.get())
    assert [d["domain"] for d in later.payload["invitee"]["domains"]] == ["EMO", "FIN", "SOC"]


def test_a_red_respondent_cannot_invite_her_partner(client, make_response):
    from .answers import PERSONA_4

    use_response(client, make_response(PERSONA_4))
    reply = client.post(reverse("intake:invite"), {"email": "b@example.org", "website": ""})
    assert reply.status_code == 400
    assert not CouplePair.objects.exists()


def test_a_used_invitation_cannot_be_used_again(couple):
    invitation = OutboundEmail.objects.get(template="intake_partner_invite")
    reply = Client().get(_invitation_url(invitation))
    assert reply.status_code == 404


def test_the_coach_sees_awareness_gaps_and_can_invite_a_partner(
    couple, coach_client, make_response
):
    pair = CouplePair.objects.get()
    page = coach_client.get(reverse("intake_coach:couple", args=[pair.pk])).content.decode()
    assert "awareness gaps" in page and "open safety flag" in page
    lone = make_response(COUPLE_A)
    coach_client.post(
        reverse("intake_coach:invite", args=[lone.public_id]), {"email": "p@example.org"}
    )
    assert CouplePair.objects.get(inviter_response=lone).invited_by_coach


def test_a_comparison_with_a_red_partner_stays_with_the_coach(client, make_response, coach):
    from django.core.exceptions import ValidationError

    from clients.intake.couple_services import couple_release
    from clients.intake.services import safety_flag_resolve

    from .answers import PERSONA_4

    a = make_response(COUPLE_A)
    pair = CouplePair.objects.create(inviter_response=a)
    pair.invitee_response = make_response(PERSONA_4)
    pair.save()
    from clients.intake.couple_services import couple_compare

    couple_compare(pair=pair)
    with pytest.raises(ValidationError):
        couple_release(pair=pair, user=coach)
    flag = pair.invitee_response.flags.get()
    safety_flag_resolve(flag=flag, user=coach, note="Specialist involved; follow-up done.")
    assert couple_release(pair=pair, user=coach).is_released
