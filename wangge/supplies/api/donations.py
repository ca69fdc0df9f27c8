"""捐赠 over the API: `/api/supplies/donations/` lists the donations of the caller's area (a
community sees those received at its own places), reads one with its lines and what it was issued
to, and registers one through `donation_register` (the place needs EDIT, the items are the
street's)."""

from dataclasses import asdict
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import IdField, QueryFilter, ScopedViewSet
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.supplies.models import Donation, DonorKind, Item, MoveKind, Place, StockMove
from wangge.supplies.services.donations import donation_register, donation_use


class DonationAmountSerializer(serializers.Serializer):
    item = serializers.CharField()
    quantity = serializers.IntegerField()
    unit = serializers.CharField()


class DonationRecipientSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField(source="label", help_text="卡点、队伍的名称；居民家庭只计户数")
    households = serializers.IntegerField(help_text="居民家庭户数（只计数，不列姓名地址）")
    amounts = DonationAmountSerializer(many=True)


class DonationUseSerializer(serializers.Serializer):
    given = DonationAmountSerializer(many=True)
    recipients = DonationRecipientSerializer(many=True)
    in_stock = DonationAmountSerializer(many=True)
    written_off = DonationAmountSerializer(many=True)


class DonationLineSerializer(serializers.ModelSerializer):
    batch = serializers.IntegerField(source="batch_id")
    lot = serializers.CharField(source="batch.lot")
    expiry = serializers.DateField(source="batch.expiry", allow_null=True)
    quantity = serializers.IntegerField(source="change")

    class Meta:
        model = StockMove
        fields = ["batch", "item", "quantity", "lot", "expiry"]
        read_only_fields = fields


class DonationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Donation
        fields = [
            "id",
            "street",
            "community",
            "place",
            "receipt_no",
            "donor_name",
            "donor_kind",
            "phone_masked",
            "public",
            "received_at",
            "note",
        ]
        read_only_fields = fields


class DonationDetailSerializer(DonationSerializer):
    lines = serializers.SerializerMethodField()
    use = serializers.SerializerMethodField()

    class Meta(DonationSerializer.Meta):
        fields = [*DonationSerializer.Meta.fields, "lines", "use"]
        read_only_fields = fields

    @extend_schema_field(DonationLineSerializer(many=True))
    def get_lines(self, donation: Donation) -> Any:
        lines = StockMove.objects.filter(batch__donation=donation, kind=MoveKind.DONATION)
        return DonationLineSerializer(lines.select_related("batch").order_by("pk"), many=True).data

    @extend_schema_field(DonationUseSerializer)
    def get_use(self, donation: Donation) -> dict[str, Any]:
        return asdict(donation_use(donation))


class DonationLineWriteSerializer(serializers.Serializer):
    item = IdField(help_text="物资编号")
    quantity = serializers.IntegerField(min_value=1, max_value=10_000_000)
    lot = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    expiry = serializers.DateField(required=False, allow_null=True, default=None)


class DonationWriteSerializer(serializers.Serializer):
    place = IdField(help_text="入库库点编号")
    receipt_no = serializers.CharField(max_length=40)
    donor_name = serializers.CharField(max_length=80)
    donor_kind = serializers.ChoiceField(choices=DonorKind.choices)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    public = serializers.BooleanField(required=False, default=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    lines = serializers.ListField(child=DonationLineWriteSerializer(), min_length=1, max_length=50)


def _row(queryset: QuerySet, pk: int, field: str) -> Any:
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise exceptions.ValidationError({field: ["无此编号 / no such id in your area"]})
    return row


class DonationViewSet(mixins.CreateModelMixin, ScopedViewSet):
    model = Donation
    serializer_class = DonationSerializer
    query_filters = (
        QueryFilter("place", ("place",), "入库库点编号 / place id"),
        QueryFilter("community", ("community",), "社区编号 / community id"),
    )

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "retrieve":
            return DonationDetailSerializer
        return DonationSerializer

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().order_by("-received_at", "-pk")

    @extend_schema(request=DonationWriteSerializer, responses={201: DonationDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.given(DonationWriteSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = api_user(request)
        place = _row(Place.objects.restrict(user, Action.VIEW), data["place"], "place")
        items = Item.objects.restrict(user, Action.VIEW)
        lines = [
            (_row(items, line["item"], "lines"), line["quantity"], line["lot"], line["expiry"])
            for line in data["lines"]
        ]
        donation = donation_register(
            by=user,
            place=place,
            receipt_no=data["receipt_no"],
            donor_name=data["donor_name"],
            donor_kind=data["donor_kind"],
            phone=data["phone"],
            public=data["public"],
            note=data["note"],
            lines=lines,
            origin=Origin.from_request(request),
        )
        return Response(DonationDetailSerializer(donation).data, status=status.HTTP_201_CREATED)
