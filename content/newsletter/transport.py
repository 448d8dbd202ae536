"""One SMTP connection per batch, opened through Django's email backend.

With Django's SMTP backend the prepared bytes go straight to its smtplib connection (the fast
path the benchmark measures), and the message's final dot waits for `before_end()`: the server
takes the message only after it returns (see `batch.py` for why). Any other backend (locmem in
tests, console, an anymail ESP backend) gets ordinary `EmailMessage` objects after `before_end()`.
"""

import contextlib
import re
import smtplib
import socket
from collections.abc import Callable

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from content.newsletter.mail import CampaignMail

LINE_START_DOT = re.compile(rb"^\.", re.MULTILINE)  # dot-stuffing (RFC 5321, 4.5.2)


class Transport:
    def __init__(self, builder: CampaignMail):
        self.builder = builder
        self.backend = get_connection(timeout=settings.EMAIL_TIMEOUT)
        self.raw = isinstance(self.backend, SMTPBackend)

    def open(self) -> None:
        self.backend.open()
        if self.raw:  # the final dot goes alone: Nagle's algorithm would hold it for an ACK
            self.backend.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self) -> None:
        self.backend.close()

    def send(
        self,
        *,
        delivery_id: int,
        subscriber_id: int,
        email: str,
        values: dict,
        before_end: Callable[[], None],
    ) -> None:
        """Hand one message to the server; raises smtplib's errors as they come."""
        recipient = {"delivery_id": delivery_id, "subscriber_id": subscriber_id, "email": email}
        if self.raw:
            data = self.builder.wire(**recipient, values=values)
            send_with_end_held(
                self.backend.connection, self.builder.from_header, email, data, before_end
            )
        else:
            before_end()
            self.backend.send_messages([self.builder.message(**recipient, values=values)])


def send_with_end_held(
    smtp: smtplib.SMTP, sender: str, recipient: str, data: bytes, before_end: Callable[[], None]
) -> None:
    """smtplib's `sendmail` for one recipient and ASCII bytes, with `before_end()` run just before
    the final dot. Should it raise, the connection is dropped without the dot, so the server
    discards the message."""
    smtp.ehlo_or_helo_if_needed()
    code, answer = smtp.mail(sender)
    if code != 250:
        _abandon(smtp, code)
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    code, answer = smtp.rcpt(recipient)
    if code not in (250, 251):
        _abandon(smtp, code)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, answer)})
    code, answer = smtp.docmd("data")
    if code != 354:
        _abandon(smtp, code)
        raise smtplib.SMTPDataError(code, answer)
    body = LINE_START_DOT.sub(b"..", data)
    smtp.send(body if body.endswith(b"\r\n") else body + b"\r\n")
    try:
        before_end()
    except BaseException:
        smtp.close()
        raise
    smtp.send(b".\r\n")
    code, answer = smtp.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, answer)


def _abandon(smtp: smtplib.SMTP, code: int) -> None:
    """As `sendmail` leaves a refused message: 421 closes, anything else resets."""
    if code == 421:
        smtp.close()
        return
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()
