"""Daylight-saving time: T-01 to T-04 of docs/reliability.md, and a London coach's slots seen
from visitors' zones."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bookings.slots import (
    SlotRules,
    WeeklyRange,
    available_slots,
    due_at,
    open_hours,
    slots_by_local_date,
)

SIX_ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Australia/Lord_Howe",  # moves its clocks by 30 minutes
    "America/Sao_Paulo",  # abolished DST in 2019
]
LONDON = ZoneInfo("Europe/London")
HALF_HOUR = timedelta(minutes=30)


def slots_on(day: date, zone: str, start: time, end: time, step: timedelta = HALF_HOUR) -> list:
    """Slots of `step` length covering [start, end) on `day`, every day of the week open."""
    weekly = [WeeklyRange(weekday, start, end) for weekday in range(7)]
    rules = SlotRules(duration=step, step=step, window=timedelta(days=3650))
    now = datetime(2025, 1, 1, tzinfo=UTC)
    return available_slots(
        tz=ZoneInfo(zone),
        weekly=weekly,
        exceptions=[],
        rules=rules,
        busy=[],
        now=now,
        start_date=day,
        days=1,
    )


def wall_time_exists(moment: datetime) -> bool:
    wall = moment.replace(tzinfo=None)
    return datetime.combine(wall.date(), wall.time(), moment.tzinfo).astimezone(UTC) == moment


# --- T-01 ---


def test_t01_open_hours_keep_their_wall_times_on_every_day_in_six_zones() -> None:
    # Overlapping ranges on one weekday are refused, so 09:00-17:00 and 13:00-18:00 alternate.
    configured = {weekday: (time(9), time(17)) for weekday in (0, 2, 4, 6)}
    configured |= {weekday: (time(13), time(18)) for weekday in (1, 3, 5)}
    weekly = [WeeklyRange(weekday, *bounds) for weekday, bounds in configured.items()]
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(1095)]
    assert days[-1] == date(2027, 12, 31)
    mismatches = []
    for zone in map(ZoneInfo, SIX_ZONES):
        for day in days:
            hours = open_hours(day, tz=zone, weekly=weekly, exceptions=[])
            local = [
                (period.start.astimezone(zone), period.end.astimezone(zone)) for period in hours
            ]
            expected = [tuple(datetime.combine(day, bound) for bound in configured[day.weekday()])]
            if [
                (start.replace(tzinfo=None), end.replace(tzinfo=None)) for start, end in local
            ] != expected:
                mismatches.append((zone, day, local))
    assert mismatches == []


# --- T-02 ---


@pytest.mark.parametrize(
    ("zone", "day", "offered"),
    [
        ("Europe/London", date(2026, 3, 29), timedelta(hours=3)),  # 01:00 -> 02:00
        ("Europe/Berlin", date(2026, 3, 29), timedelta(hours=3)),  # 02:00 -> 03:00
        ("America/New_York", date(2026, 3, 8), timedelta(hours=3)),  # 02:00 -> 03:00
        ("Australia/Sydney", date(2026, 10, 4), timedelta(hours=3)),  # 02:00 -> 03:00
        (
            "Australia/Lord_Howe",
            date(2026, 10, 4),
            timedelta(hours=3, minutes=30),
        ),  # 02:00 -> 02:30
    ],
)
def test_t02_spring_forward_offers_the_real_elapsed_time(zone: str, day: date, offered) -> None:
    slots = slots_on(day, zone, time(0), time(4))
    local_starts = [slot.start.astimezone(ZoneInfo(zone)) for slot in slots]
    assert all(map(wall_time_exists, local_starts))
    assert sum((slot.end - slot.start for slot in slots), timedelta()) == offered
    assert offered == slots[-1].end - slots[0].start  # 00:00 to 04:00 local, in real time


def test_t02_a_range_starting_in_the_gap_opens_when_the_clocks_jump() -> None:
    slots = slots_on(date(2026, 3, 29), "Europe/London", time(1, 30), time(3))
    assert [slot.start.astimezone(LONDON).strftime("%H:%M %Z") for slot in slots] == [
        "02:00 BST",
        "02:30 BST",
    ]


def test_t02_the_spring_forward_day_has_23_hours() -> None:
    slots = slots_on(
        date(2026, 3, 29), "Europe/London", time(0), time(23, 59), timedelta(minutes=1)
    )
    assert len(slots) == 23 * 60 - 1


# --- T-03: both occurrences of the repeated hour are offered, each once ---


@pytest.mark.parametrize(
    ("zone", "day", "offered"),
    [
        ("Europe/London", date(2026, 10, 25), timedelta(hours=5)),  # 02:00 -> 01:00
        ("Europe/Berlin", date(2026, 10, 25), timedelta(hours=5)),  # 03:00 -> 02:00
        ("America/New_York", date(2026, 11, 1), timedelta(hours=5)),  # 02:00 -> 01:00
        ("Australia/Sydney", date(2026, 4, 5), timedelta(hours=5)),  # 03:00 -> 02:00
        ("Australia/Lord_Howe", date(2026, 4, 5), timedelta(hours=4, minutes=30)),  # 02:00 -> 01:30
    ],
)
def test_t03_fall_back_offers_the_repeated_hour_twice_without_overlap(zone, day, offered) -> None:
    slots = slots_on(day, zone, time(0), time(4))
    assert sum((slot.end - slot.start for slot in slots), timedelta()) == offered
    assert len(set(slots)) == len(slots)
    assert all(earlier.end <= later.start for earlier, later in pairwise(slots))


def test_t03_london_repeated_hour_in_local_time() -> None:
    slots = slots_on(date(2026, 10, 25), "Europe/London", time(0, 30), time(2, 30), HALF_HOUR)
    assert [slot.start.astimezone(LONDON).strftime("%H:%M %Z") for slot in slots] == [
        "00:30 BST",
        "01:00 BST",
        "01:30 BST",
        "01:00 GMT",
        "01:30 GMT",
        "02:00 GMT",
    ]


def test_t03_a_range_starting_in_the_repeated_hour_covers_both_occurrences() -> None:
    slots = slots_on(date(2026, 10, 25), "Europe/London", time(1, 30), time(2, 30), HALF_HOUR)
    assert [slot.start.astimezone(LONDON).strftime("%H:%M %Z") for slot in slots] == [
        "01:30 BST",
        "01:30 GMT",
        "02:00 GMT",
    ]


# --- T-04 ---


def test_t04_24h_reminder_is_due_24_elapsed_hours_before_the_session() -> None:
    session = datetime(2026, 3, 29, 10, tzinfo=ZoneInfo("Europe/Berlin"))  # 08:00 UTC, CEST
    assert due_at(session, timedelta(hours=24)) == datetime(2026, 3, 28, 8, tzinfo=UTC)
    # The trap: wall-clock arithmetic in Berlin lands 23 real hours before the session.
    assert (session - timedelta(hours=24)).astimezone(UTC) == datetime(2026, 3, 28, 9, tzinfo=UTC)


# --- A London coach around the clock changes, seen by visitors ---

VISITORS = ["America/New_York", "Australia/Sydney", "Asia/Kolkata"]


@pytest.mark.parametrize(
    ("london_day", "visitor_times"),
    [
        # Saturday before spring forward: 09:00 GMT = 09:00 UTC; New York on EDT since 03-08.
        (
            date(2026, 3, 28),
            ["2026-03-28 05:00 EDT", "2026-03-28 20:00 AEDT", "2026-03-28 14:30 IST"],
        ),
        # Spring-forward Sunday: 09:00 BST = 08:00 UTC.
        (
            date(2026, 3, 29),
            ["2026-03-29 04:00 EDT", "2026-03-29 19:00 AEDT", "2026-03-29 13:30 IST"],
        ),
        (
            date(2026, 3, 30),
            ["2026-03-30 04:00 EDT", "2026-03-30 19:00 AEDT", "2026-03-30 13:30 IST"],
        ),
        # Saturday before fall back: 09:00 BST = 08:00 UTC; Sydney on AEDT since 10-04.
        (
            date(2026, 10, 24),
            ["2026-10-24 04:00 EDT", "2026-10-24 19:00 AEDT", "2026-10-24 13:30 IST"],
        ),
        # Fall-back Sunday: 09:00 GMT = 09:00 UTC; New York stays on EDT until 11-01.
        (
            date(2026, 10, 25),
            ["2026-10-25 05:00 EDT", "2026-10-25 20:00 AEDT", "2026-10-25 14:30 IST"],
        ),
    ],
)
def test_visitors_see_the_correct_local_time(london_day: date, visitor_times: list[str]) -> None:
    [slot] = slots_on(london_day, "Europe/London", time(9), time(10), timedelta(hours=1))
    shown = [
        slot.start.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z") for zone in VISITORS
    ]
    assert shown == visitor_times


def test_late_london_slots_fall_on_the_next_day_in_sydney() -> None:
    slots = slots_on(date(2026, 10, 25), "Europe/London", time(13), time(15), timedelta(hours=1))
    by_day = slots_by_local_date(slots, ZoneInfo("Australia/Sydney"))
    # 13:00 GMT is 00:00 AEDT on the 26th, 14:00 GMT is 01:00.
    assert by_day == {date(2026, 10, 26): slots}
