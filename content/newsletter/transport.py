"""One SMTP connection per batch, opened through Django's email backend.

With Django's SMTP backend the prepared bytes go straight to its smtplib connection (the fast
path the benchmark measures); any other backend (locmem in tests, console, an anymail ESP
backend) gets ordinary `EmailMessage` objects.
"""

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from content.newsletter.mail import CampaignMail


class Transport:
    def __init__(self, builder: CampaignMail):
        self.builder = builder
        self.backend = get_connection(timeout=settings.EMAIL_TIMEOUT)
        self.raw = isinstance(self.backend, SMTPBackend)

    def open(self) -> None:
        self.backend.open()

    def close(self) -> None:
        self.backend.close()

    def send(self, *, delivery_id: int, subscriber_id: int, email: str, values: dict) -> None:
        """Hand one message to the server; raises smtplib's errors as they come."""
        recipient = {"delivery_id": delivery_id, "subscriber_id": subscriber_id, "email": email}
        if self.raw:
            data = self.builder.wire(**recipient, values=values)
            self.backend.connection.sendmail(self.builder.from_header, [email], data)
        else:
            self.backend.send_messages([self.builder.message(**recipient, values=values)])
