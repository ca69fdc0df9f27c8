"""The registry's areas and dwellings over the REST API, scoped like the UI (see docs/api.md).

Here rather than in `regions` because a household's landlord is a person: people is the lowest
floor that reads both."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.core.api import QueryFilter, ScopedPrimaryKeyField, ScopedViewSet
from wangge.core.origin import Origin
from wangge.people.models import Person
from wangge.people.services import household_update
from wangge.regions.models import Building, Community, Compound, Grid, Household


class CommunitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = ["id", "street", "name", "kind", "code"]


class GridSerializer(serializers.ModelSerializer):
    class Meta:
        model = Grid
        fields = ["id", "community", "parent", "name"]


class CompoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Compound
        fields = ["id", "community", "name", "address"]


class BuildingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Building
        fields = ["id", "compound", "grid", "name", "units", "floors"]


class HouseholdSerializer(serializers.ModelSerializer):
    address = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "building",
            "grid",
            "unit",
            "floor",
            "room",
            "address",
            "kind",
            "landlord",
            "note",
            "updated_at",
        ]


class HouseholdUpdateSerializer(serializers.Serializer):
    """What an API client may change on a household: its kind, its landlord, its note."""

    kind = serializers.ChoiceField(choices=Household.Kind.choices, required=False)
    landlord = ScopedPrimaryKeyField(queryset=Person.objects.all(), allow_null=True, required=False)
    note = serializers.CharField(max_length=200, allow_blank=True, required=False)


def _grid_filter(path: str) -> QueryFilter:
    return QueryFilter(
        "grid",
        (path, f"{path}__parent"),
        "网格编号（大网格含其小网格）/ grid id (a big grid includes its small grids)",
    )


class CommunityViewSet(ScopedViewSet):
    """社区/村 that the caller may see."""

    model = Community
    serializer_class = CommunitySerializer
    query_filters = (QueryFilter("street", ("street",), "街道编号 / street id"),)


class GridViewSet(ScopedViewSet):
    """网格 that the caller may see (a grid worker: their grids and the small grids inside)."""

    model = Grid
    serializer_class = GridSerializer
    query_filters = (
        QueryFilter("community", ("community",), "社区编号 / community id"),
        QueryFilter("parent", ("parent",), "上级网格编号 / id of the big grid"),
    )


class CompoundViewSet(ScopedViewSet):
    """小区/楼院 with at least one building the caller may see."""

    model = Compound
    serializer_class = CompoundSerializer
    query_filters = (QueryFilter("community", ("community",), "社区编号 / community id"),)


class BuildingViewSet(ScopedViewSet):
    """楼栋 of the caller's grids."""

    model = Building
    serializer_class = BuildingSerializer
    query_filters = (
        QueryFilter("compound", ("compound",), "小区编号 / compound id"),
        _grid_filter("grid"),
    )


class HouseholdViewSet(ScopedViewSet):
    """户 of the caller's grids; kind, landlord and note can be changed (PATCH)."""

    model = Household
    serializer_class = HouseholdSerializer
    select_related = ("building__compound",)
    query_filters = (
        QueryFilter("building", ("building",), "楼栋编号 / building id"),
        _grid_filter("grid"),
        QueryFilter("kind", ("kind",), "户类型 / household kind", str, Household.Kind.values),
    )

    @extend_schema(request=HouseholdUpdateSerializer, responses=HouseholdSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        household = self.get_object()
        given = self.given(HouseholdUpdateSerializer)
        given.is_valid(raise_exception=True)
        values = {
            "kind": household.kind,
            "landlord": household.landlord,
            "note": household.note,
            **given.validated_data,
        }
        household = household_update(
            by=request.user, household=household, origin=Origin.from_request(request), **values
        )
        return Response(self.get_serializer(household).data)
