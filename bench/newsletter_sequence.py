"""A sequence's letter due to 10,000 enrolled subscribers at once, through a real Celery worker
on Redis to a local SMTP sink, against the same smtplib floor as the campaign bench.

The clock starts at beat's sweep (`sequences_sweep`: one statement per letter claims the due
enrollments and adds their deliveries in new batches) and stops when the last delivery is
`sent`; from there on it is the campaign path, message by message.
"""

import json
import multiprocessing
import os
import sys
import time
from datetime import timedelta

from bench import newsletter_campaign as campaign_bench

SMALL = campaign_bench.SMALL


def run() -> list[tuple[str, str]]:
    return campaign_bench.run("bench.newsletter_sequence")


def _sequence():
    from content.newsletter import sequences
    from content.newsletter.models import Campaign, Sequence, SequenceStep

    sequence = Sequence.objects.create(name="Bench letters", trigger=Sequence.Trigger.TOPIC)
    letter = Campaign(
        subject=campaign_bench.SUBJECT, preheader="A short note",
        body_markdown=campaign_bench.BODY, slug="bench",
    )  # fmt: skip
    sequences.step_save(step=SequenceStep(sequence=sequence, delay_days=0), campaign=letter)
    sequences.sequence_set_active(sequence=sequence, active=True)
    return sequence, letter


def _through_worker(env: dict, sequence, letter) -> tuple[float, float, float]:
    """Seconds of the enrollment, of the sweep, and from the sweep to the last one sent."""
    from django.utils import timezone

    from content.newsletter import sequences
    from content.newsletter.models import Delivery, Subscriber

    started = time.perf_counter()
    sequences.sequence_enroll(
        sequence=sequence, subscribers=Subscriber.objects.all(), now=timezone.now()
    )
    enrolled = time.perf_counter() - started
    left = Delivery.objects.filter(campaign=letter, state__in=["pending", "sending"])
    with campaign_bench.Worker(env):
        started = time.perf_counter()
        sequences.sequences_sweep(now=timezone.now() + timedelta(days=2))
        swept = time.perf_counter() - started
        while left.exists():
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    return enrolled, swept, elapsed


def child() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    campaign_bench._create_database()
    call_command("migrate", verbosity=0)
    from content.newsletter.models import Campaign, Delivery, Sequence, Subscriber, Topic

    Sequence.objects.all().delete()
    Campaign.objects.all().delete()
    Subscriber.objects.all().delete()
    topic = Topic.objects.get(slug="love-letters")
    port = campaign_bench._free_port()
    spawn = multiprocessing.get_context("spawn")
    counter, ready = spawn.Value("i", 0), spawn.Event()
    sink = spawn.Process(target=campaign_bench._sink_main, args=(port, counter, ready), daemon=True)
    sink.start()
    ready.wait(30)
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    try:
        campaign_bench._subscribers(SMALL, topic)
        sequence, letter = _sequence()
        floor = campaign_bench._floor(letter, port)
        enrolled, swept, elapsed = _through_worker(env, sequence, letter)
        # The same worker sending a campaign to the same 10,000: the machine's load as it was.
        campaign_time = campaign_bench._through_worker(env, topic)[0]
    finally:
        sink.terminate()
    sent = Delivery.objects.filter(campaign=letter, state="sent").count()
    small = f"{SMALL:,}"
    rows = [
        (f"floor: smtplib loop, {small} messages", f"{floor:.1f} s ({SMALL / floor:.0f}/s)"),
        (f"enroll {small} subscribers (one bulk insert)", f"{enrolled:.1f} s"),
        (
            f"sweep + worker on Redis ({campaign_bench.CONCURRENCY} pool processes), "
            f"one letter to {small} enrolled",
            f"{elapsed:.1f} s ({SMALL / elapsed:.0f}/s)",
        ),
        ("of which the sweep (claim + deliveries added, one statement)", f"{swept:.2f} s"),
        ("time ratio sequence letter / floor (bar ≤ 2)", f"{elapsed / floor:.2f}"),
        (f"a campaign to the same {small}, same worker", f"{campaign_time:.1f} s"),
        ("time ratio sequence letter / campaign", f"{elapsed / campaign_time:.2f}"),
        ("letters recorded sent", f"{sent:,}"),
        ("messages accepted by the sink (floor, letter, campaign)", f"{counter.value:,}"),
    ]
    print(json.dumps(rows))


if __name__ == "__main__" and "--child" in sys.argv:
    child()
