"""Rounds over the API: list, read, create; a round's coverage, its untested list and marks."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import Pagination, ScopedPrimaryKeyField, ScopedViewSet, integer_id
from wangge.core.origin import Origin
from wangge.people.models import Person
from wangge.regions.models import Community, Grid, Street
from wangge.testing import services
from wangge.testing.models import NucleicRound, RoundMark, SamplingSite
from wangge.testing.selectors.coverage import LEVELS, coverage_total, round_coverage, untested


class SiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = SamplingSite
        fields = ["id", "name", "address", "capacity_per_hour", "community"]


class RoundSerializer(serializers.ModelSerializer):
    sites = SiteSerializer(many=True, read_only=True)

    class Meta:
        model = NucleicRound
        fields = [
            "id",
            "street",
            "name",
            "scope",
            "communities",
            "grids",
            "starts_at",
            "ends_at",
            "min_age",
            "note",
            "sites",
            "created_at",
        ]


class RoundWriteSerializer(serializers.Serializer):
    street = ScopedPrimaryKeyField(queryset=Street.objects.all())
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(
        choices=NucleicRound.Scope.choices, default=NucleicRound.Scope.STREET
    )
    communities = ScopedPrimaryKeyField(queryset=Community.objects.all(), many=True, default=list)
    grids = ScopedPrimaryKeyField(queryset=Grid.objects.all(), many=True, default=list)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    min_age = serializers.IntegerField(min_value=0, max_value=120, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, allow_blank=True, default="")


class CoverageRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label
    target = serializers.IntegerField()
    tested = serializers.IntegerField()
    untested = serializers.IntegerField()
    percent = serializers.FloatField()


class CoverageSerializer(serializers.Serializer):
    level = serializers.CharField()
    total = CoverageRowSerializer()
    rows = CoverageRowSerializer(many=True)


class UntestedSerializer(serializers.ModelSerializer):
    grid = serializers.IntegerField(source="household.grid_id", read_only=True)
    address = serializers.CharField(source="household", read_only=True)
    mark = serializers.CharField(source="mark_kind", allow_null=True, read_only=True)
    mark_note = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_number_masked",
            "phone_masked",
            "grid",
            "address",
            "mark",
            "mark_note",
        ]


class MarkSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyField(queryset=Person.objects.all())
    kind = serializers.ChoiceField(choices=RoundMark.Kind.choices)
    note = serializers.CharField(max_length=200, allow_blank=True, default="")


class RoundViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """核酸检测轮次 whose scope overlaps the caller's areas."""

    model = NucleicRound
    serializer_class = RoundSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related("sites", "communities", "grids")

    @extend_schema(request=RoundWriteSerializer, responses={201: RoundSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(RoundWriteSerializer)
        given.is_valid(raise_exception=True)
        round = services.round_create(
            by=api_user(request), origin=Origin.from_request(request), **given.validated_data
        )
        return Response(RoundSerializer(round).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("level", str, enum=list(LEVELS), default="grid")],
        responses=CoverageSerializer,
    )
    @action(detail=True)
    def coverage(self, request: Request, pk: str | None = None) -> Response:
        """Target, tested, untested and % by community, grid or building, counted live."""
        level = request.query_params.get("level", "grid")
        if level not in LEVELS:
            raise ValidationError({"level": [f"取值应为 / must be one of: {', '.join(LEVELS)}"]})
        rows = round_coverage(self.get_object(), api_user(request), level)
        return Response(
            {
                "level": level,
                "total": coverage_total(rows).as_dict(),
                "rows": [row.as_dict() for row in rows],
            }
        )

    @extend_schema(
        parameters=[OpenApiParameter("grid", int, description="网格编号 / grid id")],
        responses=UntestedSerializer(many=True),
    )
    @action(detail=True)
    def untested(self, request: Request, pk: str | None = None) -> Response:
        """未检人员: the target persons without a valid result yet, with their latest mark."""
        round = self.get_object()
        grid = None
        raw = request.query_params.get("grid", "")
        if raw:
            try:
                grid_id = integer_id(raw)
            except ValueError as error:
                raise ValidationError({"grid": [str(error)]}) from error
            grid = Grid.objects.restrict(request.user, "view").filter(pk=grid_id).first()
            if grid is None:
                raise NotFound()
        paginator = Pagination()
        page = paginator.paginate_queryset(
            untested(round, api_user(request), grid), request, view=self
        )
        return paginator.get_paginated_response(UntestedSerializer(page, many=True).data)

    @extend_schema(request=MarkSerializer, responses=MarkSerializer)
    @action(detail=True, methods=["post"])
    def marks(self, request: Request, pk: str | None = None) -> Response:
        """Put a mark (已通知, 外出, 卧床需上门, 拒绝, 免检) on a person for this round."""
        round = self.get_object()
        given = self.given(MarkSerializer)
        given.is_valid(raise_exception=True)
        mark = services.round_mark(
            by=api_user(request),
            round=round,
            origin=Origin.from_request(request),
            **given.validated_data,
        )
        return Response({"person": mark.person_id, "kind": mark.kind, "note": mark.note})
