"""五色 and 三区 over the REST API (docs/api.md): household colours (read, history, counts), manual
colours, control zones and area risk colours. Scoped like the UI; writes call the same services."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.colours.area_colours import area_colour_end, area_colour_set
from wangge.colours.markers import household_markers
from wangge.colours.overrides import colour_override_lift, colour_override_set
from wangge.colours.selectors import colour_counts
from wangge.colours.zones import zone_declare, zone_lift
from wangge.core.api import QueryFilter, ScopedPrimaryKeyField, ScopedViewSet
from wangge.core.origin import Origin
from wangge.regions.choices import AreaRiskColour, HouseholdColour, ZoneKind
from wangge.regions.models import (
    AreaColour,
    Building,
    Compound,
    Grid,
    Household,
    HouseholdColourChange,
    HouseholdColourOverride,
    Street,
    Zone,
)


class HouseholdColourSerializer(serializers.ModelSerializer):
    address = serializers.CharField(source="__str__", read_only=True)
    markers = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["id", "building", "grid", "address", "colour", "markers"]

    def get_markers(self, household: Household) -> list[str]:
        return self.context.get("markers", {}).get(household.pk, [])


class ColourChangeSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", default=None, read_only=True)

    class Meta:
        model = HouseholdColourChange
        fields = ["at", "old", "new", "reason", "by"]


class OverrideSerializer(serializers.ModelSerializer):
    class Meta:
        model = HouseholdColourOverride
        fields = [
            "id",
            "household",
            "colour",
            "reason",
            "set_by",
            "set_at",
            "expires_at",
            "ended_at",
            "end_kind",
            "end_reason",
        ]
        read_only_fields = fields


class OverrideWriteSerializer(serializers.Serializer):
    household = ScopedPrimaryKeyField(queryset=Household.objects.all())
    colour = serializers.ChoiceField(choices=HouseholdColour.choices)
    reason = serializers.CharField(max_length=300)
    expires_at = serializers.DateTimeField()


class LiftReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ZoneSerializer(serializers.ModelSerializer):
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = Zone
        fields = [
            "id",
            "street",
            "kind",
            "name",
            "compounds",
            "buildings",
            "starts_at",
            "planned_end",
            "reason",
            "declared_by",
            "declared_at",
            "lifted_at",
            "lifted_by",
            "lift_reason",
            "in_force",
        ]
        read_only_fields = fields

    def get_in_force(self, zone: Zone) -> bool:
        return zone.in_force()


class ZoneWriteSerializer(serializers.Serializer):
    street = ScopedPrimaryKeyField(queryset=Street.objects.all())
    kind = serializers.ChoiceField(choices=ZoneKind.choices)
    name = serializers.CharField(max_length=80)
    reason = serializers.CharField(max_length=500)
    compounds = ScopedPrimaryKeyField(queryset=Compound.objects.all(), many=True, required=False)
    buildings = ScopedPrimaryKeyField(queryset=Building.objects.all(), many=True, required=False)
    starts_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    planned_end = serializers.DateTimeField(required=False, allow_null=True, default=None)


class AreaColourSerializer(serializers.ModelSerializer):
    class Meta:
        model = AreaColour
        fields = [
            "id",
            "grid",
            "compound",
            "colour",
            "criteria",
            "set_on",
            "set_by",
            "set_at",
            "ended_at",
        ]
        read_only_fields = fields


class AreaColourWriteSerializer(serializers.Serializer):
    grid = ScopedPrimaryKeyField(queryset=Grid.objects.all(), required=False, allow_null=True)
    compound = ScopedPrimaryKeyField(
        queryset=Compound.objects.all(), required=False, allow_null=True
    )
    colour = serializers.ChoiceField(choices=AreaRiskColour.choices)
    criteria = serializers.CharField(max_length=500)
    set_on = serializers.DateField(required=False, allow_null=True, default=None)


COUNT_LEVELS = {
    "community": "grid__community",
    "grid": "grid",
    "compound": "building__compound",
    "building": "building",
}


def _grid_filter(path: str) -> QueryFilter:
    return QueryFilter(
        "grid", (path, f"{path}__parent"), "网格编号（含小网格）/ grid id (with its small grids)"
    )


class ColourCountSerializer(serializers.Serializer):
    """Households per colour in one area of the level counted by (`id`: that area's id)."""

    id = serializers.IntegerField(allow_null=True)
    red = serializers.IntegerField()
    orange = serializers.IntegerField()
    yellow = serializers.IntegerField()
    green = serializers.IntegerField()
    white = serializers.IntegerField()


class HouseholdColourViewSet(ScopedViewSet):
    """户色: each household's colour and markers; its history; counts per colour by area."""

    model = Household
    serializer_class = HouseholdColourSerializer
    select_related = ("building__compound",)
    query_filters = (
        QueryFilter("colour", ("colour",), "户色 / colour", str, HouseholdColour.values),
        QueryFilter("building", ("building",), "楼栋编号 / building id"),
        QueryFilter("compound", ("building__compound",), "小区编号 / compound id"),
        _grid_filter("grid"),
    )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["markers"] = getattr(self, "_markers", {})
        return context

    def paginate_queryset(self, queryset: QuerySet) -> list | None:
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        self._markers = household_markers(Household.objects.filter(pk__in=[h.pk for h in rows]))
        return page

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        household = self.get_object()
        self._markers = household_markers(Household.objects.filter(pk=household.pk))
        return Response(self.get_serializer(household).data)

    @extend_schema(responses=ColourChangeSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request: Request, pk: str | None = None) -> Response:
        """Every change of the household's colour, newest first."""
        changes = self.get_object().colour_changes.select_related("by")[:200]
        return Response(ColourChangeSerializer(changes, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "by",
                str,
                enum=list(COUNT_LEVELS),
                description="按哪一级统计 / the level to count by (default community)",
            )
        ],
        responses=ColourCountSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def counts(self, request: Request) -> Response:
        """Households per colour for each area of a level, within the caller's scope (and the
        list's filters): `[{"id": 3, "red": 1, "orange": 0, …}]`."""
        level = request.query_params.get("by", "community")
        if level not in COUNT_LEVELS:
            raise exceptions.ValidationError(
                {"by": [f"取值应为 / must be one of: {list(COUNT_LEVELS)}"]}
            )
        households = self.filter_queryset(self.get_queryset())
        counts = colour_counts(households, COUNT_LEVELS[level])
        return Response([{"id": key, **by_colour} for key, by_colour in sorted(counts.items())])


class OverrideViewSet(ScopedViewSet):
    """人工户色: list them; POST sets one (community or street staff); POST …/lift/ ends it."""

    model = HouseholdColourOverride
    serializer_class = OverrideSerializer
    query_filters = (
        QueryFilter("household", ("household",), "户编号 / household id"),
        QueryFilter(
            "open", ("ended_at__isnull",), "未结束 / not ended (true/false)", lambda v: v == "true"
        ),
    )

    @extend_schema(request=OverrideWriteSerializer, responses={201: OverrideSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(OverrideWriteSerializer)
        given.is_valid(raise_exception=True)
        override = colour_override_set(
            by=request.user, origin=Origin.from_request(request), **given.validated_data
        )
        return Response(OverrideSerializer(override).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LiftReasonSerializer, responses=OverrideSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request: Request, pk: str | None = None) -> Response:
        given = self.given(LiftReasonSerializer)
        given.is_valid(raise_exception=True)
        override = colour_override_lift(
            by=request.user,
            override=self.get_object(),
            origin=Origin.from_request(request),
            **given.validated_data,
        )
        return Response(OverrideSerializer(override).data)


class ZoneViewSet(ScopedViewSet):
    """三区: zones over the caller's areas; POST declares one and POST …/lift/ lifts it (the
    street command only)."""

    model = Zone
    serializer_class = ZoneSerializer
    query_filters = (
        QueryFilter("kind", ("kind",), "类别 / kind", str, ZoneKind.values),
        QueryFilter(
            "lifted",
            ("lifted_at__isnull",),
            "已解除 true / 未解除 false / lifted (true/false)",
            lambda v: v != "true",
        ),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("compounds", "buildings")

    @extend_schema(request=ZoneWriteSerializer, responses={201: ZoneSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(ZoneWriteSerializer)
        given.is_valid(raise_exception=True)
        zone = zone_declare(
            by=request.user, origin=Origin.from_request(request), **given.validated_data
        )
        return Response(ZoneSerializer(zone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LiftReasonSerializer, responses=ZoneSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request: Request, pk: str | None = None) -> Response:
        given = self.given(LiftReasonSerializer)
        given.is_valid(raise_exception=True)
        zone = zone_lift(
            by=request.user,
            zone=self.get_object(),
            origin=Origin.from_request(request),
            **given.validated_data,
        )
        return Response(ZoneSerializer(zone).data)


class AreaColourViewSet(ScopedViewSet):
    """区域风险颜色 of grids and compounds; POST sets one (the street command), POST …/end/
    ends it. `?current=true` lists the colours in force."""

    model = AreaColour
    serializer_class = AreaColourSerializer
    query_filters = (
        QueryFilter(
            "current",
            ("ended_at__isnull",),
            "当前有效 / current (true/false)",
            lambda v: v == "true",
        ),
        QueryFilter("colour", ("colour",), "颜色 / colour", str),
        QueryFilter("grid", ("grid",), "网格编号 / grid id"),
        QueryFilter("compound", ("compound",), "小区编号 / compound id"),
    )

    @extend_schema(request=AreaColourWriteSerializer, responses={201: AreaColourSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(AreaColourWriteSerializer)
        given.is_valid(raise_exception=True)
        area_colour = area_colour_set(
            by=request.user, origin=Origin.from_request(request), **given.validated_data
        )
        return Response(AreaColourSerializer(area_colour).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AreaColourSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        area_colour = area_colour_end(
            by=request.user, area_colour=self.get_object(), origin=Origin.from_request(request)
        )
        return Response(AreaColourSerializer(area_colour).data)
