"""`GET /api/me/`: who the caller is and which roles they hold (lets an integration check its token)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wangge.accounts.grants import area_label
from wangge.accounts.http import api_user


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label
    area = serializers.CharField(allow_blank=True)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(allow_blank=True)
    roles = RoleSerializer(many=True)


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The caller and their roles")
    def get(self, request: Request) -> Response:
        user = api_user(request)
        assignments = user.role_assignments.select_related(
            "street", "community__street", "grid__community__street"
        )
        data = {
            "username": user.username,
            "full_name": user.full_name,
            "roles": [
                {"role": a.role, "label": str(a.get_role_display()), "area": area_label(a.area)}
                for a in assignments
            ],
        }
        return Response(MeSerializer(data).data)
