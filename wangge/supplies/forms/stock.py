"""Forms of the stock moves and the ledger filter. The chooser fields are limited to what the
user may see by the querysets the views pass in; the services check every rule again."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wangge.supplies.models import Batch, MoveKind, PickingMode, RecipientKind, WriteOffReason


class BatchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        expiry = obj.expiry.isoformat() if obj.expiry else "-"
        return f"{obj.lot or '#' + str(obj.pk)} · {expiry} · {obj.quantity}"


class ReceiveForm(forms.Form):
    item: forms.ModelChoiceField = forms.ModelChoiceField(label=_("物资"), queryset=None)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=10**9)
    lot = forms.CharField(label=_("批号"), max_length=40, required=False)
    expiry = forms.DateField(
        label=_("有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    supplier = forms.CharField(label=_("供应商"), max_length=80, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]


class PickForm(forms.Form):
    """What an issue and a transfer share: the item, how many, and optionally the batch."""

    item: forms.ModelChoiceField = forms.ModelChoiceField(label=_("物资"), queryset=None)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=10**9)
    batch = BatchChoiceField(
        label=_("批次"),
        queryset=Batch.objects.none(),
        required=False,
        help_text=_("留空则按先到期先出自动选批次"),
    )
    fefo_reason = forms.CharField(label=_("未选最早到期批次的原因"), max_length=200, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(
        self, *args: Any, items: Any, item: Any = None, batches: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]
        if item is None or item.picking == PickingMode.FORCE:
            del self.fields["batch"], self.fields["fefo_reason"]
        else:
            self.fields["batch"].queryset = batches  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        batch, item = data.get("batch"), data.get("item")
        if batch is not None and item is not None and batch.item_id != item.pk:
            self.add_error("batch", _("所选批次不是该物资的 / the batch is of another item"))
        return data


class IssueForm(PickForm):
    recipient_kind = forms.ChoiceField(label=_("领用方类型"), choices=RecipientKind.choices)
    checkpoint: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("卡点"), queryset=None, required=False
    )
    team: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("队伍"), queryset=None, required=False
    )
    household: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("居民家庭"),
        queryset=None,
        required=False,
        help_text=_("先在上方按地址搜索家庭"),
    )
    label = forms.CharField(label=_("其他领用方"), max_length=100, required=False)

    field_order = [
        "item",
        "quantity",
        "recipient_kind",
        "checkpoint",
        "team",
        "household",
        "label",
        "batch",
        "fefo_reason",
        "note",
    ]

    def __init__(
        self, *args: Any, checkpoints: Any, teams: Any, households: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checkpoint"].queryset = checkpoints  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["household"].queryset = households  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("recipient_kind")
        wanted = {
            RecipientKind.CHECKPOINT.value: "checkpoint",
            RecipientKind.TEAM.value: "team",
            RecipientKind.HOUSEHOLD.value: "household",
            RecipientKind.OTHER.value: "label",
        }.get(str(kind))
        if wanted and not data.get(wanted):
            self.add_error(wanted, _("请指定领用方 / the recipient is required"))
        return data


class TransferForm(PickForm):
    destination: forms.ModelChoiceField = forms.ModelChoiceField(label=_("调入库点"), queryset=None)

    field_order = ["item", "quantity", "destination", "batch", "fefo_reason", "note"]

    def __init__(self, *args: Any, destinations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination"].queryset = destinations  # type: ignore[attr-defined]


class WriteOffForm(forms.Form):
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=10**9)
    reason = forms.ChoiceField(label=_("报损原因"), choices=WriteOffReason.choices)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲正原因"), max_length=200)


class LedgerFilterForm(forms.Form):
    start = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部"))] + MoveKind.choices
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise ValidationError(_("起始日期不能晚于截止日期 / the period starts after it ends"))
        return data
