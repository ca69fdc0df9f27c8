"""E-mail through Django's backend and in-app messages into the staff alert inbox."""

import smtplib

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from wangge.core.models import Alert
from wangge.notify.channels import Outgoing, adapter_for
from wangge.notify.channels.inapp import message_link
from wangge.notify.models import Delivery, Message, Recipient


class RefusingBackend(BaseEmailBackend):
    """Refuses addresses at refused.example; other addresses at down.example break the session."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if message.to[0].endswith("@refused.example"):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
            if message.to[0].endswith("@down.example"):
                raise smtplib.SMTPServerDisconnected("connection lost")
        return len(email_messages)


def test_mail_accepted_by_the_backend_is_delivered(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    results = adapter_for("email").send(
        "ref",
        [Outgoing(1, "gavin@example.org", "今晚8点核酸\n地点：小区东门", {}, title="核酸通知")],
    )

    assert [(result.outcome, result.code) for result in results] == [("delivered", "")]
    [sent] = mail.outbox
    assert (sent.subject, sent.to, sent.body) == (
        "核酸通知",
        ["gavin@example.org"],
        "今晚8点核酸\n地点：小区东门",
    )


def test_a_refused_recipient_fails_and_a_broken_session_is_retried(settings):
    settings.EMAIL_BACKEND = "wangge.notify.tests.test_channels_mail_inapp.RefusingBackend"
    batch = [
        Outgoing(1, "nobody@refused.example", "x", {}),
        Outgoing(2, "gavin@down.example", "x", {}),
        Outgoing(3, "gavin@example.org", "x", {}),
    ]

    results = {result.delivery_id: result for result in adapter_for("email").send("ref", batch)}

    assert (results[1].outcome, results[1].code) == ("failed", "smtp_refused")
    assert (results[2].outcome, results[2].code) == ("retry", "smtp_error")
    assert results[3].outcome == "delivered"


def staff_delivery(world, user) -> Delivery:
    message = Message.objects.create(
        street=world.street, text="请今晚核对名单", audience_kind="role", channels=["inapp"]
    )
    recipient = Recipient.objects.create(message=message, user=user, label=user.username)
    return Delivery.objects.create(
        message=message, recipient=recipient, channel="inapp", due_at=timezone.now()
    )


def test_a_staff_member_finds_the_message_in_the_alert_inbox(world):
    gavin = world.users["gavin"]
    delivery = staff_delivery(world, gavin)

    [result] = adapter_for("inapp").send(
        "ref", [Outgoing(delivery.pk, str(gavin.pk), "请今晚核对名单", {}, title="核对")]
    )

    assert result.outcome == "delivered"
    [alert] = Alert.objects.filter(recipient=gavin)
    assert (alert.text, alert.link) == ("核对：请今晚核对名单", message_link(delivery.message_id))


def test_an_account_that_is_gone_or_inactive_fails(world):
    bella = world.users["bella"]
    bella.is_active = False
    bella.save()
    delivery = staff_delivery(world, bella)

    results = adapter_for("inapp").send(
        "ref",
        [
            Outgoing(delivery.pk, str(bella.pk), "x", {}),
            Outgoing(9, "999999", "x", {}),
            Outgoing(10, "", "x", {}),
        ],
    )

    assert {(result.outcome, result.code) for result in results} == {("failed", "no_user")}
    assert not Alert.objects.exists()
