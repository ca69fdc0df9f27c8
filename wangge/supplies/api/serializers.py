"""What the stock API shows and reads: items, places, batches and ledger rows out; the bodies of
the item and place writes and of the stock moves in. Quantities are whole units of the item."""

from django.utils import timezone
from rest_framework import serializers

from wangge.core.api import IdField
from wangge.supplies.models import (
    Batch,
    BatchSource,
    Item,
    ItemCategory,
    MoveKind,
    PickingMode,
    Place,
    PlaceKind,
    RecipientKind,
    StockMove,
    WriteOffReason,
)
from wangge.supplies.services.catalogue import ITEM_FIELDS

# Far below a batch's 32-bit balance column, far above any real delivery.
MAX_QUANTITY = 100_000_000


def quantity_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=MAX_QUANTITY, help_text="数量（计量单位）/ units of the item"
    )


def text(max_length: int, help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", help_text=help_text
    )


class SupplyItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "street", *ITEM_FIELDS]
        read_only_fields = fields


class SupplyItemWriteSerializer(serializers.Serializer):
    street = IdField(required=False, help_text="街道编号（新建时必填）/ the street, to create")
    name = serializers.CharField(max_length=60)
    category = serializers.ChoiceField(choices=ItemCategory.choices)
    unit = serializers.CharField(max_length=8)
    pack_size = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, default=1)
    pack_unit = text(8)
    has_expiry = serializers.BooleanField(default=True)
    picking = serializers.ChoiceField(choices=PickingMode.choices, default=PickingMode.WARN)
    household_orderable = serializers.BooleanField(default=False)
    active = serializers.BooleanField(default=True)


class SupplyPlaceSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True, default="")
    keeper_name = serializers.CharField(source="keeper.full_name", read_only=True, default="")

    class Meta:
        model = Place
        fields = [
            "id",
            "name",
            "kind",
            "street",
            "community",
            "community_name",
            "checkpoint",
            "address",
            "keeper",
            "keeper_name",
            "active",
        ]
        read_only_fields = fields


class SupplyPlaceWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    street = IdField(required=False, help_text="街道库点的街道编号 / the street of a street place")
    community = IdField(
        required=False, allow_null=True, help_text="社区编号；留空为街道库点 / the community"
    )
    checkpoint = IdField(required=False, allow_null=True, help_text="卡点库点的卡点编号")
    address = text(120)
    keeper = IdField(required=False, allow_null=True, help_text="保管人（工作人员编号）")
    active = serializers.BooleanField(default=True)


class SupplyBatchSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True)
    expired = serializers.SerializerMethodField(help_text="已过有效期 / past its expiry")

    class Meta:
        model = Batch
        fields = [
            "id",
            "item",
            "item_name",
            "place",
            "place_name",
            "lot",
            "expiry",
            "expired",
            "source",
            "supplier",
            "donation",
            "origin",
            "received_at",
            "quantity",
        ]
        read_only_fields = fields

    def get_expired(self, batch: Batch) -> bool:
        return batch.expiry is not None and batch.expiry < timezone.localdate()


class SupplyMoveSerializer(serializers.ModelSerializer):
    lot = serializers.CharField(source="batch.lot", read_only=True)
    by_name = serializers.CharField(source="by.full_name", read_only=True, default="")

    class Meta:
        model = StockMove
        fields = [
            "id",
            "at",
            "kind",
            "place",
            "item",
            "batch",
            "lot",
            "change",
            "balance",
            "by",
            "by_name",
            "note",
            "write_off_reason",
            "fefo_reason",
            "recipient_kind",
            "recipient_label",
            "checkpoint",
            "team",
            "household",
            "need",
            "counterpart",
            "reverses",
            "count",
        ]
        read_only_fields = fields


class SupplyReceiveSerializer(serializers.Serializer):
    place = IdField()
    item = IdField()
    quantity = quantity_field()
    source = serializers.ChoiceField(  # type: ignore[assignment]  # a declared field, not Field.source
        choices=[BatchSource.PURCHASE, BatchSource.DONATION], default=BatchSource.PURCHASE
    )
    lot = text(40)
    expiry = serializers.DateField(required=False, allow_null=True, default=None)
    supplier = text(80)
    donation = IdField(required=False, allow_null=True, help_text="捐赠登记编号（捐赠入库）")
    note = text(200)


class SupplyPickSerializer(serializers.Serializer):
    """What an issue and a transfer share: the place, the item, how much, and optionally the batch
    (not the earliest-expiring one only with `fefo_reason`, when the item's picking allows it)."""

    place = IdField(help_text="出库库点 / the place stock leaves")
    item = IdField()
    quantity = quantity_field()
    batch = IdField(required=False, allow_null=True, help_text="指定批次；缺省按先到期先出")
    fefo_reason = text(200, "未按先到期先出的原因 / why not the earliest-expiring batch")
    note = text(200)


class SupplyIssueSerializer(SupplyPickSerializer):
    recipient_kind = serializers.ChoiceField(choices=RecipientKind.choices)
    recipient = IdField(
        required=False,
        allow_null=True,
        help_text="卡点、队伍或家庭的编号（按 recipient_kind）/ the checkpoint, team or household",
    )
    recipient_label = text(100, "领用方名称（其他）/ who, for kind other")


class SupplyTransferSerializer(SupplyPickSerializer):
    destination = IdField(help_text="调入库点（本街道）/ the receiving place, same street")


class SupplyWriteOffSerializer(serializers.Serializer):
    batch = IdField()
    quantity = quantity_field()
    reason = serializers.ChoiceField(choices=WriteOffReason.choices)
    note = text(200)


class SupplyReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="冲正原因 / why it is reversed")


class SupplyStockConflictSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="not_enough_stock")
    quantity = serializers.ListField(child=serializers.CharField())


MOVE_KINDS = MoveKind.values
