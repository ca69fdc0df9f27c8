"""流调 cases over the API (`/api/tracing/cases/`): the cases the caller sees, each with its
candidates counted and its last run; `{id}/run/` traces it, `{id}/named/` records a person the
case named, `{id}/named-from-list/` names the matched persons of a 协查 list,
`{id}/verification-list/` sends confirmed candidates to the grid workers as a 协查名单,
and `{id}/export/` asks for the task force's workbook. A case the caller does not see is 404; an
action they may not take, 403."""

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.command.api.verification import ExportReasonSerializer, VerificationListSerializer
from wangge.core.api import QueryFilter, ScopedViewSet, export_answer
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.shortcuts import XLSX
from wangge.measures.models import Case
from wangge.people.models import Person
from wangge.tracing.api.serializers import (
    NamedContactSerializer,
    NamedContactWriteSerializer,
    NamedFromListSerializer,
    NamedListAskSerializer,
    TracedCaseSerializer,
    TraceRunSerializer,
    TraceSerializer,
    VerificationListAskSerializer,
)
from wangge.tracing.exports import trace_export
from wangge.tracing.models import CandidateStatus
from wangge.tracing.selectors import named_lists, traced_cases, visible_candidates
from wangge.tracing.services.decisions import named_contact_add, verification_list_for
from wangge.tracing.services.named import named_from_list
from wangge.tracing.services.trace import trace_run

NO_SUCH = "无此编号 / no such id in your area"


class TraceCaseViewSet(ScopedViewSet):
    model = Case
    serializer_class = TracedCaseSerializer
    query_filters = (QueryFilter("kind", ("kind",), "病例类别 / kind", str, Case.Kind.values),)

    def get_queryset(self) -> QuerySet:
        # the schema is drawn without a signed-in user: an anonymous caller's scope holds no rows
        cases = traced_cases(self.request.user)  # type: ignore[arg-type]
        return cases.select_related("measure__measure_type")

    @extend_schema(request=TraceRunSerializer, responses={201: TraceSerializer})
    @action(detail=True, methods=["post"])
    def run(self, request: Request, pk: str | None = None) -> Response:
        """Trace the case (the street's tracing task force and command): the candidates found are
        written, decisions kept; answers the run with its counts."""
        case = self.get_object()
        given = self.given(TraceRunSerializer)
        given.is_valid(raise_exception=True)
        trace = trace_run(
            by=api_user(request),
            case=case,
            origin=Origin.from_request(request),
            **given.validated_data,
        )
        return Response(TraceSerializer(trace).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NamedContactWriteSerializer, responses={201: NamedContactSerializer})
    @action(detail=True, methods=["post"])
    def named(self, request: Request, pk: str | None = None) -> Response:
        """Record a person the case named (a candidate at the next run)."""
        case = self.get_object()
        given = self.given(NamedContactWriteSerializer)
        given.is_valid(raise_exception=True)
        user = api_user(request)
        data = given.validated_data
        person = Person.objects.restrict(user, Action.VIEW).filter(pk=data["person"]).first()
        if person is None:
            raise exceptions.ValidationError({"person": [NO_SUCH]})
        named = named_contact_add(
            by=user,
            case=case,
            person=person,
            note=data["note"],
            origin=Origin.from_request(request),
        )
        return Response(NamedContactSerializer(named).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NamedListAskSerializer, responses={201: NamedFromListSerializer})
    @action(detail=True, methods=["post"], url_path="named-from-list")
    def named_from_list(self, request: Request, pk: str | None = None) -> Response:
        """Name, for the case, every person a row of a read 协查 list of its street was matched
        to (the case person and persons named before are skipped); answers the counts."""
        case = self.get_object()
        given = self.given(NamedListAskSerializer)
        given.is_valid(raise_exception=True)
        user = api_user(request)
        vlist = named_lists(user, case).filter(pk=given.validated_data["list"]).first()
        if vlist is None:
            raise exceptions.ValidationError({"list": [NO_SUCH]})
        result = named_from_list(
            by=user, case=case, vlist=vlist, origin=Origin.from_request(request)
        )
        return Response(NamedFromListSerializer(result).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=VerificationListAskSerializer, responses={201: VerificationListSerializer}
    )
    @action(detail=True, methods=["post"], url_path="verification-list")
    def verification_list(self, request: Request, pk: str | None = None) -> Response:
        """The confirmed candidates given (by default every confirmed one) as a 协查名单 routed to
        the grid workers of their persons; answers the list."""
        case = self.get_object()
        given = self.given(VerificationListAskSerializer)
        given.is_valid(raise_exception=True)
        user = api_user(request)
        rows = visible_candidates(user, case=case)
        wanted = given.validated_data.get("candidates")
        if wanted is None:
            chosen = list(rows.filter(status=CandidateStatus.CONFIRMED))
        else:
            chosen = list(rows.filter(pk__in=wanted))
            if len(chosen) != len(set(wanted)):
                raise exceptions.ValidationError({"candidates": [NO_SUCH]})
        vlist = verification_list_for(
            by=user, case=case, candidates=chosen, origin=Origin.from_request(request)
        )
        return Response(VerificationListSerializer(vlist).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ExportReasonSerializer,
        responses={(200, XLSX): OpenApiTypes.BINARY, 202: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["post"])
    def export(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The case's trace for the task force (candidates in the caller's export scope, and the
        case's own movements) as an export job asked with a purpose (audited). Small enough to be
        written in the request (JOB_INLINE_MAX["tracing.case"] rows), it answers 200 with the file;
        larger, 202 with the job, whose page shows the progress and the download."""
        case = self.get_object()
        reason = ExportReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        user = api_user(request)
        origin = Origin.from_request(request)
        job = trace_export(by=user, case=case, origin=origin, **reason.validated_data)
        return export_answer(job, by=user, origin=origin)
