"""病例: the cases the caller may see; POST reports one (the service assigns the measure)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import QueryFilter, ScopedViewSet
from wangge.core.origin import Origin
from wangge.measures.api.serializers import CaseReportSerializer, CaseSerializer
from wangge.measures.models import Case
from wangge.measures.services import case_report


class CaseViewSet(ScopedViewSet):
    model = Case
    serializer_class = CaseSerializer
    select_related = ("person", "measure__measure_type")
    query_filters = (
        QueryFilter("kind", ("kind",), "病例类别 / kind", str, Case.Kind.values),
        QueryFilter("person", ("person",), "人员编号 / person id"),
    )

    @extend_schema(request=CaseReportSerializer, responses={201: CaseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Report a case of a person the caller may edit."""
        given = CaseReportSerializer(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        case = case_report(
            by=api_user(request), origin=Origin.from_request(request), **given.validated_data
        )
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)
