"""Key groups and vaccination over the API."""

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import QueryFilter, ScopedPrimaryKeyField, ScopedViewSet, import_action
from wangge.core.origin import Origin
from wangge.core.spreadsheets import TableError
from wangge.people.models import Person
from wangge.regions.models import Community, Street
from wangge.testing.models import KeyGroup, KeyGroupMember, VaccinationDose
from wangge.testing.selectors.overdue import member_statuses, overdue_members
from wangge.testing.selectors.vaccination import coverage_by_band
from wangge.testing.services import keygroups, vaccination
from wangge.testing.services.lab.uploads import upload_path


class KeyGroupSerializer(serializers.ModelSerializer):
    street = ScopedPrimaryKeyField(queryset=Street.objects.all())
    community = ScopedPrimaryKeyField(
        queryset=Community.objects.all(), allow_null=True, default=None
    )

    class Meta:
        model = KeyGroup
        fields = ["id", "street", "community", "name", "kind", "interval_days", "venue", "note"]


class MemberWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=40, write_only=True)
    phone = serializers.CharField(max_length=30, allow_blank=True, default="", write_only=True)
    employer = serializers.CharField(max_length=100, allow_blank=True, default="")
    venue = serializers.CharField(max_length=100, allow_blank=True, default="")
    joined_on = serializers.DateField(allow_null=True, default=None)


class MemberStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="member.pk")
    group = serializers.IntegerField(source="member.group_id")
    person = serializers.IntegerField(source="member.person_id", allow_null=True)
    name = serializers.CharField(source="member.name")
    id_number_masked = serializers.CharField(source="member.id_number_masked")
    phone_masked = serializers.CharField(source="member.phone_masked")
    employer = serializers.CharField(source="member.employer")
    venue = serializers.CharField(source="member.venue")
    last_tested_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    overdue_days = serializers.IntegerField()


def _on(request: Request, name: str = "on") -> date:
    raw = request.query_params.get(name, "")
    if not raw:
        return timezone.localdate()
    day = parse_date(raw)
    if day is None:
        raise ValidationError({name: ["日期格式应为 YYYY-MM-DD / use YYYY-MM-DD"]})
    return day


class KeyGroupViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """重点人群 with their periodic testing rule; `members` lists and adds, `overdue` lists the late."""

    model = KeyGroup
    serializer_class = KeyGroupSerializer
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request) -> Response:
        given = self.given(KeyGroupSerializer)
        given.is_valid(raise_exception=True)
        group = keygroups.keygroup_create(
            by=api_user(request), origin=Origin.from_request(request), **given.validated_data
        )
        return Response(KeyGroupSerializer(group).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=MemberStatusSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=MemberWriteSerializer, responses={201: MemberStatusSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def members(self, request: Request, pk: str | None = None) -> Response:
        """The current members with their last test and due date; POST adds one."""
        group = self.get_object()
        if request.method == "POST":
            given = self.given(MemberWriteSerializer)
            given.is_valid(raise_exception=True)
            member = keygroups.member_add(
                by=api_user(request),
                group=group,
                origin=Origin.from_request(request),
                **given.validated_data,
            )
            statuses = member_statuses(KeyGroupMember.objects.filter(pk=member.pk))
            return Response(
                MemberStatusSerializer(statuses[0]).data, status=status.HTTP_201_CREATED
            )
        statuses = member_statuses(KeyGroupMember.objects.filter(group=group))
        page = self.paginate_queryset(statuses)  # type: ignore[arg-type,var-annotated]  # DRF pages a list too
        return self.get_paginated_response(MemberStatusSerializer(page, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("on", date, description="参考日期 / reference date")],
        responses=MemberStatusSerializer(many=True),
    )
    @action(detail=False)
    def overdue(self, request: Request) -> Response:
        """Members of every visible group whose periodic test is overdue."""
        page = self.paginate_queryset(overdue_members(api_user(request), _on(request)))  # type: ignore[arg-type,var-annotated]  # DRF pages a list too
        return self.get_paginated_response(MemberStatusSerializer(page, many=True).data)


class DoseSerializer(serializers.ModelSerializer):
    class Meta:
        model = VaccinationDose
        fields = [
            "id",
            "person",
            "dose_number",
            "vaccinated_on",
            "vaccine",
            "site",
            "completes_course",
        ]


class DoseWriteSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyField(queryset=Person.objects.all())
    dose_number = serializers.IntegerField(min_value=1, max_value=9)
    vaccinated_on = serializers.DateField()
    vaccine = serializers.CharField(max_length=60)
    site = serializers.CharField(max_length=100, allow_blank=True, default="")


class BandSerializer(serializers.Serializer):
    band = serializers.CharField()
    grid = serializers.IntegerField(allow_null=True)
    population = serializers.IntegerField()
    first_dose = serializers.IntegerField()
    complete = serializers.IntegerField()
    first_dose_percent = serializers.FloatField()
    complete_percent = serializers.FloatField()


class DoseViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """疫苗接种记录; `import` takes a spreadsheet, `coverage` counts by age band (and grid)."""

    model = VaccinationDose
    serializer_class = DoseSerializer
    http_method_names = ["get", "post", "head", "options"]
    query_filters = (QueryFilter("person", ("person",), "人员编号 / person id"),)

    @extend_schema(request=DoseWriteSerializer, responses={201: DoseSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(DoseWriteSerializer)
        given.is_valid(raise_exception=True)
        dose = vaccination.dose_record(
            by=api_user(request), origin=Origin.from_request(request), **given.validated_data
        )
        return Response(DoseSerializer(dose).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={201: dict},
    )
    @import_action()
    def import_file(self, request: Request) -> Response:
        """Doses from a spreadsheet; the counts and the rows not taken, by row number."""
        upload = request.data.get("file")
        if upload is None or isinstance(upload, str):
            raise ValidationError({"file": ["请上传文件 / upload a file"]})
        with upload_path(upload) as path:
            try:
                outcome = vaccination.doses_import(
                    by=api_user(request),
                    path=path,
                    original_name=upload.name,
                    origin=Origin.from_request(request),
                )
            except TableError as error:
                raise ValidationError({"file": [str(error)]}) from error
        body: dict[str, Any] = {
            **outcome.as_dict(),
            "rows": [
                {"row_number": n, "reason": r} for n, r in outcome.unmatched + outcome.rejected
            ],
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("on", date, description="参考日期 / reference date"),
            OpenApiParameter("by_grid", bool, description="按网格 / per grid"),
        ],
        responses=BandSerializer(many=True),
    )
    @action(detail=False, pagination_class=None, filter_backends=[])
    def coverage(self, request: Request) -> Response:
        """Population, first dose and complete course by age band (3–11 … 80+), optionally per grid."""
        by_grid = request.query_params.get("by_grid", "") in {"1", "true", "yes"}
        rows = coverage_by_band(api_user(request), _on(request), by_grid=by_grid)
        return Response([row.as_dict() for row in rows])
