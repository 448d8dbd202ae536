"""Time-zone names from outside (a URL, a cookie, a hidden field, a browser): read in one place.

Visitors choose from the current IANA names (`zone.tab`: one per region people live in, no
deprecated aliases such as Asia/Calcutta or US/Pacific). A browser may still report an alias
(Chromium says "Asia/Calcutta" for India): it is accepted and shown under its current name.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

# The names, the list and the links come from the pinned `tzdata` package, so every machine
# agrees (the system's zoneinfo folder also holds "localtime" and other files).
TZDATA = resources.files("tzdata")


@dataclass(frozen=True)
class ZoneChoice:
    name: str  # "America/Los_Angeles"
    label: str  # "Los Angeles, America · 14:05"


@cache
def current_names() -> tuple[str, ...]:
    """UTC, then the zones of zone.tab, sorted."""
    lines = TZDATA.joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8").splitlines()
    names = {line.split("\t")[2] for line in lines if line and not line.startswith("#")}
    return ("UTC", *sorted(names))


@cache
def _links() -> dict[str, str]:
    """Alias -> the zone it names ("Asia/Calcutta" -> "Asia/Kolkata"), from tzdata.zi."""
    lines = TZDATA.joinpath("zoneinfo", "tzdata.zi").read_text(encoding="utf-8").splitlines()
    return {parts[2]: parts[1] for parts in (line.split() for line in lines) if parts[0] == "L"}


@cache
def _current_name_of() -> dict[str, str]:
    """Every known name -> the name to show for it: itself when current, else the current
    name of the zone it links to (when there is one), else itself (e.g. "Etc/GMT-3")."""
    current = current_names()
    by_target = {}
    for name in current:  # several current names may share a zone: prefer the zone's own
        target = _links().get(name, name)
        if name == target or target not in by_target:
            by_target[target] = name
    known = TZDATA.joinpath("zones").read_text(encoding="utf-8").split()
    shown = {name: by_target.get(_links().get(name, name), name) for name in known}
    return shown | {name: name for name in current}


@cache
def _zone(name: str) -> ZoneInfo:
    """Kept for the process: ZoneInfo's own cache lets most of 420 zones go and reads them
    from disk again on the next page."""
    return ZoneInfo(name)


@cache
def _typed() -> dict[str, str]:
    """What a person may type for a zone, folded -> its name: the name in any case, with
    spaces for underscores ("asia/kolkata"), or the city alone when only one zone has it."""
    names = {_fold(name): shown for name, shown in _current_name_of().items()}
    cities = [_fold(name.rsplit("/", 1)[-1]) for name in current_names()]
    unique = {city: name for city, name in zip(cities, current_names(), strict=True)}
    return {city: unique[city] for city in unique if cities.count(city) == 1} | names


def _fold(text: str) -> str:
    return text.strip().replace("_", " ").casefold()


def parse_zone(name: str | None) -> ZoneInfo | None:
    """The zone named (or typed: "los angeles"), under its current name; None for anything
    that is not a zone.

    Only names from the list reach ZoneInfo: it opens a file named after the text, so a
    300-character name raised OSError and a NUL ValueError rather than "not found"."""
    name = name or ""
    shown = _current_name_of().get(name) or _typed().get(_fold(name))
    return _zone(shown) if shown else None


def zone_choices(shown: ZoneInfo, now: datetime) -> list[ZoneChoice]:
    """The zones to choose from, each with its local time now ("Los Angeles, America · 14:05"),
    always with the one shown (a browser may report "Etc/GMT-3": never silently show another)."""
    names = current_names()
    names = names if shown.key in names else (shown.key, *names)
    return [ZoneChoice(name, _label(name, now)) for name in names]


def _label(name: str, now: datetime) -> str:
    local = now.astimezone(_zone(name))
    return f"{_place(name)} · {local.hour:02}:{local.minute:02}"


@cache
def _place(name: str) -> str:
    """ "America/Argentina/Buenos_Aires" -> "Buenos Aires, Argentina, America": the city first,
    as people type it."""
    *region, city = name.replace("_", " ").split("/")
    return ", ".join([city, *reversed(region)])
