"""Slot engine rules on ordinary days (January in London, where local time equals UTC)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bookings.slots import (
    Busy,
    DateException,
    SlotRules,
    WeeklyRange,
    available_slots,
    days_with_slots,
    due_at,
    slots_by_local_date,
    validate_ranges,
)

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 1, 5)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
NINE_TO_ELEVEN = [WeeklyRange(0, time(9), time(11))]
HOURLY = SlotRules(duration=HOUR, step=HOUR)
MONDAY_MIDNIGHT = datetime(2026, 1, 5, tzinfo=UTC)


def at(hour: int, minute: int = 0, second: int = 0, day: date = MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute, second), UTC)


def starts(
    *,
    weekly: list[WeeklyRange] = NINE_TO_ELEVEN,
    exceptions: tuple[DateException, ...] = (),
    rules: SlotRules = HOURLY,
    busy: tuple[Busy, ...] = (),
    now: datetime = MONDAY_MIDNIGHT,
    counts: dict[date, int] | None = None,
) -> list[datetime]:
    slots = available_slots(
        tz=LONDON,
        weekly=weekly,
        exceptions=exceptions,
        rules=rules,
        busy=busy,
        now=now,
        start_date=MONDAY,
        days=1,
        same_type_counts_by_local_date=counts,
    )
    return [slot.start for slot in slots]


# --- Validation ---


def test_inverted_weekly_range_is_refused() -> None:
    with pytest.raises(ValueError, match="Monday 10:00-09:00: the end must be after the start"):
        validate_ranges([WeeklyRange(0, time(10), time(9))])


def test_overlapping_ranges_on_one_weekday_are_refused() -> None:
    ranges = [WeeklyRange(2, time(13), time(18)), WeeklyRange(2, time(9), time(17))]
    with pytest.raises(ValueError, match="Wednesday: 09:00-17:00 overlaps 13:00-18:00"):
        validate_ranges(ranges)


def test_touching_ranges_and_other_weekdays_are_accepted() -> None:
    validate_ranges(
        [
            WeeklyRange(0, time(9), time(12)),
            WeeklyRange(0, time(12), time(13)),
            WeeklyRange(1, time(10), time(14)),
        ]
    )


def test_overlapping_extra_hours_on_one_date_are_refused() -> None:
    extras = [
        DateException(MONDAY, time(18), time(20), "extra"),
        DateException(MONDAY, time(19), time(21), "extra"),
    ]
    with pytest.raises(ValueError, match=r"2026-01-05 \(extra hours\): 18:00-20:00 overlaps"):
        validate_ranges(extras)


def test_whole_day_off_overlapping_part_day_off_is_refused() -> None:
    offs = [
        DateException(MONDAY, None, None, "off"),
        DateException(MONDAY, time(9), time(10), "off"),
    ]
    with pytest.raises(ValueError, match="the whole day overlaps 09:00-10:00"):
        validate_ranges(offs)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (WeeklyRange(7, time(9), time(10)), "Weekday must be 0 .Monday. to 6"),
        (DateException(MONDAY, time(9), None, "off"), "give both a start and an end"),
        (DateException(MONDAY, None, None, "extra"), "give both a start and an end"),
        (DateException(MONDAY, time(9), time(10), "holiday"), "kind must be 'off' or 'extra'"),
    ],
)
def test_malformed_ranges_are_refused(item: WeeklyRange | DateException, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_ranges([item])


def test_available_slots_refuses_overlapping_hours() -> None:
    overlapping = [WeeklyRange(0, time(9), time(17)), WeeklyRange(0, time(13), time(18))]
    with pytest.raises(ValueError, match="overlaps"):
        starts(weekly=overlapping)


def test_rules_and_busy_times_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="must be positive"):
        SlotRules(duration=timedelta(0))
    with pytest.raises(ValueError, match="time-zone aware"):
        Busy(datetime(2026, 1, 5, 9), datetime(2026, 1, 5, 10))
    assert SlotRules(duration=HOUR, window=14).window == timedelta(days=14)


# --- docs/reliability.md B-03: half-open intervals ---


def test_b03_back_to_back_slots_are_both_bookable() -> None:
    assert starts(busy=(Busy(at(10), at(11)),)) == [at(9)]
    assert starts(busy=(Busy(at(9), at(10)),)) == [at(10)]


def test_b03_a_one_second_overlap_blocks_the_slot() -> None:
    assert starts(busy=(Busy(at(9, 59, 59), at(11)),)) == []
    assert starts(busy=(Busy(at(8), at(9, 0, 1)),)) == [at(10)]


# --- Buffers, notice, window, daily limit ---


def test_buffers_may_lie_outside_the_hours_but_not_on_busy_time() -> None:
    rules = SlotRules(duration=HOUR, step=HOUR, buffer_before=15 * MINUTE, buffer_after=15 * MINUTE)
    assert starts(rules=rules) == [at(9), at(10)]
    assert starts(rules=rules, busy=(Busy(at(8), at(8, 45)),)) == [at(9), at(10)]
    assert starts(rules=rules, busy=(Busy(at(8), at(8, 46)),)) == [at(10)]
    assert starts(rules=rules, busy=(Busy(at(11, 14), at(12)),)) == [at(9)]


def test_minimum_notice_counts_to_the_slot_start() -> None:
    rules = SlotRules(duration=30 * MINUTE, step=30 * MINUTE, min_notice=90 * MINUTE)
    assert starts(rules=rules, now=at(8))[0] == at(9, 30)
    assert starts(rules=rules, now=at(8, 1))[0] == at(10)


def test_window_counts_to_the_slot_start() -> None:
    rules = SlotRules(duration=HOUR, step=HOUR, window=timedelta(hours=2))
    assert starts(rules=rules, now=at(8)) == [at(9)]
    assert starts(rules=rules, now=at(8, 0, 1)) == [at(9), at(10)]


def test_default_days_run_from_today_to_the_end_of_the_window() -> None:
    weekdays = [WeeklyRange(day, time(9), time(10)) for day in range(5)]
    rules = SlotRules(duration=HOUR, step=HOUR, window=7)
    slots = available_slots(
        tz=LONDON, weekly=weekdays, exceptions=[], rules=rules, busy=[], now=at(9, 30)
    )
    assert [slot.start for slot in slots] == [at(9, day=date(2026, 1, n)) for n in (6, 7, 8, 9, 12)]


def test_daily_limit_counts_existing_bookings_of_the_type() -> None:
    rules = SlotRules(duration=HOUR, step=HOUR, daily_limit=2)
    assert starts(rules=rules, counts={MONDAY: 1}) == [at(9), at(10)]
    assert starts(rules=rules, counts={MONDAY: 2}) == []
    assert starts(rules=SlotRules(duration=HOUR, daily_limit=0)) == []


def test_steps_are_counted_from_the_start_of_the_open_hours() -> None:
    rules = SlotRules(duration=45 * MINUTE, step=30 * MINUTE)
    late_start = (DateException(MONDAY, time(9), time(9, 10), "off"),)
    assert starts(rules=rules, exceptions=late_start) == [at(9, 10), at(9, 40), at(10, 10)]


# --- Exceptions ---


def test_whole_day_off_closes_the_day() -> None:
    assert starts(exceptions=(DateException(MONDAY, None, None, "off"),)) == []


def test_part_day_off_is_cut_out_of_the_hours() -> None:
    assert starts(exceptions=(DateException(MONDAY, time(9), time(9, 30), "off"),)) == [at(9, 30)]


def test_extra_hours_join_touching_or_overlapping_weekly_hours() -> None:
    # Cal.com #30021: 09:00-17:00 plus 13:00-18:00 must offer 09:00 to 18:00, once each.
    weekly = [WeeklyRange(0, time(9), time(17))]
    extra = DateException(MONDAY, time(13), time(18), "extra")
    offered = starts(weekly=weekly, exceptions=(extra,))
    assert offered == [at(hour) for hour in range(9, 18)]


def test_extra_hours_win_over_a_day_off() -> None:
    exceptions = (
        DateException(MONDAY, None, None, "off"),
        DateException(MONDAY, time(14), time(15), "extra"),
    )
    assert starts(exceptions=exceptions) == [at(14)]


# --- Display and reminders ---


def test_slots_are_grouped_by_the_visitors_local_date() -> None:
    slots = available_slots(
        tz=LONDON, weekly=NINE_TO_ELEVEN, exceptions=[], rules=HOURLY, busy=[], now=at(0), days=1
    )
    sydney = ZoneInfo("Australia/Sydney")  # 09:00 and 10:00 GMT are 20:00 and 21:00 AEDT
    assert slots_by_local_date(slots, sydney) == {MONDAY: slots}
    kiritimati = ZoneInfo("Pacific/Kiritimati")  # UTC+14: 23:00 on the 5th, 00:00 on the 6th
    assert days_with_slots(slots, kiritimati) == [date(2026, 1, 5), date(2026, 1, 6)]
    assert days_with_slots(slots, ZoneInfo("Pacific/Pago_Pago")) == [date(2026, 1, 4)]


def test_due_at_refuses_a_naive_session_start() -> None:
    with pytest.raises(ValueError, match="time-zone aware"):
        due_at(datetime(2026, 1, 5, 9), HOUR)
