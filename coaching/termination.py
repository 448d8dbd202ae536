"""Holding off SIGTERM while an email the server accepted is not yet recorded as sent.

Celery terminates a running task with SIGTERM when its worker loses the broker (the baseline's
`worker_cancel_long_running_tasks_on_connection_loss`) or when a task is revoked. Landing after
the SMTP server accepted a message and before its row says `sent`, it would leave the row for
the sweeper, which would send the message again. While held, the signal only raises a flag; on
release (the row written) the process terminates as it was asked to.

SIGKILL cannot be held: a process killed outright may still send that one message twice.
"""

import signal
import threading


class TerminationHold:
    def __init__(self):
        self.holding = False
        self.received = False
        self.previous = signal.SIG_DFL

    def hold(self) -> None:
        # Python runs signal handlers in the main thread only, and only it may set them.
        if self.holding or threading.current_thread() is not threading.main_thread():
            return
        self.previous = signal.signal(signal.SIGTERM, self._defer)
        self.holding = True

    def release(self) -> None:
        if not self.holding:
            return
        signal.signal(signal.SIGTERM, self.previous or signal.SIG_DFL)
        self.holding = False
        if self.received:
            self.received = False
            signal.raise_signal(signal.SIGTERM)

    def _defer(self, signum, frame) -> None:
        self.received = True

    def __enter__(self):
        self.hold()
        return self

    def __exit__(self, *exc_info):
        self.release()
