"""The SIGTERM hold of coaching/termination.py, in a bare process of its own."""

import signal
import subprocess
import sys

from tests.conftest import ROOT

HELD_THEN_RELEASED = """
import os, signal
from coaching.termination import TerminationHold
with TerminationHold():
    os.kill(os.getpid(), signal.SIGTERM)
    print("recorded", flush=True)
print("restored" if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL else "changed")
"""


def _run(script: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=30)


def test_a_sigterm_waits_for_the_release_then_ends_the_process():
    result = _run(HELD_THEN_RELEASED)
    assert result.stdout.decode().split() == ["recorded"]
    assert result.returncode == -signal.SIGTERM


def test_without_a_sigterm_the_hold_changes_nothing():
    quiet = HELD_THEN_RELEASED.replace("os.kill(os.getpid(), signal.SIGTERM)", "pass")
    result = _run(quiet)
    assert result.stdout.decode().split() == ["recorded", "restored"]
    assert result.returncode == 0
