"""E-mail through Django's configured backend (EMAIL_BACKEND, EMAIL_HOST, …).

One connection per batch (django.core.mail.get_connection, as send_mass_mail uses it), one message
per recipient sent on it, so each delivery gets its own outcome: accepted by the backend →
"delivered" (no receipt will come); SMTPRecipientsRefused → "failed"; any other SMTP or network
error → "retry". The subject is the message's title, else its first line.
"""

import smtplib
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from wangge.notify.channels import DELIVERED, FAILED, RETRY, Outgoing, Result

SUBJECT_CHARS = 60


def subject(item: Outgoing) -> str:
    first_line = item.text.strip().splitlines()[0] if item.text.strip() else ""
    return (item.title or first_line or "通知")[:SUBJECT_CHARS]


class EmailAdapter:
    channel = "email"
    batch_size = 50
    receipts = False

    def send(self, reference: str, batch: Sequence[Outgoing]) -> list[Result]:
        results = []
        try:
            connection = get_connection()
            connection.open()
        except (smtplib.SMTPException, OSError) as error:
            reason = f"{type(error).__name__}: {error}"[:200]
            return [Result(item.delivery_id, RETRY, "smtp_connect", reason) for item in batch]
        try:
            for item in batch:
                results.append(self._send_one(connection, item))
        finally:
            connection.close()
        return results

    def _send_one(self, connection: object, item: Outgoing) -> Result:
        message = EmailMessage(
            subject=subject(item),
            body=item.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[item.address],
            connection=connection,
        )
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as error:
            reason = "收件人被拒绝 / recipient refused: " + str(error.recipients)[:150]
            return Result(item.delivery_id, FAILED, "smtp_refused", reason)
        except (smtplib.SMTPException, OSError) as error:
            reason = f"{type(error).__name__}: {error}"[:200]
            return Result(item.delivery_id, RETRY, "smtp_error", reason)
        return Result(item.delivery_id, DELIVERED)


ADAPTER = EmailAdapter()
