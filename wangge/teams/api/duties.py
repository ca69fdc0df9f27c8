"""职责清单 over the API: the positions one may see (a community's to that community, the street's
to everyone in the street), each with its numbered duties and its current holders.
`?community=` and `?party=true` narrow the list."""

from django.db.models import QuerySet
from rest_framework import serializers

from wangge.core.api import QueryFilter, ScopedViewSet
from wangge.teams.models import Position, PositionDuty, PositionHolder
from wangge.teams.selectors.duties import positions_for


class PositionDutySerializer(serializers.ModelSerializer):
    class Meta:
        model = PositionDuty
        fields = ["id", "order", "text"]
        read_only_fields = fields


class PositionHolderSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    party_member = serializers.SerializerMethodField()

    class Meta:
        model = PositionHolder
        fields = ["id", "name", "user", "member", "party_member", "started", "ended"]
        read_only_fields = fields

    def get_party_member(self, holder: PositionHolder) -> bool | None:
        return holder.member.party_member if holder.member_id else None


class PositionSerializer(serializers.ModelSerializer):
    duties = PositionDutySerializer(many=True, read_only=True)
    holders = PositionHolderSerializer(many=True, read_only=True, source="current_holders")

    class Meta:
        model = Position
        fields = [
            "id",
            "street",
            "community",
            "name",
            "order",
            "is_party_post",
            "place",
            "note",
            "duties",
            "holders",
        ]
        read_only_fields = fields


def _yes(raw: str) -> bool:
    if raw not in ("true", "false"):
        raise ValueError(raw)
    return raw == "true"


class PositionViewSet(ScopedViewSet):
    model = Position
    serializer_class = PositionSerializer
    query_filters = (
        QueryFilter("community", ("community",), "社区编号 / community id"),
        QueryFilter(
            "party",
            ("is_party_post",),
            "只看党员先锋岗 / party posts only",
            parse=_yes,
            choices=("true", "false"),
        ),
    )

    def get_queryset(self) -> QuerySet:
        return positions_for(self.request.user)
