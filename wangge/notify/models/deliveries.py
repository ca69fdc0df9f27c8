"""Each delivery once: one row per (recipient, channel), claimed under a lease; one attempt per
HTTP call (its reference is what the provider echoes back); receipts matched by (attempt, phone)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Attempt(models.Model):
    """One call to a channel (one HTTP request, one batch). `reference` goes to the provider as the
    caller's reference (Aliyun `OutId`, Tencent `SessionContext`) and comes back on each receipt."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("进行中")
        ACCEPTED = "accepted", _("已接收")
        REJECTED = "rejected", _("被拒绝")
        TIMEOUT = "timeout", _("超时")
        ERROR = "error", _("出错")

    reference = models.CharField(max_length=32, unique=True)
    channel = models.CharField(max_length=10)
    worker = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("发送批次")
        verbose_name_plural = _("发送批次")

    def __str__(self) -> str:
        return self.reference


class Delivery(models.Model):
    """A recipient on one channel.

    queued → (claimed under a lease) → sending (attempt recorded before the call leaves)
    → sent (accepted) → delivered | failed (by receipt), or → failed (permanent refusal),
    → queued again (transient refusal, after a backoff), → unknown (the call timed out, or its
    worker died while it may have left): an unknown delivery waits for its receipt until the
    receipt window has passed and is sent again only if none came.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("排队")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发出")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("失败")
        UNKNOWN = "unknown", _("待确认")

    message = models.ForeignKey("notify.Message", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        "notify.Recipient", on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # Claimable when queued and due, or when its lease ran out (its worker died).
    due_at = models.DateTimeField(db_index=True)
    worker = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempt = models.ForeignKey(
        Attempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    tries = models.PositiveSmallIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    error_reason = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("投递")
        verbose_name_plural = _("投递")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel"], name="delivery_once_per_recipient_and_channel"
            )
        ]
        indexes = [
            models.Index(fields=["channel", "state", "due_at"], name="delivery_claimable"),
            models.Index(fields=["message", "state"], name="delivery_message_state"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.recipient_id} {self.state}"


class Receipt(models.Model):
    """A delivery receipt as the provider pushed it. Providers push late, twice, out of order:
    the row is unique on (attempt reference, phone, status), so a repeat changes nothing."""

    reference = models.CharField(max_length=32)
    phone_hash = models.CharField(max_length=40)
    status = models.CharField(max_length=40)
    delivered = models.BooleanField()
    reported_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    delivery = models.ForeignKey(
        Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="receipts"
    )

    class Meta:
        verbose_name = _("回执")
        verbose_name_plural = _("回执")
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "phone_hash", "status"], name="receipt_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.status}"
