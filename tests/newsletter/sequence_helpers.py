"""Building sequences for the tests, and the beat sweep as the worker would run it."""

from django.core import mail

from content.newsletter import sequences
from content.newsletter.models import Campaign, Sequence, SequenceStep

LOVE_DELAYS = [0, 1, 3, 7, 14, 29]


def make_sequence(*, delays=LOVE_DELAYS, active=True, **fields) -> Sequence:
    fields.setdefault("name", "Love letters")
    fields.setdefault("trigger", Sequence.Trigger.TOPIC)
    sequence = Sequence.objects.create(**fields)
    for number, delay in enumerate(delays, start=1):
        campaign = Campaign(
            subject=f'Letter {number} for {{{{ first_name|default:"you" }}}}',
            body_markdown=f"Dear {{{{ first_name }}}}, letter {number}.",
        )
        sequences.step_save(
            step=SequenceStep(sequence=sequence, delay_days=delay), campaign=campaign
        )
    if active:
        sequences.sequence_set_active(sequence=sequence, active=True)
    return sequence


def sweep(capture, now=None) -> int:
    """One beat tick: hand due letters over; their batches run eagerly on commit."""
    with capture(execute=True):
        return sequences.sequences_sweep(now=now)


def letters_to(email: str) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [email]]
