"""The PBI safety rule (docs/assessment/pbi-spec.md §6.1): a triage aid that routes people to help,
never a score.

The tier is kept apart from ``scoring.Result`` (§6.6, §10.2): it goes to a coach-only
``SafetyFlag`` with its triggers, and partners never see it.
"""

from enum import StrEnum
from typing import NamedTuple

from clients.intake.instrument import Answers, Instrument
from clients.intake.scoring import (
    OFTEN,
    SOMETIMES,
    Rule,
    at_least,
    one_of,
    rule_holds,
    warning_signs,
)

ONCE, MORE_THAN_ONCE, SAFE4_OFTEN = 1, 2, 3  # SAFE4 codes
DECLINED = "PNS"
SIGNS_FOR_AMBER = 3


class Tier(StrEnum):
    RED = "RED"
    AMBER = "AMBER"
    INCOMPLETE = "INCOMPLETE"
    NONE = "NONE"

    @property
    def calls_for_caution(self) -> bool:
        """RED and AMBER replace partner-facing tips with the coach's support (§6.2, §8.2)."""
        return self in (Tier.RED, Tier.AMBER)


class SafetyOutcome(NamedTuple):
    tier: Tier
    triggers: tuple[str, ...]


RED_RULES: tuple[Rule, ...] = (
    (("SAF7", one_of("yes")),),
    (("SAF2", at_least(ONCE)),),
    (("SAF3", at_least(ONCE)),),
    (("SAF1", one_of(SAFE4_OFTEN)),),
    (("SAF4", at_least(MORE_THAN_ONCE)),),
    (("SAF1", at_least(ONCE)), ("SAF5", at_least(ONCE))),  # fear together with control
)
AMBER_RULES: tuple[Rule, ...] = (
    (("SAF1", one_of(ONCE, MORE_THAN_ONCE)),),
    (("SAF4", one_of(ONCE)),),
    (("SAF5", at_least(ONCE)),),
    (("SAF6", at_least(ONCE)),),
    (("SAF7", one_of("unsure")),),
    # The adjacent items (FREQ5 codes).
    (("SEX3", at_least(OFTEN)),),
    (("SEX4", at_least(SOMETIMES)),),
    (("SOC3", at_least(OFTEN)),),
    (("SOC4", at_least(OFTEN)),),
    (("GEN7", at_least(OFTEN)),),
)
# The domains whose theme an item raising a tier speaks to (§4, §6.1). Items not listed here
# (fear, harm, threats, a fight turned physical, worry now) and the three-sign rule concern the
# whole relationship: every domain.
TRIGGER_DOMAINS = {
    "SEX3": ("SEX",),
    "SEX4": ("SEX",),
    "SAF4": ("SEX",),
    "SOC3": ("SOC",),
    "SOC4": ("SOC",),
    "SAF5": ("FIN", "SOC"),  # tracking, control of money, cut off from people
    "GEN7": ("FIN", "SOC"),  # permission for one's own time, money or appearance
}


def safety_tier(instrument: Instrument, answers: Answers) -> SafetyOutcome:
    """Return the tier and its triggers.

    Precedence is RED > AMBER > INCOMPLETE > NONE: the worse signal wins, so a skipped safety
    block with SEX3 "Often" (or three warning signs) is AMBER, not INCOMPLETE; the coach's
    private AMBER check-in then covers the unanswered questions.

    "Entirely skipped" means that none of SAF1-SAF7 has any response: absent or None. That is
    what a privacy gate answered No or Not sure produces (the block is not shown), and also
    an abandoned survey. "Prefer not to say" is a response, so declining every safety item is
    AMBER, as is skipping some of them while answering others. Answers that exist are never
    discarded, whatever the gate said.

    Triggers are the item ids of every RED and AMBER condition met (not only those of the
    final tier, so the coach sees SAF6 next to a RED SAF2, say), in bank order; skipped or
    declined safety items are triggers too; the three-sign rule adds the sign codes (W1..W6)
    after the items. INCOMPLETE and NONE have no triggers.
    """
    red = _triggered(RED_RULES, answers)
    amber = (
        _triggered(AMBER_RULES, answers)
        + _unanswered_safety_ids(instrument, answers)
        + _sign_triggers(instrument, answers)
    )
    triggers = _in_bank_order(instrument, red + amber)
    if red:
        return SafetyOutcome(Tier.RED, triggers)
    if amber:
        return SafetyOutcome(Tier.AMBER, triggers)
    if _block_skipped(instrument, answers):
        return SafetyOutcome(Tier.INCOMPLETE, ())
    return SafetyOutcome(Tier.NONE, ())


def concern_domains(instrument: Instrument, answers: Answers) -> frozenset[str]:
    """The domains whose theme raised a tier: the results give them, and the overall, no
    reassuring band words. A skipped or declined safety item raises AMBER but says nothing
    about a theme, so it names no domain."""
    raised = (
        _triggered(RED_RULES, answers)
        + _triggered(AMBER_RULES, answers)
        + _sign_triggers(instrument, answers)
    )
    every = instrument.domains()
    return frozenset(domain for item in raised for domain in TRIGGER_DOMAINS.get(item, every))


def _sign_triggers(instrument: Instrument, answers: Answers) -> tuple[str, ...]:
    signs = warning_signs(instrument, answers)
    return signs if len(signs) >= SIGNS_FOR_AMBER else ()


def _triggered(rules: tuple[Rule, ...], answers: Answers) -> tuple[str, ...]:
    return tuple(item_id for rule in rules if rule_holds(rule, answers) for item_id, _ in rule)


def _unanswered_safety_ids(instrument: Instrument, answers: Answers) -> tuple[str, ...]:
    if _block_skipped(instrument, answers):
        return ()
    return tuple(
        item.id for item in instrument.safety_items() if answers.get(item.id) in (None, DECLINED)
    )


def _block_skipped(instrument: Instrument, answers: Answers) -> bool:
    return all(answers.get(item.id) is None for item in instrument.safety_items())


def _in_bank_order(instrument: Instrument, ids: tuple[str, ...]) -> tuple[str, ...]:
    """Items by bank order, then anything that is not an item (the sign codes)."""
    items = instrument.items_by_id

    def position(trigger: str) -> tuple[int, str]:
        return (items[trigger].order if trigger in items else len(items), trigger)

    return tuple(sorted(set(ids), key=position))
