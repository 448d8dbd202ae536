"""Issue 17 items 1 and 2 through their pages: a person checks in and sees her own trend; the
coach sees each partner's trend, flags and talking points on the client page (a fixed number of
queries), opens one check-in (logged), sets the rhythm and releases the couple's trend."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.checkins import services
from clients.checkins.models import CheckIn, Schedule
from clients.checkins.services import checkin_submit
from clients.models import AccessLog
from coaching.models import OutboundEmail
from tests.clients.conftest import give_totp, mark_second_factor
from tests.factories import CoachFactory

from .conftest import pulse_answers

pytestmark = pytest.mark.django_db


def test_a_person_checks_in_and_sees_her_own_trend(client, on):
    _, alice, _ = on
    client.force_login(alice.user)
    assert "Check in now" in client.get(reverse("clients:index")).content.decode()
    form = client.get(reverse("checkins:new")).content.decode()
    assert "Whose mood" not in form  # EMO2 is not in the pulse
    assert "When something is bothering one of us" in form and "afraid of your partner" in form
    response = client.post(reverse("checkins:new"), pulse_answers(FIN1=4))
    checkin = CheckIn.objects.get(person=alice)
    assert response["Location"] == reverse("checkins:done", args=[checkin.pk])
    done = client.get(response["Location"]).content.decode()
    assert "Thank you for checking in" in done and "Support, day and night" not in done
    page = client.get(reverse("checkins:index")).content.decode()
    assert "1 check-in." in page and 'class="spark"' in page and "Leans to you" in page


def test_the_same_form_sent_twice_saves_one_checkin(client, on):
    _, alice, _ = on
    client.force_login(alice.user)
    form_id = re.search(
        r'name="form_id" value="([^"]+)"', client.get(reverse("checkins:new")).content.decode()
    )[1]
    first = client.post(reverse("checkins:new"), pulse_answers(EMO1=1) | {"form_id": form_id})
    again = client.post(reverse("checkins:new"), pulse_answers(EMO1=1) | {"form_id": form_id})
    assert first["Location"] == again["Location"] and CheckIn.objects.count() == 1
    client.post(reverse("checkins:new"), pulse_answers(EMO1=1) | {"form_id": "not-a-uuid"})
    assert CheckIn.objects.count() == 2  # a form without a valid id is a new check-in


def test_skipped_questions_are_fine_and_a_red_answer_shows_the_support_panel(client, on):
    _, alice, _ = on
    client.force_login(alice.user)
    client.post(reverse("checkins:new"), {"SAF7": "yes"})
    checkin = CheckIn.objects.get()
    assert checkin.flag_tier == "RED" and checkin.answers == {"SAF7": "yes"}
    done = client.get(reverse("checkins:done", args=[checkin.pk])).content.decode()
    assert "You deserve to be safe" in done and "0808 2000 247" in done


def test_no_checkin_form_while_check_ins_are_off(client, couple):
    client.force_login(couple[1].user)
    assert client.get(reverse("checkins:new")).status_code == 404
    assert client.get(reverse("checkins:index")).status_code == 200
    assert "checkins-title" not in client.get(reverse("clients:index")).content.decode()


def test_a_partner_never_reaches_the_others_checkin_nor_the_couple_trend_before_release(client, on):
    schedule, alice, bea = on
    theirs = checkin_submit(person=bea, raw=pulse_answers(SAF5=1, SOC2=0))
    checkin_submit(person=alice, raw=pulse_answers(SOC2=0))
    client.force_login(alice.user)
    assert client.get(reverse("checkins:done", args=[theirs.pk])).status_code == 404
    assert AccessLog.objects.filter(action=AccessLog.Action.DENIED).exists()
    page = client.get(reverse("checkins:index")).content.decode()
    assert "The two of you" not in page and "trend-chart" not in page
    schedule.comparison_released_at = theirs.submitted_at
    schedule.save()
    page = client.get(reverse("checkins:index")).content.decode()
    assert "The two of you" in page and "trend-chart" in page
    assert "SAF5" not in page and "Amber" not in page


def test_the_coach_sees_each_partners_persistent_imbalance_where_they_agree(notes_client, on):
    schedule, alice, bea = on
    for _ in range(3):
        checkin_submit(person=alice, raw=pulse_answers(FIN1=1))  # "more often my partner"
        checkin_submit(person=bea, raw=pulse_answers(FIN1=3))  # "more often me": they agree
    url = reverse("clients_coach:detail", args=[schedule.client_id])
    text = notes_client.get(url).content.decode()
    assert text.count("Persistent:") == 2 and "Extreme:" not in text
    assert "Talking point" not in text
    seen = AccessLog.objects.get(action=AccessLog.Action.VIEW)  # the trends are read: logged
    assert seen.details == {"object": "checkin_trend"}


def test_an_extreme_reading_flags_at_once_and_diverging_views_are_a_talking_point(notes_client, on):
    schedule, alice, bea = on
    checkin_submit(person=alice, raw=pulse_answers(SEX1=4))  # she leads, almost always ...
    checkin_submit(person=bea, raw=pulse_answers(SEX1=4))  # ... and so does she, she says
    url = reverse("clients_coach:detail", args=[schedule.client_id])
    text = notes_client.get(url).content.decode()
    assert text.count("Extreme:") == 2 and "Persistent:" not in text
    assert "see sexual power very differently" in text
    assert "see financial power very differently" not in text


def test_three_rounds_in_a_row_flag_a_persistent_imbalance(notes_client, on):
    schedule, alice, _ = on
    for _ in range(3):
        checkin_submit(person=alice, raw=pulse_answers(EMO1=1))
    text = notes_client.get(reverse("clients_coach:detail", args=[schedule.client_id])).content
    assert text.decode().count("Persistent:") == 1


def test_the_coach_opens_a_flagged_checkin_logged_and_acknowledged(notes_client, on, coach):
    schedule, alice, _ = on
    checkin = checkin_submit(person=alice, raw=pulse_answers(SAF1=1))
    detail = notes_client.get(reverse("clients_coach:detail", args=[schedule.client_id]))
    assert "1 check-in needs your attention" in detail.content.decode()
    page = notes_client.get(reverse("checkins_coach:checkin", args=[checkin.pk])).content.decode()
    assert "Amber" in page and "SAF1" in page and "Once" in page
    checkin.refresh_from_db()
    assert checkin.flag_acknowledged_by == coach
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW, object_id=checkin.pk).exists()


def test_the_coach_finds_unopened_flagged_checkins_from_the_notification(notes_client, on):
    _, alice, bea = on
    red = checkin_submit(person=alice, raw=pulse_answers(SAF2=1))
    checkin_submit(person=bea, raw=pulse_answers())
    assert services.checkin_flag_notify(checkin_id=red.pk)
    link = reverse("checkins_coach:index")
    assert link in OutboundEmail.objects.get().body_text
    page = notes_client.get(link).content.decode()
    assert (
        page.count("Red: urgent") == 1 and "Alice Able" in page and "Alice Able &amp; Bea" in page
    )
    notes_client.get(reverse("checkins_coach:checkin", args=[red.pk]))
    assert "Red: urgent" not in notes_client.get(link).content.decode()


def test_the_coach_sets_the_rhythm_and_releases_the_couple_trend(notes_client, couple):
    client, alice, bea = couple
    url = reverse("checkins_coach:schedule", args=[client.pk])
    notes_client.post(url, {"rhythm": "weekly", "active": "on"})
    assert Schedule.objects.get(client=client).rhythm == "weekly"
    checkin_submit(person=alice, raw=pulse_answers())
    checkin_submit(person=bea, raw=pulse_answers())
    trend = notes_client.get(reverse("checkins_coach:trend", args=[client.pk])).content.decode()
    assert trend.count("trend-chart") == 4 and "Share the couple" in trend
    notes_client.post(reverse("checkins_coach:release", args=[client.pk]), {"release": "1"})
    assert Schedule.objects.get(client=client).comparison_released


def test_staff_without_the_notes_permission_see_no_checkins(client, on):
    schedule, alice, _ = on
    checkin_submit(person=alice, raw=pulse_answers(SAF2=1))
    assistant = CoachFactory(is_superuser=False)
    assistant.user_permissions.add(*Permission.objects.exclude(codename="view_note"))
    give_totp(assistant)
    client.force_login(assistant)
    mark_second_factor(client, assistant)
    page = client.get(reverse("clients_coach:detail", args=[schedule.client_id])).content.decode()
    assert "checkins-title" not in page
    assert client.get(reverse("checkins_coach:trend", args=[schedule.client_id])).status_code == 404


def test_the_client_page_keeps_a_fixed_number_of_queries(notes_client, on):
    schedule, alice, bea = on
    url = reverse("clients_coach:detail", args=[schedule.client_id])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert notes_client.get(url).status_code == 200
        return len(queries.captured_queries)

    checkin_submit(person=alice, raw=pulse_answers())
    count()  # the first visit creates the site settings and the message threads
    few = count()
    for n in range(20):
        checkin_submit(person=alice, raw=pulse_answers(EMO1=n % 5, SAF1=n % 2))
        checkin_submit(person=bea, raw=pulse_answers(FIN1=n % 5))
    assert count() == few
