"""Answer sets for the PBI tests: the worked examples of docs/assessment/pbi-spec.md §5.8 and §7.4,
and a hypothesis strategy for any valid response."""

from hypothesis import strategies as st

from clients.intake.instrument import load_bundled_instrument

INSTRUMENT = load_bundled_instrument()


def numbered(prefix: str, *values: int) -> dict[str, int | str]:
    """numbered("EMO", 2, 2) == {"EMO1": 2, "EMO2": 2}"""
    return {f"{prefix}{number}": value for number, value in enumerate(values, start=1)}


SAFETY_ALL_NEVER = numbered("SAF", 0, 0, 0, 0, 0, 0) | {"SAF7": "no"}
SEXUAL_ITEMS = ("SEX1", "SEX2", "SEX3", "SEX4", "SEX5")

# Persona 1, "all about equally, problem items Never/Rarely, Agree/Strongly agree".
# EMO 88 needs H_EMO in [75, 77) with D = 0, i.e. EMO3 = EMO4 (so the mirror is 0) and health
# (h3 + h4 + h5) / 3 = 0.75. With problem items at Never/Rarely (h 1 or 0.75) and EMO5 at
# Agree/Strongly agree (h 0.75 or 1), the only way is EMO3 = EMO4 = Rarely, EMO5 = Agree:
# Bal = round(50 + 37.5) = 88. Then P1 = 75 forces GEN1 = Agree: (0.75 * 4) / 4.
# FIN, SOC and SEX at 100 need their process items at full health: Never, Never, Strongly agree.
# P2 = 69 in persona 2 (FIN3 Often, FIN4 Never) needs GEN2 + GEN3 health = 1.5: both Agree.
# P5 = 92 "(3 items)" in persona 5 (SEX5 skipped) needs GEN5, GEN7, GEN9 health = 2.75 of 3:
# GEN5 = GEN7 = Never and GEN9 = Agree (P5 is then 94 with SEX5 in persona 1).
# GEN4 and GEN8 at Agree keep P1 the lowest practice, as the table shows.
PERSONA_1 = {
    **numbered("EMO", 2, 2, 1, 1, 3),
    **numbered("FIN", 2, 2, 0, 0, 4),
    **numbered("SOC", 2, 2, 0, 0, 4),
    **numbered("SEX", 2, 2, 0, 0, 4),
    **numbered("GEN", 3, 3, 3, 3, 0, 0, 0, 3, 3),
    **SAFETY_ALL_NEVER,
}
# Persona 2 as stated; FIN4 stays Never, so m = (0 - 3) / 4 and D = 100 * (-1 - 1 - 0.75) / 3.
PERSONA_2 = PERSONA_1 | {"FIN1": 0, "FIN2": 0, "FIN3": 3, "FIN5": 1, "GEN8": 1}
# Persona 3: +75 needs the mirror at 0.75 (EMO3 Never, EMO4 Often), since (1 + 0.5 + m) / 3
# = 0.75; with EMO3 left at Rarely D would be +67. EMO5 stays Agree: H = (1 + 0.25 + 0.75) / 3.
PERSONA_3 = PERSONA_1 | {"EMO1": 4, "EMO2": 3, "EMO3": 0, "EMO4": 3}
PERSONA_4 = PERSONA_1 | {"SAF2": 1}
PERSONA_5 = {item: value for item, value in PERSONA_1.items() if item not in SEXUAL_ITEMS}
PERSONA_6 = PERSONA_1 | {"FIN1": 0, "FIN2": 1}

# §7.4. A: partner leads money (FIN1 "almost always my partner", FIN3 Often) and sets the tone
# (EMO2 "almost always my partner"). B: "I lead money" (FIN1 "almost always me"), A sets the
# tone (EMO2 "almost always my partner"), feels unheard (GEN1 Disagree). Everything else is
# persona 1, so only these items are unhealthy in the PCA: EMO2, both EMO mirrors, FIN1, the
# A.FIN3/B.FIN4 mirror, FIN5 and GEN1, leaving 22 of 29 = 76%.
# FIN: D_A = -75 needs FIN2 "more often my partner" and FIN4 Never; Bal_A = 42 then needs
# H_A = 58.3, so FIN5 = Neither. D_B = +67 and Bal_B = 58 are met by FIN2 "more often me",
# FIN3 Never, FIN4 Sometimes, FIN5 Strongly agree (the FIN5 talking point, difference 2).
# EMO: G = -109 is the sum of the rounded directions -67 and -42 (the unrounded sum, -108.3,
# would round to -108). A: EMO1 "more often my partner", EMO3 Sometimes, EMO4 Never, EMO5
# Agree gives D -67, H 75, Bal 54. B: EMO1 "more often me" (B decides when to talk, as A says),
# EMO3 Often, EMO4 Never, EMO5 Agree gives D -42, H 66.7, Bal 62. A answers GEN1 Strongly
# agree, so the talking points rank EMO2 (4 apart), GEN1 (3), FIN5 (2).
COUPLE_A = PERSONA_1 | {
    **numbered("EMO", 1, 0, 2, 0, 3),
    **numbered("FIN", 0, 1, 3, 0, 2),
    "GEN1": 4,
}
COUPLE_B = PERSONA_1 | {
    **numbered("EMO", 3, 0, 3, 0, 3),
    **numbered("FIN", 4, 3, 0, 2, 4),
    "GEN1": 1,
}


def item_answers(item_ids: tuple[str, ...]) -> st.SearchStrategy[dict]:
    """Any valid answers to the given items: a code, an opt-out code, or skipped (None)."""
    codes = {
        item_id: st.sampled_from([None, *(c for c, _ in INSTRUMENT.item(item_id).scale.choices())])
        for item_id in item_ids
    }
    return st.fixed_dictionaries(codes)


ALL_ITEM_IDS = tuple(item.id for item in INSTRUMENT.items)
SAFETY_ITEM_IDS = tuple(item.id for item in INSTRUMENT.safety_items())
responses = item_answers(ALL_ITEM_IDS)
safety_answers = item_answers(SAFETY_ITEM_IDS)
