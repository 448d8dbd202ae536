"""The check-in pulse: a short form of the published PBI, for balance check-ins between sessions.

The pulse definition (``pulse_v1_0_0.json``) copies no wording: it names PBI items by their
permanent ids (PBI spec §10.1, docs/assessment/pbi-spec.md), per power one direction and one
process item, one item for each of the six warning signs and the whole safety block. It is
versioned like the PBI and never edited in place: a change is a new file and a new entry in
PUBLISHED. Loading checks both checksums, the pulse's own and the PBI file it selects from.

The result is an ``Instrument`` holding the selected PBI items, so scoring and the safety rule
are the intake's own functions (``scoring.score``, ``safety.safety_tier``), one transcription of
the spec. Only the minimum per domain differs: one direction and one process item (§5.7 asks
two of three of the full form).
"""

import json
from functools import cache
from pathlib import Path

from clients.intake.instrument import (
    BUNDLED_DEFINITION,
    Instrument,
    Item,
    checksum,
    load_instrument,
)

PULSE_DEFINITION = Path(__file__).with_name("pulse_v1_0_0.json")
# sha256 of each published pulse file, as stored: an edited file refuses to load.
PUBLISHED = {"1.0.0": "6713c34461d09670eabf47953fdb5ce8cdeb378ea151adadb1b78f001a6cc80e"}


class ChecksumMismatch(ValueError):
    """A definition file differs from the one that was published."""


def load_pulse(raw: bytes, source_raw: bytes) -> Instrument:
    """The pulse of ``raw`` over the PBI of ``source_raw``; raises ChecksumMismatch."""
    definition = json.loads(raw)
    _verify("pulse", checksum(raw), PUBLISHED.get(definition["version"]))
    _verify("source instrument", checksum(source_raw), definition["source"]["checksum"])
    source = load_instrument(json.loads(source_raw))
    return Instrument(
        slug=definition["instrument"],
        version=definition["version"],
        scoring_version=definition["scoring_version"],
        locale=definition["locale"],
        items=_selected(source, definition),
        min_domain_answers=definition["min_domain_answers"],
    )


@cache
def load_bundled_pulse() -> Instrument:
    return load_pulse(PULSE_DEFINITION.read_bytes(), BUNDLED_DEFINITION.read_bytes())


def _verify(what: str, found: str, published: str | None) -> None:
    if found != published:
        raise ChecksumMismatch(f"The {what} definition is not the published one ({found}).")


def _selected(source: Instrument, definition: dict) -> tuple[Item, ...]:
    """The named items, in bank order (so the sections and triggers read as in the intake)."""
    ids = [item_id for power in definition["powers"].values() for item_id in power.values()]
    ids += list(definition["signs"].values()) + definition["safety"]
    items = {source.item(item_id) for item_id in ids}
    return tuple(sorted(items, key=lambda item: item.order))
