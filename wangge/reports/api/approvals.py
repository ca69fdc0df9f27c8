"""Approvals over the API (`/api/reports/approvals/?day=`): where each community the caller sees
stands with the day's figures; `approve/` and `unapprove/` (with a reason) as on the page."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import ApiViewSet
from wangge.core.origin import Origin
from wangge.core.shortcuts import date_param
from wangge.regions.models import Community
from wangge.reports.api.serializers import (
    ApprovalStateSerializer,
    ApproveSerializer,
    UnapproveSerializer,
)
from wangge.reports.selectors.approvals import approval_communities, approval_rows
from wangge.reports.services.approvals import report_approve, report_unapprove


class ApprovalViewSet(ApiViewSet):
    """日报审批 of the communities the caller sees."""

    queryset = Community.objects.none()
    serializer_class = ApprovalStateSerializer
    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("day", str, required=True, description="YYYY-MM-DD")],
        responses=ApprovalStateSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        day = date_param(request.query_params.get("day", ""))
        if day is None:
            raise exceptions.ValidationError({"day": ["日期应为 YYYY-MM-DD / YYYY-MM-DD"]})
        rows = approval_rows(api_user(request), day)
        return Response(ApprovalStateSerializer(rows, many=True).data)

    def _community(self, request: Request, data: dict) -> Community:
        return get_object_or_404(approval_communities(api_user(request)), pk=data["community"])

    @extend_schema(request=ApproveSerializer, responses={201: ApprovalStateSerializer})
    @action(detail=False, methods=["post"])
    def approve(self, request: Request) -> Response:
        """Approve a community's figures of a day (its own staff only: 403 for others)."""
        given = self.given(ApproveSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        community = self._community(request, data)
        user = api_user(request)
        report_approve(
            by=user, community=community, day=data["day"], origin=Origin.from_request(request)
        )
        row = approval_rows(user, data["day"], Community.objects.filter(pk=community.pk))[0]
        return Response(ApprovalStateSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UnapproveSerializer, responses={201: ApprovalStateSerializer})
    @action(detail=False, methods=["post"])
    def unapprove(self, request: Request) -> Response:
        """Undo an approval, with a reason (the community's staff or the street's command)."""
        given = self.given(UnapproveSerializer)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        community = self._community(request, data)
        user = api_user(request)
        report_unapprove(
            by=user,
            community=community,
            day=data["day"],
            reason=data["reason"],
            origin=Origin.from_request(request),
        )
        row = approval_rows(user, data["day"], Community.objects.filter(pk=community.pk))[0]
        return Response(ApprovalStateSerializer(row).data, status=status.HTTP_201_CREATED)
