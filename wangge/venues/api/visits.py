"""到访记录 in the caller's area, read-only: the public page is the only way a visit is written.
Phones are masked, names too; the person is given by id for tracing."""

from datetime import date

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers

from wangge.core.api import QueryFilter, ScopedViewSet
from wangge.core.masking import mask_name
from wangge.venues.models import Visit
from wangge.venues.selectors.visits import day_bounds

BAD_DATE = "日期应为 YYYY-MM-DD / date must be YYYY-MM-DD"
BAD_FLAGGED = "flagged 应为 true 或 false / flagged must be true or false"


class VisitSerializer(serializers.ModelSerializer):
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    person_name = serializers.SerializerMethodField()
    via = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "venue",
            "venue_name",
            "at",
            "via",
            "person",
            "person_name",
            "phone",
            "flag",
        ]
        read_only_fields = fields

    def get_person_name(self, visit: Visit) -> str:
        return mask_name(visit.person.name) if visit.person is not None else ""

    def get_via(self, visit: Visit) -> str:
        """ "code" (the personal code) or "phone"."""
        return "code" if visit.person_id else "phone"


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("date", str, description="北京时间某日 / a Beijing day, YYYY-MM-DD"),
            OpenApiParameter("flagged", str, description="异常 / flagged: true or false"),
        ]
    )
)
class VisitViewSet(ScopedViewSet):
    """场所到访记录 of the venues the caller sees (the register's area, or an inspector's)."""

    model = Visit
    serializer_class = VisitSerializer
    select_related = ("venue", "person")
    query_filters = (QueryFilter("venue", ("venue",), "场所编号 / venue id"),)

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        params = self.request.query_params
        day = params.get("date", "").strip()
        if day:
            try:
                start, end = day_bounds(date.fromisoformat(day))
            except ValueError as error:
                raise exceptions.ValidationError({"date": [BAD_DATE]}) from error
            queryset = queryset.filter(at__gte=start, at__lt=end)
        flagged = params.get("flagged", "").strip()
        if flagged not in ("", "true", "false"):
            raise exceptions.ValidationError({"flagged": [BAD_FLAGGED]})
        if flagged:
            queryset = queryset.exclude(flag="") if flagged == "true" else queryset.filter(flag="")
        return queryset
