"""A campaign's progress over the API (`/api/sweeps/progress/{campaign id}/`): the counts of the
visits the caller may see, in total and per community, grid and building; `?grid=` keeps the
buildings of one grid. The progress page polls it."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.accounts.http import api_user
from wangge.core.api import ApiViewSet, integer_id
from wangge.sweeps.models import Campaign
from wangge.sweeps.selectors.progress import Progress, campaign_for, campaign_progress


class SweepCountsSerializer(serializers.Serializer):
    answered = serializers.IntegerField()
    proxy = serializers.IntegerField(help_text="邻居或楼管代答 / answered by a proxy")
    pending = serializers.IntegerField()
    refused = serializers.IntegerField()
    moved = serializers.IntegerField()
    total = serializers.IntegerField()
    done = serializers.IntegerField(help_text="已结束的走访（非待走访）/ visits closed")
    percent = serializers.IntegerField(help_text="done ÷ total, 向下取整 / rounded down")
    persons = serializers.IntegerField(
        help_text="已核查人数：应答及代答户的在住人员 / present members of households answered"
    )


class SweepProgressRowSerializer(SweepCountsSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    parent_id = serializers.IntegerField(
        allow_null=True,
        help_text="网格所属社区或楼栋所在网格 / community of a grid, grid of a building",
    )


class SweepProgressSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    deadline = serializers.DateTimeField()
    total = SweepCountsSerializer()
    communities = SweepProgressRowSerializer(many=True)
    grids = SweepProgressRowSerializer(many=True)
    buildings = SweepProgressRowSerializer(many=True)


def progress_body(progress: Progress, grid_id: int | None = None) -> dict[str, Any]:
    campaign = progress.campaign
    buildings = progress.buildings if grid_id is None else progress.buildings_of(grid_id)
    return {
        "campaign": campaign.pk,
        "name": campaign.name,
        "status": campaign.status,
        "deadline": campaign.deadline,
        "total": progress.total.as_dict(),
        "communities": [row.as_dict() for row in progress.communities],
        "grids": [row.as_dict() for row in progress.grids],
        "buildings": [row.as_dict() for row in buildings],
    }


class SweepProgressViewSet(ApiViewSet):
    """扫楼进度 of the campaigns covering the caller's area."""

    queryset = Campaign.objects.none()  # the path id's type, for OpenAPI
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "grid", int, description="只列该网格的楼栋 / only this grid's buildings"
            )
        ],
        responses=SweepProgressSerializer,
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        """The campaign's counts; 404 for a campaign outside the caller's area."""
        raw = request.query_params.get("grid")
        try:
            grid_id = integer_id(raw) if raw is not None else None
        except ValueError as error:
            raise exceptions.ValidationError({"grid": [str(error)]}) from error
        campaign = campaign_for(api_user(request), int(pk))
        progress = campaign_progress(user=request.user, campaign=campaign)
        # The body is plain numbers and names already: the serializer only describes it.
        return Response(progress_body(progress, grid_id))
