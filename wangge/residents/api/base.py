"""The resident API's base (`/api/my/…`): the portal's cookie is its only authentication
(`auth.ResidentAuthentication`, the OpenAPI scheme `residentCookie`), and every view reads its
rows through the account, so another household's rows do not exist for it (404)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from wangge.core.api import ApiViewSet
from wangge.residents.auth import COOKIE, IsResident, ResidentAuthentication
from wangge.residents.models import Account


class ResidentViewSet(ApiViewSet):
    authentication_classes = [ResidentAuthentication]
    permission_classes = [IsResident]

    @property
    def account(self) -> Account:
        if getattr(self, "swagger_fake_view", False):
            return Account()  # the OpenAPI generator's view: no request, an account of no rows
        return self.request.user.account  # type: ignore[union-attr]


class OneObjectSchema(AutoSchema):
    """The schema of a viewset whose `list` answers one object (the own household, the session),
    not a page of rows."""

    def _is_list_view(self, serializer: object = None) -> bool:
        return False


class ResidentCookieScheme(OpenApiAuthenticationExtension):
    target_class = "wangge.residents.auth.ResidentAuthentication"
    name = "residentCookie"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": COOKIE}
