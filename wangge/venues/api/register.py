"""Venues and their kinds. Lists are scoped like the register pages (VIEW and the inspector's
areas); creating and changing a venue needs EDIT on its grid. Phones are masked."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import QueryFilter, ScopedViewSet
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.regions.models import Grid
from wangge.venues.models import Venue, VenueKind, VenueStatus
from wangge.venues.selectors.register import venues_for
from wangge.venues.services.register import VenueData, venue_create, venue_update


class VenueKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = VenueKind
        fields = ["id", "name", "synonyms", "order"]


class VenueSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    community = serializers.IntegerField(source="grid.community_id", read_only=True)
    community_name = serializers.CharField(source="grid.community.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)

    class Meta:
        model = Venue
        fields = [
            "id",
            "name",
            "kind",
            "kind_name",
            "community",
            "community_name",
            "grid",
            "grid_name",
            "address",
            "uscc",
            "responsible_name",
            "responsible_phone_masked",
            "status",
            "status_since",
            "staff_count",
            "latitude",
            "longitude",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class VenueWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.PrimaryKeyRelatedField(queryset=VenueKind.objects.all())
    grid = serializers.PrimaryKeyRelatedField(queryset=Grid.objects.all())
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    uscc = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    responsible_name = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    responsible_phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    staff_count = serializers.IntegerField(min_value=0, required=False, default=0)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
    )

    def validate_grid(self, grid: Grid) -> Grid:
        user = self.context["request"].user
        if not Grid.objects.restrict(user, Action.EDIT).filter(pk=grid.pk).exists():
            raise serializers.ValidationError(
                "无权在该网格登记场所 / you may not register venues in this grid"
            )
        return grid

    def data_object(self) -> VenueData:
        return VenueData(**self.validated_data)


def _current(venue: Venue) -> dict[str, Any]:
    """The venue as the write serializer reads it, for a PATCH that names only some fields."""
    return {
        "name": venue.name,
        "kind": venue.kind_id,
        "grid": venue.grid_id,
        "address": venue.address,
        "uscc": venue.uscc,
        "responsible_name": venue.responsible_name,
        "responsible_phone": venue.responsible_phone,
        "staff_count": venue.staff_count,
        "latitude": venue.latitude,
        "longitude": venue.longitude,
    }


class VenueKindViewSet(viewsets.ReadOnlyModelViewSet):
    """场所类别 with their synonyms (the import also reads these)."""

    queryset = VenueKind.objects.all()
    serializer_class = VenueKindSerializer
    pagination_class = None


class VenueViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedViewSet):
    """场所 in the caller's area. POST registers one; PUT/PATCH change one (EDIT on its grid)."""

    model = Venue
    serializer_class = VenueSerializer
    select_related = ("kind", "grid__community")
    query_filters = (
        QueryFilter("grid", ("grid",), "网格编号 / grid id"),
        QueryFilter("community", ("grid__community",), "社区编号 / community id"),
        QueryFilter("kind", ("kind",), "类别编号 / kind id"),
        QueryFilter("status", ("status",), "状态 / status", str, VenueStatus.values),
        QueryFilter("uscc", ("uscc",), "统一社会信用代码 / USCC", str),
    )

    def get_queryset(self) -> Any:
        return venues_for(self.request.user).order_by("pk")

    @extend_schema(request=VenueWriteSerializer, responses={201: VenueSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = self.given(VenueWriteSerializer)
        given.is_valid(raise_exception=True)
        venue = venue_create(
            by=api_user(request),
            data=given.data_object(),  # type: ignore[attr-defined]  # VenueWriteSerializer
            origin=Origin.from_request(request),
        )
        return Response(self._shown(venue), status=status.HTTP_201_CREATED)

    @extend_schema(request=VenueWriteSerializer, responses={200: VenueSerializer})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        venue = get_object_or_404(venues_for(request.user, Action.EDIT), pk=kwargs["pk"])
        current = _current(venue) if kwargs.get("partial", False) else {}
        given = VenueWriteSerializer(
            data={**current, **request.data.dict()}
            if hasattr(request.data, "dict")
            else {**current, **request.data},
            context=self.get_serializer_context(),
        )
        given.is_valid(raise_exception=True)
        venue = venue_update(
            by=api_user(request),
            venue_id=venue.pk,
            data=given.data_object(),
            origin=Origin.from_request(request),
        )
        return Response(self._shown(venue))

    def _shown(self, venue: Venue) -> dict[str, Any]:
        return VenueSerializer(venues_for(self.request.user).get(pk=venue.pk)).data
