"""The resident API of reports (`/api/my/check-ins/`, `/api/my/arrivals/`, `/api/my/self-tests/`)
and the staff's self-tests of their area (`/api/residents/self-tests/`). A member named in a body
that is not of the resident's household answers 404, as on the pages."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.core.api import IdField, ScopedViewSet
from wangge.core.origin import Origin
from wangge.measures.models import ArrivalReport, Symptom
from wangge.measures.services import ClientIdConflict
from wangge.measures.services.risk_areas import Origin as Place
from wangge.residents import report_selectors, selectors, services
from wangge.residents.api.base import ResidentViewSet
from wangge.residents.models import ArrivalFiling, SelfTest
from wangge.residents.services.reports import reading

CONFLICT = inline_serializer(
    "ResidentCheckInConflict",
    {
        "code": serializers.CharField(),
        "client_id": serializers.ListField(child=serializers.CharField()),
    },
)


class SlotSerializer(serializers.Serializer):
    due_at = serializers.DateTimeField()
    status = serializers.CharField()


class MemberCheckInsSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.name")
    measure = serializers.IntegerField(source="measure.pk")
    measure_type = serializers.CharField(source="measure.measure_type.name")
    slots = SlotSerializer(many=True)
    due = serializers.BooleanField(source="due_now", help_text="现在打卡计入一个待打卡时段")


class MyCheckInWriteSerializer(serializers.Serializer):
    person = IdField(help_text="家庭成员编号 / the member's id")
    temperature = serializers.CharField(max_length=8, help_text="体温，如 36.5")
    symptoms = serializers.ListField(
        child=serializers.ChoiceField(choices=Symptom.choices), required=False, default=list
    )
    symptoms_other = serializers.CharField(max_length=200, allow_blank=True, default="")
    client_id = serializers.CharField(max_length=64, help_text="客户端生成的唯一编号；重发只存一次")


class MyCheckInSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    measure = serializers.IntegerField(source="measure_id")
    temperature = serializers.DecimalField(max_digits=3, decimal_places=1)
    symptoms = serializers.ListField(child=serializers.CharField())
    flagged = serializers.BooleanField()
    client_id = serializers.CharField()
    at = serializers.DateTimeField()


class MyCheckInViewSet(ResidentViewSet):
    """打卡: the household's members under a measure with today's slots; POST a check-in."""

    pagination_class = None  # the household's own rows: a plain array

    serializer_class = MemberCheckInsSerializer

    @extend_schema(responses=MemberCheckInsSerializer(many=True))
    def list(self, request: Request) -> Response:
        rows = report_selectors.checkins_today(self.account)
        for row in rows:
            row.due_now = row.due is not None  # type: ignore[attr-defined]
        return Response(MemberCheckInsSerializer(rows, many=True).data)

    @extend_schema(
        request=MyCheckInWriteSerializer,
        responses={201: MyCheckInSerializer, 200: MyCheckInSerializer, 409: CONFLICT},
    )
    def create(self, request: Request) -> Response:
        given = self.given(MyCheckInWriteSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        person = selectors.member_or_404(self.account, data["person"])
        try:
            checkin, created = services.checkin_file(
                account=self.account,
                person=person,
                origin=Origin.from_request(request),
                **reading(data),
            )
        except ClientIdConflict as conflict:
            body = {"code": conflict.error_code, **conflict.message_dict}
            return Response(body, status=status.HTTP_409_CONFLICT)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(MyCheckInSerializer(checkin).data, status=code)


class MyArrivalWriteSerializer(serializers.Serializer):
    person = IdField(help_text="家庭成员编号 / the member's id")
    origin_province = serializers.CharField(max_length=30)
    origin_city = serializers.CharField(max_length=30, allow_blank=True, default="")
    origin_district = serializers.CharField(max_length=30, allow_blank=True, default="")
    origin_street = serializers.CharField(max_length=50, allow_blank=True, default="")
    origin_code = serializers.CharField(max_length=12, allow_blank=True, default="")
    departed_on = serializers.DateField()
    arrived_at = serializers.DateTimeField()
    transport = serializers.ChoiceField(choices=ArrivalReport.Transport.choices)
    transport_detail = serializers.CharField(max_length=50, allow_blank=True, default="")
    route = serializers.CharField(max_length=300, allow_blank=True, default="")
    test_result = serializers.ChoiceField(
        choices=[("", "—"), *ArrivalReport.TestResult.choices], allow_blank=True, default=""
    )
    test_on = serializers.DateField(required=False, allow_null=True, default=None)


class ArrivalFilingSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")
    origin = serializers.CharField(source="report.origin_label")
    arrived_at = serializers.DateTimeField(source="report.arrived_at")
    status = serializers.CharField(source="report.status")
    proposed = serializers.CharField(source="report.proposed_type.name", default="")
    report = serializers.IntegerField(source="report_id")

    class Meta:
        model = ArrivalFiling
        fields = [
            "id",
            "person",
            "name",
            "proxy",
            "report",
            "origin",
            "arrived_at",
            "status",
            "proposed",
            "created_at",
        ]
        read_only_fields = fields


class MyArrivalViewSet(ResidentViewSet):
    """返乡报备 of the household's members: list, and POST one (for oneself or 代办)."""

    pagination_class = None  # the household's own rows: a plain array

    serializer_class = ArrivalFilingSerializer

    @extend_schema(responses=ArrivalFilingSerializer(many=True))
    def list(self, request: Request) -> Response:
        filings = ArrivalFiling.objects.filter(person__in=selectors.members(self.account))
        rows = filings.select_related("person", "report__proposed_type")[:100]
        return Response(ArrivalFilingSerializer(rows, many=True).data)

    @extend_schema(request=MyArrivalWriteSerializer, responses={201: ArrivalFilingSerializer})
    def create(self, request: Request) -> Response:
        given = self.given(MyArrivalWriteSerializer)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        person = selectors.member_or_404(self.account, data.pop("person"))
        place = Place(
            province=data.pop("origin_province"),
            city=data.pop("origin_city"),
            district=data.pop("origin_district"),
            street=data.pop("origin_street"),
            code=data.pop("origin_code"),
        )
        filing = services.arrival_file(
            account=self.account,
            person=person,
            data=services.ArrivalInput(origin=place, **data),
            origin=Origin.from_request(request),
        )
        return Response(ArrivalFilingSerializer(filing).data, status=status.HTTP_201_CREATED)


class SelfTestWriteSerializer(serializers.Serializer):
    person = IdField(help_text="家庭成员编号 / the member's id")
    result = serializers.ChoiceField(choices=SelfTest.Result.choices)
    tested_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    photo = serializers.FileField(help_text="检测卡照片（JPEG、PNG、HEIC）")
    client_id = serializers.CharField(max_length=64, help_text="客户端生成的唯一编号；重发只存一次")


class SelfTestSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")

    class Meta:
        model = SelfTest
        fields = [
            "id",
            "person",
            "name",
            "proxy",
            "result",
            "tested_at",
            "client_id",
            "event",
            "created_at",
        ]
        read_only_fields = fields


class MySelfTestViewSet(ResidentViewSet):
    """抗原自测 of the household's members: list, and POST one with its photo (multipart)."""

    pagination_class = None  # the household's own rows: a plain array

    serializer_class = SelfTestSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=SelfTestSerializer(many=True))
    def list(self, request: Request) -> Response:
        tests = SelfTest.objects.filter(person__in=selectors.members(self.account))
        return Response(SelfTestSerializer(tests.select_related("person")[:100], many=True).data)

    @extend_schema(
        request={"multipart/form-data": SelfTestWriteSerializer},
        responses={201: SelfTestSerializer, 200: SelfTestSerializer},
    )
    def create(self, request: Request) -> Response:
        given = self.given(SelfTestWriteSerializer)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        person = selectors.member_or_404(self.account, data.pop("person"))
        test, created = services.self_test_record(
            account=self.account,
            person=person,
            data=services.SelfTestInput(**data),
            origin=Origin.from_request(request),
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(SelfTestSerializer(test).data, status=code)


class StaffSelfTestSerializer(SelfTestSerializer):
    household = serializers.CharField(source="person.household", default="")
    reported_by = serializers.CharField(source="account.label")

    class Meta(SelfTestSerializer.Meta):
        fields = [*SelfTestSerializer.Meta.fields, "household", "reported_by"]
        read_only_fields = fields


RESULT = OpenApiParameter(
    "result", OpenApiTypes.STR, enum=SelfTest.Result.values, description="结果 / result"
)


class SelfTestViewSet(ScopedViewSet):
    """居民抗原自测 of the staff member's area (`?result=positive`)."""

    model = SelfTest
    serializer_class = StaffSelfTestSerializer
    select_related = ("person__household__building__compound", "account")

    def get_queryset(self) -> QuerySet:
        tests = super().get_queryset()
        result = self.request.query_params.get("result", "") if self.request else ""
        if not result:
            return tests
        if result not in SelfTest.Result.values:
            raise exceptions.ValidationError(
                {"result": ["应为 negative、positive 或 invalid / negative, positive or invalid"]}
            )
        return tests.filter(result=result)

    @extend_schema(parameters=[RESULT])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)
