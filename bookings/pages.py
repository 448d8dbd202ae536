"""What the public booking pages show: a month grid with the days that have slots, and the
slots of one day, all in the visitor's zone. Templates only display these."""

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date

from bookings.forms import slot_id, within_range
from bookings.slots import Slot, slots_by_local_date


@dataclass(frozen=True)
class Day:
    date: date
    in_month: bool
    slot_count: int
    selected: bool


@dataclass(frozen=True)
class SlotChoice:
    id: str
    label: str  # "09:30"
    start: object


@dataclass(frozen=True)
class Month:
    first: date
    weeks: list[list[Day]]
    previous: date | None
    next: date | None


def parse_date(value: str | None) -> date | None:
    """A date from the URL ("2026-03-29"); None when it is not one, or not one we could mean."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day and within_range(day) else None


def month_view(by_date: dict[date, list[Slot]], month: date, selected: date | None) -> Month:
    """The grid of `month` (Monday first), each day with its number of free slots."""
    grid = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    weeks = [
        [
            Day(day, day.month == month.month, len(by_date.get(day, [])), day == selected)
            for day in week
        ]
        for week in grid
    ]
    months = sorted({day.replace(day=1) for day in by_date})
    earlier = [m for m in months if m < month]
    later = [m for m in months if m > month]
    return Month(month, weeks, earlier[-1] if earlier else None, later[0] if later else None)


def choices(day_slots: list[Slot], tz) -> list[SlotChoice]:
    return [
        SlotChoice(slot_id(slot.start), f"{slot.start.astimezone(tz):%H:%M}", slot.start)
        for slot in day_slots
    ]


def group(slots: list[Slot], tz) -> dict[date, list[Slot]]:
    return slots_by_local_date(slots, tz)
