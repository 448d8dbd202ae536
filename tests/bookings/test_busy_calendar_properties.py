"""A property of the calendar reader with the slot engine: whatever events a coach's calendar
holds (one-off, weekly with exceptions, all-day; in the coach's zone or another), no offered slot
overlaps any busy time expanded from it, in six zones."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bookings.feeds import busy_intervals
from bookings.slots import Busy, SlotRules, WeeklyRange, available_slots
from tests.bookings.test_slots_properties import ZONES

START = datetime(2026, 3, 20, tzinfo=UTC)  # spans the spring changes of most zones
DAYS = 21


@st.composite
def events(draw):
    day = draw(st.integers(0, DAYS - 1))
    if draw(st.booleans()) and draw(st.booleans()):
        first = (START + timedelta(days=day)).date()
        after = first + timedelta(days=1)
        return f"DTSTART;VALUE=DATE:{first:%Y%m%d}\r\nDTEND;VALUE=DATE:{after:%Y%m%d}\r\n"
    local = START.replace(tzinfo=None) + timedelta(days=day, minutes=draw(st.integers(0, 95)) * 15)
    minutes = draw(st.integers(1, 48)) * 5
    zone = draw(st.sampled_from(ZONES))
    text = (
        f"DTSTART;TZID={zone}:{local:%Y%m%dT%H%M%S}\r\n"
        f"DTEND;TZID={zone}:{local + timedelta(minutes=minutes):%Y%m%dT%H%M%S}\r\n"
    )
    if draw(st.booleans()):
        text += f"RRULE:FREQ=WEEKLY;COUNT={draw(st.integers(2, 4))}\r\n"
        if draw(st.booleans()):
            text += f"EXDATE;TZID={zone}:{local + timedelta(days=7):%Y%m%dT%H%M%S}\r\n"
    if draw(st.integers(0, 5)) == 0:
        text += draw(st.sampled_from(["TRANSP:TRANSPARENT\r\n", "STATUS:CANCELLED\r\n"]))
    return text


def feed(bodies: list[str]) -> bytes:
    vevents = "".join(
        f"BEGIN:VEVENT\r\nUID:{n}@test\r\n{body}END:VEVENT\r\n" for n, body in enumerate(bodies)
    )
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
    return f"{head}{vevents}END:VCALENDAR\r\n".encode()


def first_start(body: str, zone: ZoneInfo) -> datetime:
    """The event's DTSTART in UTC, read from the fixture text independently of the reader."""
    line = body.split("\r\n")[0]
    if "VALUE=DATE" in line:
        return datetime.strptime(line[-8:], "%Y%m%d").replace(tzinfo=zone).astimezone(UTC)
    tzid, stamp = line.removeprefix("DTSTART;TZID=").split(":")
    local = datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=ZoneInfo(tzid))
    return local.astimezone(UTC)


def blocking(body: str) -> bool:
    return "TRANSPARENT" not in body and "CANCELLED" not in body


@settings(max_examples=150, deadline=None)
@given(st.lists(events(), min_size=1, max_size=12), st.sampled_from(ZONES))
@example(  # starts inside Berlin's spring-forward gap: read an hour early, before its end
    bodies=[
        "DTSTART;TZID=Europe/Berlin:20260329T023000\r\nDTEND;TZID=Europe/Berlin:20260329T030000\r\n"
    ],
    zone_name="Europe/Berlin",
)
def test_no_offered_slot_overlaps_an_expanded_busy_time(bodies, zone_name):
    zone = ZoneInfo(zone_name)
    window = (START - timedelta(days=1), START + timedelta(days=DAYS + 1))
    busy = busy_intervals(feed(bodies), zone=zone, start=window[0], end=window[1])
    starts = {b.start for b in busy}
    for body in filter(blocking, bodies):  # every blocking event's first occurrence is busy
        assert first_start(body, zone) in starts
    offered = available_slots(
        tz=zone,
        weekly=[WeeklyRange(day, time(0), time(23, 59)) for day in range(7)],
        exceptions=[],
        rules=SlotRules(duration=timedelta(minutes=30), window=timedelta(days=DAYS + 2)),
        busy=[Busy(b.start, b.end) for b in busy],
        now=START,
        start_date=START.astimezone(zone).date(),
        days=DAYS,
        same_type_counts_by_local_date={},
    )
    assert offered
    for slot in offered:
        assert not any(slot.start < b.end and b.start < slot.end for b in busy)
