"""Issue 17 item 2, fluid or persistent: a single ordinary swing never raises a flag, three in a
row on one side always does, one extreme reading does, and swapping the partners mirrors the
comparison. Thresholds come from TREND_SETTINGS (docs/checkins.md)."""

from hypothesis import given
from hypothesis import strategies as st

from clients.checkins.trends import (
    EXTREME,
    PERSISTENT,
    TREND_SETTINGS,
    couple_rounds,
    diverges,
    power_flag,
    power_trends,
)
from clients.intake import scoring
from clients.intake.pulse import load_bundled_pulse

PERSIST = TREND_SETTINGS["persistent_from"]
EXTREME_FROM = TREND_SETTINGS["extreme_from"]
RUN = TREND_SETTINGS["persistent_run"]

ordinary = st.integers(-PERSIST + 1, PERSIST - 1)  # a calm reading
swing = st.integers(PERSIST, EXTREME_FROM - 1).flatmap(lambda v: st.sampled_from([v, -v]))
beyond = st.integers(PERSIST, EXTREME_FROM - 1)  # one side, short of extreme
history = st.lists(st.one_of(ordinary, swing, st.none()), max_size=10)


@given(before=st.lists(ordinary, max_size=10), one=swing, after=st.lists(ordinary, max_size=10))
def test_a_single_ordinary_swing_never_raises_a_flag(before, one, after):
    readings = [*before, one, *after]
    assert power_flag(readings) is None
    for end in range(1, len(readings) + 1):  # nor at any point along the way
        assert power_flag(readings[:end]) is None


@given(
    past=history, run=st.lists(beyond, min_size=RUN, max_size=RUN), side=st.sampled_from([1, -1])
)
def test_three_in_a_row_on_one_side_always_raise_a_flag(past, run, side):
    assert power_flag([*past, *(side * value for value in run)]) == PERSISTENT


@given(past=history, side=st.sampled_from([1, -1]))
def test_one_extreme_reading_raises_a_flag(past, side):
    assert power_flag([*past, side * EXTREME_FROM]) == EXTREME


def test_a_run_on_alternating_sides_or_with_a_gap_is_fluid():
    assert power_flag([PERSIST, -PERSIST, PERSIST]) is None
    assert power_flag([PERSIST, None, PERSIST, PERSIST]) is None
    assert power_flag([PERSIST, PERSIST]) is None


def _payload(**answers) -> dict:
    """A check-in's stored scores, as the intake's scoring gives them over the pulse."""
    return scoring.score(load_bundled_pulse(), answers).to_dict()


who = st.integers(0, 4)  # the WHO5 codes of the direction item
voice = st.integers(0, 4)


@st.composite
def checkins(draw):
    return [_payload(EMO1=draw(who), EMO5=draw(voice)) for _ in range(draw(st.integers(1, 5)))]


@given(a=checkins(), b=checkins())
def test_swapping_the_partners_mirrors_the_comparison(a, b):
    ab, ba = couple_rounds(a, b, "EMO"), couple_rounds(b, a, "EMO")
    assert len(ab) == len(ba) == min(len(a), len(b))
    for one, other in zip(ab, ba, strict=True):
        assert (one.view_a, one.view_b) == (-other.view_b, -other.view_a)
        assert one.consensus_direction == -other.consensus_direction
        assert one.perception_gap == other.perception_gap
    assert diverges(ab) == diverges(ba)


def test_partners_who_each_say_they_lead_diverge_as_a_talking_point():
    alice = [_payload(FIN1=4, FIN5=4)]  # "almost always me"
    bea = [_payload(FIN1=3, FIN5=4)]  # "more often me"
    rounds = couple_rounds(alice, bea, "FIN")
    assert rounds[-1].perception_gap == 150 and diverges(rounds)
    agree = couple_rounds([_payload(FIN1=3, FIN5=4)], [_payload(FIN1=1, FIN5=4)], "FIN")
    assert agree[-1].perception_gap == 0 and not diverges(agree)


def test_rounds_pair_from_the_latest_backwards():
    alice = [_payload(SOC2=0, SOC5=4), _payload(SOC2=2, SOC5=4), _payload(SOC2=4, SOC5=4)]
    bea = [_payload(SOC2=0, SOC5=4)]
    (only,) = couple_rounds(alice, bea, "SOC")
    assert (only.view_a, only.view_b) == (100, 100)


def test_trends_read_the_direction_the_intake_scores_and_skip_unanswered_powers():
    scores = [_payload(SEX1=1, SEX5=3), _payload(EMO1=2, EMO5=4)]
    by_domain = {t.domain: t for t in power_trends(scores, ("EMO", "SEX"))}
    assert by_domain["SEX"].readings == (-50, None)
    assert by_domain["EMO"].readings == (None, 0)
