"""The booking slot engine: a pure function of the rules, the existing bookings and now.

No Django here, so it can be tested exhaustively and benchmarked on its own.

Policies (the product decisions a caller can rely on):

- Open hours. Weekly ranges and dated exceptions are wall-clock times in the coach's zone. On a
  coach-local date the hours are the weekly ranges of that weekday, minus the "off" exceptions,
  plus the "extra" ones (so extra hours win over time off, and an extra range that overlaps the
  weekly hours widens them). A range is the set of real instants at which the coach's clock shows
  a time inside it on that date, so:
  * spring forward: wall times in the gap never happen. A range across the gap is shorter by the
    gap (the offered total equals the real elapsed time), and a range that starts inside the gap
    opens at the instant the clocks jump. No slot starts at a nonexistent wall time.
  * fall back: a repeated hour inside a range is open in both of its occurrences (00:00-03:00 on
    2026-10-25 in London is 4 real hours); a range that starts or ends inside the repeated hour
    gets the matching part of each occurrence. Slots step in UTC, so none overlap or repeat.
- Slots. Candidate starts step by `rules.step` in elapsed time from the start of each open period
  (touching or overlapping ranges form one period). A slot lies wholly inside one open period, so
  it never spans two coach-local dates.
- Buffers may extend outside the open hours, but the slot with its buffers must not overlap busy
  time. `Busy` intervals are the time each existing booking occupies INCLUDING that booking's own
  buffers (the caller adds them: they belong to the booking's session type, not to this one).
- Notice and window are measured to the slot start: now + min_notice <= start < now + window.
  An integer window is a number of 24-hour days.
- Daily limit: a coach-local date with `daily_limit` or more bookings of this type offers no slot.
- Intervals are half-open [start, end): back-to-back bookings touch without overlapping.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

ZERO = timedelta(0)
ONE_SECOND = timedelta(seconds=1)
WHOLE_DAY = (time.min, time.max)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class WeeklyRange:
    weekday: int  # 0 = Monday
    start: time
    end: time


@dataclass(frozen=True)
class DateException:
    """Time off (whole day when start and end are None) or extra hours on one coach-local date."""

    date: date
    start: time | None
    end: time | None
    kind: Literal["off", "extra"]


@dataclass(frozen=True)
class SlotRules:
    duration: timedelta
    buffer_before: timedelta = ZERO
    buffer_after: timedelta = ZERO
    min_notice: timedelta = ZERO
    window: timedelta | int = timedelta(days=60)  # an int is a number of 24-hour days
    step: timedelta = timedelta(minutes=15)
    daily_limit: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.window, int):
            object.__setattr__(self, "window", timedelta(days=self.window))
        if self.duration <= ZERO or self.step <= ZERO:
            raise ValueError("The duration and the start-time step must be positive.")
        if min(self.buffer_before, self.buffer_after, self.min_notice, self.window) < ZERO:
            raise ValueError("Buffers, minimum notice and booking window cannot be negative.")
        if self.daily_limit is not None and self.daily_limit < 0:
            raise ValueError("The daily limit cannot be negative.")


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime  # aware, UTC
    end: datetime


@dataclass(frozen=True)
class Busy:
    """Time an existing booking occupies, its own buffers included; aware datetimes."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if _is_naive(self.start) or _is_naive(self.end):
            raise ValueError("Busy times must be time-zone aware.")
        if self.end <= self.start:
            raise ValueError(f"Busy time ends before it starts: {self.start} to {self.end}.")


def _is_naive(moment: datetime) -> bool:
    return moment.utcoffset() is None


def _as_utc(moment: datetime) -> datetime:
    if _is_naive(moment):
        raise ValueError(f"Expected a time-zone aware datetime, got {moment}.")
    return moment.astimezone(UTC)


# --- Validation -------------------------------------------------------------------------------


def validate_ranges(ranges: Iterable[WeeklyRange | DateException]) -> None:
    """Refuse inverted ranges and overlaps on the same weekday, or the same date and kind.

    Touching ranges (09:00-12:00 and 12:00-13:00) are fine. Raises ValueError with a message
    a coach can act on.
    """
    groups: dict[str, list[tuple[time, time]]] = defaultdict(list)
    for item in ranges:
        label = _label(item)
        groups[label].append(_checked_bounds(label, item))
    for label, bounds in groups.items():
        _refuse_overlaps(label, sorted(bounds))


def _label(item: WeeklyRange | DateException) -> str:
    if isinstance(item, DateException):
        return f"{item.date.isoformat()} ({'time off' if item.kind == 'off' else 'extra hours'})"
    if not 0 <= item.weekday <= 6:
        raise ValueError(f"Weekday must be 0 (Monday) to 6 (Sunday), not {item.weekday}.")
    return WEEKDAYS[item.weekday]


def _checked_bounds(label: str, item: WeeklyRange | DateException) -> tuple[time, time]:
    if isinstance(item, DateException):
        if item.kind not in ("off", "extra"):
            raise ValueError(f"{label}: kind must be 'off' or 'extra', not {item.kind!r}.")
        if item.kind == "off" and item.start is None and item.end is None:
            return WHOLE_DAY
    if item.start is None or item.end is None:
        raise ValueError(f"{label}: give both a start and an end time.")
    if item.end <= item.start:
        raise ValueError(
            f"{label} {_describe((item.start, item.end))}: the end must be after the start."
        )
    return item.start, item.end


def _refuse_overlaps(label: str, bounds: list[tuple[time, time]]) -> None:
    for earlier, later in pairwise(bounds):
        if later[0] < earlier[1]:
            raise ValueError(f"{label}: {_describe(earlier)} overlaps {_describe(later)}.")


def _describe(bounds: tuple[time, time]) -> str:
    return "the whole day" if bounds == WHOLE_DAY else f"{bounds[0]:%H:%M}-{bounds[1]:%H:%M}"


# --- Open hours -------------------------------------------------------------------------------

Bound = TypeVar("Bound", time, datetime)


@dataclass(frozen=True)
class _Schedule:
    """Validated ranges, indexed for day-by-day lookups."""

    weekly: dict[int, list[tuple[time, time]]]
    exceptions: dict[date, list[DateException]]

    @classmethod
    def build(
        cls, weekly: Iterable[WeeklyRange], exceptions: Iterable[DateException]
    ) -> "_Schedule":
        weekly, exceptions = list(weekly), list(exceptions)
        validate_ranges([*weekly, *exceptions])
        by_weekday: dict[int, list[tuple[time, time]]] = defaultdict(list)
        for weekly_range in weekly:
            by_weekday[weekly_range.weekday].append((weekly_range.start, weekly_range.end))
        by_date: dict[date, list[DateException]] = defaultdict(list)
        for exception in exceptions:
            by_date[exception.date].append(exception)
        return cls(dict(by_weekday), dict(by_date))

    def wall_ranges(self, day: date) -> list[tuple[time, time]]:
        """Open wall-clock ranges on `day`: weekly hours, minus time off, plus extra hours."""
        exceptions = self.exceptions.get(day, [])
        ranges = self.weekly.get(day.weekday(), [])
        for off in (exception for exception in exceptions if exception.kind == "off"):
            ranges = [] if off.start is None else _subtract(ranges, (off.start, off.end))
        extras = [
            (exception.start, exception.end)
            for exception in exceptions
            if exception.kind == "extra"
        ]
        return _merge([*ranges, *extras])


def _subtract(ranges: list[tuple[time, time]], cut: tuple[time, time]) -> list[tuple[time, time]]:
    kept = []
    for start, end in ranges:
        if start < cut[0]:
            kept.append((start, min(end, cut[0])))
        if end > cut[1]:
            kept.append((max(start, cut[1]), end))
    return kept


def _merge(intervals: list[tuple[Bound, Bound]]) -> list[tuple[Bound, Bound]]:
    """Sorted intervals with overlapping and touching ones joined."""
    merged: list[tuple[Bound, Bound]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def open_wall_ranges(
    days: Iterable[date], *, weekly: Iterable[WeeklyRange], exceptions: Iterable[DateException]
) -> dict[date, list[tuple[time, time]]]:
    """Each date's open wall-clock ranges (weekly hours, minus time off, plus extra hours)."""
    schedule = _Schedule.build(weekly, exceptions)
    return {day: schedule.wall_ranges(day) for day in days}


def open_hours(
    day: date, *, tz: ZoneInfo, weekly: Iterable[WeeklyRange], exceptions: Iterable[DateException]
) -> list[Slot]:
    """The real periods (UTC) in which the coach is open on the coach-local `day`."""
    schedule = _Schedule.build(weekly, exceptions)
    return [Slot(start, end) for start, end in _open_periods(day, tz, schedule)]


def _open_periods(day: date, tz: ZoneInfo, schedule: _Schedule) -> list[tuple[datetime, datetime]]:
    pieces = [
        piece
        for bounds in schedule.wall_ranges(day)
        for piece in _wall_range_to_utc(day, bounds, tz)
    ]
    # Ranges on either side of a spring-forward gap meet in real time: they form one period.
    return _merge(pieces)


def _wall_range_to_utc(
    day: date, bounds: tuple[time, time], tz: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """The instants at which the coach's clock shows a time in [start, end) on `day`."""
    start, end = (datetime.combine(day, bound) for bound in bounds)
    # fold=0 gives the offset in force before a clock change inside the range, fold=1 the one after.
    before = start.replace(tzinfo=tz).utcoffset()
    after = end.replace(tzinfo=tz, fold=1).utcoffset()
    if before == after:
        return [(_at_offset(start, before), _at_offset(end, before))]
    change = _clock_change(
        _at_offset(start, max(before, after)), _at_offset(end, min(before, after)), tz
    )
    pieces = [
        (_at_offset(start, before), min(_at_offset(end, before), change)),
        (max(_at_offset(start, after), change), _at_offset(end, after)),
    ]
    return [
        (piece_start, piece_end) for piece_start, piece_end in pieces if piece_start < piece_end
    ]


def _at_offset(wall: datetime, offset: timedelta) -> datetime:
    return (wall - offset).replace(tzinfo=UTC)


def _clock_change(earliest: datetime, latest: datetime, tz: ZoneInfo) -> datetime:
    """The first whole second in [earliest, latest] with the offset that `latest` has.

    zoneinfo does not expose its transitions, so bisect (tzdata changes clocks on whole seconds).
    Only ranges that contain a clock change get here.
    """
    earliest = earliest.replace(microsecond=0)
    new_offset = _offset_at(latest, tz)
    seconds = range(int((latest - earliest).total_seconds()) + 1)
    first = bisect_left(
        seconds, True, key=lambda s: _offset_at(earliest + timedelta(seconds=s), tz) == new_offset
    )
    return earliest + timedelta(seconds=first)


def _offset_at(moment: datetime, tz: ZoneInfo) -> timedelta | None:
    return moment.astimezone(tz).utcoffset()


# --- Slots ------------------------------------------------------------------------------------


class _BusyIndex:
    """Busy time merged into sorted disjoint intervals: an overlap test is one bisection."""

    def __init__(self, busy: Iterable[Busy]) -> None:
        # Busy checked its datetimes are aware; UTC makes comparisons cheap (same tzinfo).
        utc = [(interval.start.astimezone(UTC), interval.end.astimezone(UTC)) for interval in busy]
        merged = _merge(utc)
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def blocked_until(self, start: datetime, end: datetime) -> datetime | None:
        """The end of the busy interval that overlaps [start, end), if there is one."""
        first_ending_later = bisect_right(self.ends, start)
        if first_ending_later < len(self.starts) and self.starts[first_ending_later] < end:
            return self.ends[first_ending_later]
        return None


def available_slots(
    *,
    tz: ZoneInfo,
    weekly: Iterable[WeeklyRange],
    exceptions: Iterable[DateException],
    rules: SlotRules,
    busy: Iterable[Busy],
    now: datetime,
    start_date: date | None = None,
    days: int | None = None,
    same_type_counts_by_local_date: dict[date, int] | None = None,
) -> list[Slot]:
    """Bookable slots, sorted, in aware UTC datetimes; the module docstring gives the policies.

    Scans `days` coach-local dates from `start_date` (by default from today's date in `tz` to the
    date the window ends). `same_type_counts_by_local_date` counts existing bookings of this
    session type per coach-local date, for the daily limit.
    """
    schedule = _Schedule.build(weekly, exceptions)
    now = _as_utc(now)
    earliest, latest = now + rules.min_notice, now + rules.window
    first_day = start_date or now.astimezone(tz).date()
    if days is None:
        days = (latest.astimezone(tz).date() - first_day).days + 1
    index = _BusyIndex(busy)
    counts = same_type_counts_by_local_date or {}
    slots: list[Slot] = []
    for day in (first_day + timedelta(days=n) for n in range(days)):
        if rules.daily_limit is None or counts.get(day, 0) < rules.daily_limit:
            for period in _open_periods(day, tz, schedule):
                slots.extend(_slots_in_period(period, rules, earliest, latest, index))
    return slots


def _slots_in_period(
    period: tuple[datetime, datetime],
    rules: SlotRules,
    earliest: datetime,
    latest: datetime,
    busy: _BusyIndex,
) -> Iterator[Slot]:
    origin, close = period
    start = _on_grid(origin, earliest, rules.step)
    while start < latest and start + rules.duration <= close:
        blocked_until = busy.blocked_until(
            start - rules.buffer_before, start + rules.duration + rules.buffer_after
        )
        if blocked_until is None:
            yield Slot(start, start + rules.duration)
            start += rules.step
        else:
            # Jump past every grid start whose leading buffer would still reach this busy time.
            start = _on_grid(origin, blocked_until + rules.buffer_before, rules.step)


def _on_grid(origin: datetime, not_before: datetime, step: timedelta) -> datetime:
    """The first of origin, origin + step, ... that is not before `not_before`."""
    return origin + max(0, -((origin - not_before) // step)) * step


# --- Display and reminders --------------------------------------------------------------------


def slots_by_local_date(slots: Iterable[Slot], tz: ZoneInfo) -> dict[date, list[Slot]]:
    """Slots grouped by the local date of their start in `tz` (a visitor's zone), order kept."""
    grouped: dict[date, list[Slot]] = defaultdict(list)
    for slot in slots:
        grouped[slot.start.astimezone(tz).date()].append(slot)
    return dict(grouped)


def days_with_slots(slots: Iterable[Slot], tz: ZoneInfo) -> list[date]:
    """The dates in `tz` that have at least one slot, ascending (for a date picker)."""
    return sorted(slots_by_local_date(slots, tz))


def due_at(session_start_utc: datetime, before: timedelta) -> datetime:
    """When a reminder `before` a session is due, in UTC: `before` is elapsed time.

    Subtracting from a local datetime would be wall-clock arithmetic: across a clock change
    "24 hours before" would be 23 or 25 real hours.
    """
    return _as_utc(session_start_utc) - before
