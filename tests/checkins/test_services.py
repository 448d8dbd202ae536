"""Issue 17 items 1 and 2: answering, storing encrypted, the safety screen and its content-free
flag, reminder rounds claimed once, the release, export and erasure."""

import io
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from clients.checkins import services
from clients.checkins.models import CheckIn, Reminder, Schedule
from clients.data_rights import client_erase, client_export_data, person_export_data
from clients.rotation import count_stale
from coaching.models import OutboundEmail, SiteSettings

from .conftest import pulse_answers

pytestmark = pytest.mark.django_db


def raw_columns() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers, scores, flag_triggers FROM checkins_checkin")
        return [value for row in cursor.fetchall() for value in row]


def test_answers_scores_and_triggers_are_encrypted_at_rest(on):
    _, alice, _ = on
    checkin = services.checkin_submit(person=alice, raw=pulse_answers(SAF5=1, FIN1=4))
    assert checkin.flag_tier == "AMBER"
    for raw in raw_columns():
        assert raw.startswith("gAAAAA")
        assert "SAF5" not in raw and "FIN" not in raw and "direction" not in raw
    stored = CheckIn.objects.get()
    assert stored.answers["FIN1"] == 4
    assert stored.scores["domains"][1]["direction"] == 100
    assert stored.flag_triggers == ["SAF5"]


def test_key_rotation_re_encrypts_every_checkin_column(on, settings):
    services.checkin_submit(person=on[1], raw=pulse_answers(SAF1=1))
    k1 = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), k1]
    stale = count_stale()
    assert [
        stale[f"checkins.CheckIn.{name}"] for name in ("answers", "scores", "flag_triggers")
    ] == [
        1,
        1,
        1,
    ]
    call_command("reencrypt_fields", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # the old key is gone
    assert CheckIn.objects.get().answers["SAF1"] == 1


def test_a_calm_checkin_raises_no_flag_and_tells_nobody(on):
    checkin = services.checkin_submit(person=on[1], raw=pulse_answers())
    assert checkin.flag_tier == "" and not checkin.scores["warning_signs"]
    assert not OutboundEmail.objects.exists()


def test_a_red_answer_flags_the_checkin_and_the_coach_is_told_once_without_content(on):
    _, alice, _ = on
    checkin = services.checkin_submit(person=alice, raw=pulse_answers(SAF2=1))
    assert checkin.flag_tier == "RED" and checkin.flag_triggers == ["SAF2"]
    assert services.checkin_flag_notify(checkin_id=checkin.pk)
    assert not services.checkin_flag_notify(checkin_id=checkin.pk)  # claimed: never twice
    (email,) = OutboundEmail.objects.all()
    text = f"{email.subject} {email.body_text} {email.body_html}"
    assert "A check-in needs your attention" in text
    for secret in ("SAF2", "RED", "Alice", "alice@example.org", "safety"):
        assert secret not in text


def test_a_lost_flag_notification_is_found_by_the_sweeper(on):
    checkin = services.checkin_submit(person=on[1], raw=pulse_answers(SAF7="yes"))
    assert services.flags_due_notification() == []  # its task has a grace period
    later = timezone.now() + services.NOTIFY_GRACE + timedelta(seconds=1)
    assert services.flags_due_notification(later) == [checkin.pk]


def test_an_invalid_answer_or_a_closed_schedule_is_refused(on):
    schedule, alice, _ = on
    with pytest.raises(ValidationError):
        services.checkin_submit(person=alice, raw=pulse_answers(EMO1=7))
    services.schedule_set(client=schedule.client, rhythm="weekly", active=False)
    with pytest.raises(ValidationError):
        services.checkin_submit(person=alice, raw=pulse_answers())
    assert not CheckIn.objects.exists()


def test_a_round_gives_each_person_one_reminder_claimed_once(on):
    schedule, alice, bea = on
    ids = services.rounds_open()
    assert len(ids) == 2
    assert services.rounds_open() == ids  # a replay opens no second round
    schedule.refresh_from_db()
    assert schedule.next_due_at > timezone.now() + timedelta(days=13)
    for reminder_id in ids:
        assert services.reminder_send(reminder_id=reminder_id)
        assert not services.reminder_send(reminder_id=reminder_id)
    assert services.rounds_open() == []
    assert sorted(e.to for e in OutboundEmail.objects.all()) == [alice.email, bea.email]


def test_the_next_round_opens_a_period_later(on):
    schedule, _, _ = on
    services.rounds_open()
    later = timezone.now() + timedelta(days=15)
    assert len(services.rounds_open(later)) == 2 + 2  # this round's two, unsent, and the next
    assert Reminder.objects.count() == 4


@pytest.mark.parametrize("discreet", [True, False])
def test_a_reminder_says_nothing_of_balance_power_or_the_partner(on, discreet):
    schedule, alice, _ = on
    schedule.client.discreet = discreet
    schedule.client.save(update_fields=["discreet"])
    services.reminder_send(reminder_id=services.rounds_open()[0])
    email = OutboundEmail.objects.get()
    # The words of the reminder itself (a non-discreet HTML keeps the site's masthead).
    text = f"{email.subject} {email.body_text}".lower()
    text = text.replace(SiteSettings.load().site_name.lower(), "")  # the practice's own name
    if discreet:
        text += email.body_html.lower()
    for word in ("balance", "power", "partner", "relationship", "safety", "bea"):
        assert word not in text
    assert "/account/sign-in/" in email.body_text
    assert ("check-in" in email.subject.lower()) is not discreet


def test_turned_off_check_ins_send_no_reminder(on):
    schedule, _, _ = on
    ids = services.rounds_open()
    services.schedule_set(client=schedule.client, rhythm="weekly", active=False)
    assert [services.reminder_send(reminder_id=i) for i in ids] == [False, False]
    assert services.rounds_open(timezone.now() + timedelta(days=60)) == []


def test_turning_check_ins_back_on_opens_a_round_now(on):
    schedule, _, _ = on
    services.rounds_open()
    services.schedule_set(client=schedule.client, rhythm="weekly", active=False)
    schedule = services.schedule_set(client=schedule.client, rhythm="weekly", active=True)
    assert schedule.next_due_at <= timezone.now()


def test_the_release_waits_for_an_open_red_flag(on, coach):
    schedule, alice, _ = on
    checkin = services.checkin_submit(person=alice, raw=pulse_answers(SAF3=1))
    with pytest.raises(ValidationError):
        services.comparison_release(schedule=schedule, release=True)
    services.checkin_read(checkin=checkin, user=coach)
    assert services.comparison_release(schedule=schedule, release=True).comparison_released
    assert not services.comparison_release(schedule=schedule, release=False).comparison_released


def test_each_partner_exports_only_her_own_checkins_and_erasure_removes_them(on, coach):
    schedule, alice, bea = on
    services.checkin_submit(person=alice, raw=pulse_answers(SAF7="unsure"))
    services.checkin_submit(person=bea, raw=pulse_answers())
    assert len(client_export_data(schedule.client)["checkins"]) == 2
    (own,) = person_export_data(alice)["checkins"]
    assert own["answers"]["SAF7"] == "unsure"
    assert all(row["person"] == bea.email for row in person_export_data(bea)["checkins"])
    assert "unsure" not in str(person_export_data(bea))  # Alice's safety answer
    client_erase(client=schedule.client, actor=coach)
    assert not CheckIn.objects.exists() and not Schedule.objects.exists()
