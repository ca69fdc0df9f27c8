"""The resident's own household: its place and members (names in full, IDs and phones masked)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.people.models import Person
from wangge.residents import selectors
from wangge.residents.api.base import OneObjectSchema, ResidentViewSet


class MyMemberSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(source="phone_masked", read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    is_self = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "name", "id_number", "phone", "is_self"]
        read_only_fields = fields

    def get_is_self(self, person: Person) -> bool:
        return person.pk == self.context["account"].person_id


class MyHouseholdSerializer(serializers.Serializer):
    place = serializers.CharField(allow_blank=True)
    registered = serializers.BooleanField(help_text="登记册中已有此家庭 / the register knows it")
    members = MyMemberSerializer(many=True)


class MyHouseholdViewSet(ResidentViewSet):
    """我的家庭: the signed-in resident's household."""

    schema = OneObjectSchema()

    serializer_class = MyHouseholdSerializer

    @extend_schema(responses=MyHouseholdSerializer)
    def list(self, request: Request) -> Response:
        household = selectors.household_of(self.account)
        data = {
            "place": str(household) if household else "",
            "registered": household is not None,
            "members": selectors.members(self.account),
        }
        context = {**self.get_serializer_context(), "account": self.account}
        return Response(MyHouseholdSerializer(data, context=context).data)
