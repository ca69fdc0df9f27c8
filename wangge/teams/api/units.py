"""共建单位 over the API: the units one may see, each with the buildings it holds today (people.
Assignment rows of duty COBUILDING) and its responsibility letters. The contact's phone is masked.
`?community=` narrows the list."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from wangge.core.api import QueryFilter, ScopedViewSet
from wangge.teams.models import CobuildingUnit, ResponsibilityLetter
from wangge.teams.selectors.duties import unit_buildings, units_for

UnitBuilding = inline_serializer(
    "CobuildingUnitBuilding",
    {
        "assignment": serializers.IntegerField(),
        "building": serializers.IntegerField(),
        "name": serializers.CharField(),
        "community": serializers.CharField(),
        "started": serializers.DateField(),
    },
    many=True,
)


class ResponsibilityLetterSerializer(serializers.ModelSerializer):
    has_scan = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = ResponsibilityLetter
        fields = ["id", "signed_on", "valid_until", "commitments", "has_scan", "pdf"]
        read_only_fields = fields

    def get_has_scan(self, letter: ResponsibilityLetter) -> bool:
        return bool(letter.scan)

    def get_pdf(self, letter: ResponsibilityLetter) -> str:
        return reverse("teams:letter_pdf", args=[letter.pk])


class CobuildingUnitSerializer(serializers.ModelSerializer):
    buildings = serializers.SerializerMethodField()
    letters = ResponsibilityLetterSerializer(many=True, read_only=True)

    class Meta:
        model = CobuildingUnit
        fields = [
            "id",
            "street",
            "community",
            "name",
            "uscc",
            "kind",
            "contact_name",
            "contact_phone_masked",
            "team",
            "note",
            "buildings",
            "letters",
        ]
        read_only_fields = fields

    @extend_schema_field(UnitBuilding)
    def get_buildings(self, unit: CobuildingUnit) -> list[dict[str, Any]]:
        return [
            {
                "assignment": row.pk,
                "building": row.building_id,
                "name": str(row.building),
                "community": row.building.grid.community.name,
                "started": row.started,
            }
            for row in unit_buildings(unit)
            if row.building is not None
        ]


class CobuildingUnitViewSet(ScopedViewSet):
    model = CobuildingUnit
    serializer_class = CobuildingUnitSerializer
    query_filters = (QueryFilter("community", ("community",), "社区编号 / community id"),)

    def get_queryset(self) -> QuerySet:
        return units_for(self.request.user).prefetch_related("letters").order_by("name", "pk")
