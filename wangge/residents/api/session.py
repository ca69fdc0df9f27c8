"""Signing in through the resident API: ask for a code, then trade the code for the portal's
cookie (the same services, rules and limits as the pages). `GET` tells who is signed in."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from wangge.core.api import ApiViewSet
from wangge.core.origin import Origin, client_address
from wangge.residents import services
from wangge.residents.api.base import OneObjectSchema
from wangge.residents.auth import (
    ResidentAuthentication,
    clear_session_cookie,
    session_of,
    set_session_cookie,
)
from wangge.residents.forms import CodeForm, PhoneForm
from wangge.residents.services.signin import SignInRefused, code_send, code_verify


class PhoneSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=40, help_text="手机号码 / mobile number")


class SignInSerializer(PhoneSerializer):
    code = serializers.CharField(max_length=20, help_text="短信验证码 / the code sent by SMS")


class MySessionSerializer(serializers.Serializer):
    phone = serializers.CharField(help_text="掩码手机号 / masked phone")
    household = serializers.CharField(allow_blank=True)
    expires_at = serializers.DateTimeField()


def _origin(request: Request) -> Origin:
    return Origin(
        ip=client_address(request._request) or None, agent=Origin.from_request(request).agent
    )


def _phone(data: Any) -> str:
    form = PhoneForm({"phone": data.get("phone", "")})
    if not form.is_valid():
        raise ValidationError({"phone": [str(error) for error in form.errors["phone"]]})
    return str(form.cleaned_data["phone"])


class MySessionViewSet(ApiViewSet):
    """登录 / sign in: `code/` sends a code by SMS; POST with the code sets the portal's cookie."""

    authentication_classes = [ResidentAuthentication]
    permission_classes = [AllowAny]
    serializer_class = MySessionSerializer
    schema = OneObjectSchema()

    def _describe(self, request: Request) -> dict[str, Any] | None:
        session = session_of(request._request)
        if session is None:
            return None
        household = session.account.household
        return {
            "phone": session.account.phone_masked,
            "household": str(household) if household else "",
            "expires_at": session.expires_at,
        }

    @extend_schema(responses={200: MySessionSerializer, 404: OpenApiResponse(description="未登录")})
    def list(self, request: Request) -> Response:
        described = self._describe(request)
        if described is None:
            return Response({"detail": "未登录 / not signed in"}, status=status.HTTP_404_NOT_FOUND)
        return Response(MySessionSerializer(described).data)

    @extend_schema(
        request=PhoneSerializer,
        responses={202: OpenApiResponse(description="已发送"), 429: OpenApiResponse()},
    )
    @action(detail=False, methods=["post"])
    def code(self, request: Request) -> Response:
        self.given(PhoneSerializer).is_valid(raise_exception=True)
        try:
            code_send(phone=_phone(request.data), origin=_origin(request))
        except SignInRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        return Response({"detail": "验证码已发送 / code sent"}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=SignInSerializer, responses={201: MySessionSerializer})
    def create(self, request: Request) -> Response:
        checked = self.given(SignInSerializer)
        checked.is_valid(raise_exception=True)
        code = CodeForm({"code": checked.validated_data["code"]})
        code.is_valid()
        try:
            signed = code_verify(
                phone=_phone(request.data),
                code=str(code.cleaned_data.get("code", "")),
                origin=_origin(request),
            )
        except SignInRefused as refused:
            raise ValidationError({"code": [str(refused)]}) from refused
        body = {
            "phone": signed.account.phone_masked,
            "household": str(signed.account.household or ""),
            "expires_at": signed.session.expires_at,
        }
        response = Response(MySessionSerializer(body).data, status=status.HTTP_201_CREATED)
        set_session_cookie(response, signed.raw, signed.session)
        return response

    @extend_schema(request=None, responses={204: None})
    @action(detail=False, methods=["post"])
    def signout(self, request: Request) -> Response:
        session = session_of(request._request)
        if session is not None:
            services.session_end(
                account=session.account, session_id=session.pk, origin=_origin(request)
            )
        response = Response(status=status.HTTP_204_NO_CONTENT)
        clear_session_cookie(response)
        return response
