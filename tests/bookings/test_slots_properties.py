"""docs/reliability.md B-09: property tests of the slot engine against a brute-force oracle.

Every generated time is a multiple of 5 minutes in UTC (the six zones' offsets are whole half
hours and their clocks change on the hour or half hour), so the oracle can look at the world
5 minutes at a time: an instant is open when the coach's clock then shows an open minute.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bookings.slots import (
    Busy,
    DateException,
    Slot,
    SlotRules,
    WeeklyRange,
    available_slots,
    slots_by_local_date,
)

ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
]
TICK = timedelta(minutes=5)
YEARS = [date(2025, 1, 1) + timedelta(days=n) for n in range(3 * 365)]
PROPERTY = settings(max_examples=300, deadline=None)


@cache
def clock_change_days(zone: str) -> list[date]:
    tz = ZoneInfo(zone)
    return [
        day
        for day in YEARS
        if datetime.combine(day, time(), tz).utcoffset()
        != datetime.combine(day + timedelta(days=1), time(), tz).utcoffset()
    ]


@dataclass(frozen=True)
class Scenario:
    tz: ZoneInfo
    weekly: list[WeeklyRange]
    exceptions: list[DateException]
    rules: SlotRules
    busy: list[Busy]
    now: datetime
    counts: dict[date, int]
    open_by_day: dict[date, set[int]] = field(default_factory=dict, compare=False, repr=False)

    def slots(self) -> list[Slot]:
        return available_slots(
            tz=self.tz,
            weekly=self.weekly,
            exceptions=self.exceptions,
            rules=self.rules,
            busy=self.busy,
            now=self.now,
            same_type_counts_by_local_date=self.counts,
        )


def clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def minutes_of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


quarter_hours = st.integers(0, 95).map(lambda quarter: quarter * 15)  # up to 23:45


@st.composite
def weekly_ranges(draw: st.DrawFn) -> list[WeeklyRange]:
    """Cut each day at random points and open some pieces: valid ranges, some touching."""
    ranges = []
    for weekday in range(7):
        for start, end in pairwise(sorted(draw(st.sets(quarter_hours, min_size=2, max_size=6)))):
            if draw(st.booleans()):
                ranges.append(WeeklyRange(weekday, clock(start), clock(end)))
    return ranges


@st.composite
def date_exceptions(draw: st.DrawFn, first_day: date) -> list[DateException]:
    chosen = {}
    for _ in range(draw(st.integers(0, 4))):
        day = first_day + timedelta(days=draw(st.integers(0, 5)))
        kind = draw(st.sampled_from(["off", "extra"]))
        start, end = sorted(draw(st.sets(quarter_hours, min_size=2, max_size=2)))
        whole_day = kind == "off" and draw(st.booleans())
        bounds = (None, None) if whole_day else (clock(start), clock(end))
        chosen[(day, kind)] = DateException(day, *bounds, kind)  # one per date and kind
    return list(chosen.values())


@st.composite
def slot_rules(draw: st.DrawFn) -> SlotRules:
    def ticks_between(low: int, high: int) -> timedelta:
        return draw(st.integers(low, high)) * TICK

    window = draw(st.one_of(st.integers(1, 3), st.integers(0, 1152).map(lambda n: n * TICK)))
    return SlotRules(
        duration=ticks_between(1, 36),
        buffer_before=ticks_between(0, 12),
        buffer_after=ticks_between(0, 12),
        min_notice=ticks_between(0, 144),
        window=window,
        step=ticks_between(1, 24),
        daily_limit=draw(st.none() | st.integers(0, 3)),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    zone = draw(st.sampled_from(ZONES))
    # Most examples start near a clock change, where the bugs live.
    near_change = st.sampled_from(clock_change_days(zone) or YEARS)
    base = draw(st.one_of(near_change, near_change, st.sampled_from(YEARS)))
    now = datetime.combine(base, time(), UTC) + draw(st.integers(-576, 288)) * TICK
    busy = [
        Busy(now + start * TICK, now + (start + length) * TICK)
        for start, length in draw(
            st.lists(st.tuples(st.integers(-300, 1500), st.integers(1, 48)), max_size=15)
        )
    ]
    first_day = now.date() - timedelta(days=1)
    counts = draw(st.dictionaries(st.integers(0, 5), st.integers(0, 3), max_size=6))
    return Scenario(
        tz=ZoneInfo(zone),
        weekly=draw(weekly_ranges()),
        exceptions=draw(date_exceptions(first_day)),
        rules=draw(slot_rules()),
        busy=busy,
        now=now,
        counts={first_day + timedelta(days=n): count for n, count in counts.items()},
    )


# --- The oracle: plain sets of 5-minute ticks ---


def open_minutes(scenario: Scenario, day: date) -> set[int]:
    if day not in scenario.open_by_day:
        scenario.open_by_day[day] = open_minutes_uncached(scenario, day)
    return scenario.open_by_day[day]


def open_minutes_uncached(scenario: Scenario, day: date) -> set[int]:
    """Minutes of `day` that are open: weekly hours, minus time off, plus extra hours."""
    minutes: set[int] = set()
    for weekly in scenario.weekly:
        if weekly.weekday == day.weekday():
            minutes |= set(range(minutes_of(weekly.start), minutes_of(weekly.end), 5))
    todays = [exception for exception in scenario.exceptions if exception.date == day]
    for off in (exception for exception in todays if exception.kind == "off"):
        cut = (0, 1440) if off.start is None else (minutes_of(off.start), minutes_of(off.end))
        minutes -= set(range(*cut, 5))
    for extra in (exception for exception in todays if exception.kind == "extra"):
        minutes |= set(range(minutes_of(extra.start), minutes_of(extra.end), 5))
    return minutes


def is_open(scenario: Scenario, moment: datetime) -> tuple[date, bool]:
    local = moment.astimezone(scenario.tz)
    return local.date(), local.hour * 60 + local.minute in open_minutes(scenario, local.date())


def open_runs(scenario: Scenario) -> list[tuple[datetime, datetime]]:
    """Maximal runs of open ticks within one coach-local date, from well before now."""
    moment = scenario.now - timedelta(days=2)
    horizon = scenario.now + scenario.rules.window + timedelta(days=2)
    runs: list[tuple[datetime, datetime]] = []
    last_day = None
    while moment < horizon:
        day, open_now = is_open(scenario, moment)
        if open_now and runs and runs[-1][1] == moment and day == last_day:
            runs[-1] = (runs[-1][0], moment + TICK)
        elif open_now:
            runs.append((moment, moment + TICK))
        last_day, moment = day, moment + TICK
    return runs


def bookable(scenario: Scenario, start: datetime) -> bool:
    rules = scenario.rules
    with_buffers = (start - rules.buffer_before, start + rules.duration + rules.buffer_after)
    day = start.astimezone(scenario.tz).date()
    limit = rules.daily_limit
    return (
        scenario.now + rules.min_notice <= start < scenario.now + rules.window
        and not any(b.start < with_buffers[1] and with_buffers[0] < b.end for b in scenario.busy)
        and (limit is None or scenario.counts.get(day, 0) < limit)
    )


def oracle(scenario: Scenario) -> list[Slot]:
    duration, step = scenario.rules.duration, scenario.rules.step
    slots = []
    for run_start, run_end in open_runs(scenario):
        start = run_start
        while start + duration <= run_end:
            if bookable(scenario, start):
                slots.append(Slot(start, start + duration))
            start += step
    return slots


# --- Properties ---


@PROPERTY
@given(scenarios())
def test_b09_offered_slots_obey_every_rule(scenario: Scenario) -> None:
    slots = scenario.slots()
    rules = scenario.rules
    assert slots == sorted(set(slots))
    for slot in slots:
        assert slot.end - slot.start == rules.duration
        assert bookable(scenario, slot.start)  # notice, window, buffers clear of busy, limit
        day = slot.start.astimezone(scenario.tz).date()
        ticks_inside = [slot.start + n * TICK for n in range(rules.duration // TICK)]
        assert all(is_open(scenario, tick) == (day, True) for tick in ticks_inside)


@PROPERTY
@given(scenarios())
def test_b09_every_bookable_start_on_the_step_grid_is_offered(scenario: Scenario) -> None:
    assert scenario.slots() == oracle(scenario)


@PROPERTY
@given(scenarios(), st.sampled_from(ZONES))
def test_visitor_grouping_keeps_every_slot_once_under_its_local_date(scenario, zone) -> None:
    slots = scenario.slots()
    grouped = slots_by_local_date(slots, ZoneInfo(zone))
    assert sorted(slot for day_slots in grouped.values() for slot in day_slots) == slots
    for day, day_slots in grouped.items():
        assert all(slot.start.astimezone(ZoneInfo(zone)).date() == day for slot in day_slots)
