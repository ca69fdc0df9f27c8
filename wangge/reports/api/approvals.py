"""Approvals over the API (`/api/reports/approvals/?day=`): where each community the caller sees
stands with the day's figures; `approve/` and `unapprove/` (with a reason) as on the page."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import ApiViewSet
from wangge.core.origin import Origin
from wangge.regions.models import Community
from wangge.reports.api.serializers import (
    ApprovalStateSerializer,
    ApproveSerializer,
    UnapproveSerializer,
    day_asked,
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
        rows = approval_rows(api_user(request), day_asked(request))
        return Response(ApprovalStateSerializer(rows, many=True).data)

    def _decide(self, request: Request, asked: type[ApproveSerializer], decide: Any) -> Response:
        """Read the body, find the community among the caller's (404 otherwise), let the service
        decide, and answer the community's state of the day."""
        given = self.given(asked)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        user = api_user(request)
        community = get_object_or_404(approval_communities(user), pk=data.pop("community"))
        decide(by=user, community=community, origin=Origin.from_request(request), **data)
        row = approval_rows(user, data["day"], Community.objects.filter(pk=community.pk))[0]
        return Response(ApprovalStateSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApproveSerializer, responses={201: ApprovalStateSerializer})
    @action(detail=False, methods=["post"])
    def approve(self, request: Request) -> Response:
        """Approve a community's figures of a day (its own staff only: 403 for others)."""
        return self._decide(request, ApproveSerializer, report_approve)

    @extend_schema(request=UnapproveSerializer, responses={201: ApprovalStateSerializer})
    @action(detail=False, methods=["post"])
    def unapprove(self, request: Request) -> Response:
        """Undo an approval, with a reason (the community's staff or the street's command)."""
        return self._decide(request, UnapproveSerializer, report_unapprove)
