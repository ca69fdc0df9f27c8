"""Where group messages go (a grid's DingTalk or WeCom robot) and the shared send budget of each."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.scoping import scoped_manager


class Robot(models.Model):
    """A grid's work group robot. Its webhook token (DingTalk `access_token`, WeCom `key`) and its
    DingTalk signing secret are sealed like a phone number: whoever holds them can post to the group.
    """

    class Kind(models.TextChoices):
        DINGTALK = "dingtalk", _("钉钉群机器人")
        WECOM = "wecom", _("企业微信群机器人")

    grid = models.ForeignKey(
        "regions.Grid", on_delete=models.CASCADE, related_name="robots", verbose_name=_("网格")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("群名称"), max_length=80)
    # The host the webhook path is appended to: the real one by default, a fake gateway in tests.
    base_url = models.URLField(_("接口地址"), blank=True)
    token_sealed = models.TextField(editable=False)
    secret_sealed = models.TextField(blank=True, editable=False)
    per_minute = models.PositiveSmallIntegerField(_("每分钟上限"), default=20)
    # DingTalk parks a robot for 10 minutes after errcode 130101 (too many messages).
    parked_until = models.DateTimeField(_("暂停至"), null=True, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(
        street_path="grid__community__street", community_path="grid__community", grid_path="grid"
    )

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        ordering = ["grid", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "kind"], name="robot_one_per_grid_and_kind")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def token(self) -> str:
        return crypto.unseal(self.token_sealed)

    @property
    def secret(self) -> str:
        return crypto.unseal(self.secret_sealed) if self.secret_sealed else ""

    def set_token(self, token: str) -> None:
        self.token_sealed = crypto.seal(token)

    def set_secret(self, secret: str) -> None:
        self.secret_sealed = crypto.seal(secret) if secret else ""

    @property
    def bucket_key(self) -> str:
        return f"robot:{self.pk}"


class RateBucket(models.Model):
    """A token bucket in the database, shared by every worker of the embedded deployment (Redis
    holds the buckets in the distributed one): `tokens` left at `updated_at`, refilled at the
    channel's rate (notify.ratelimit)."""

    key = models.CharField(max_length=80, unique=True)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("发送额度")
        verbose_name_plural = _("发送额度")

    def __str__(self) -> str:
        return f"{self.key}: {self.tokens:.1f}"
