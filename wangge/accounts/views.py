"""Signing in and out, the lockout page, and changing one's own password."""

from typing import Any, cast

from axes.helpers import get_client_username
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.forms import LoginForm, PasswordForm
from wangge.accounts.models import User
from wangge.accounts.selectors import lockout_ends_at
from wangge.accounts.services import staff_password_change
from wangge.core.origin import Origin


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=422)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): a link or an image cannot sign anyone out."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordForm
    success_url = reverse_lazy("front:home")

    def form_valid(self, form: PasswordForm) -> HttpResponse:
        user = staff_password_change(
            user=cast(User, self.request.user),  # PasswordChangeView requires a signed-in user
            new_password=form.cleaned_data["new_password1"],
            origin=Origin.from_request(self.request),
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("密码已修改"))
        return redirect(self.get_success_url())

    def form_invalid(self, form: PasswordForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=422)


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: dict | None = None
) -> HttpResponse:
    """django-axes' answer to a locked account (AXES_LOCKOUT_CALLABLE): when it may try again."""
    username = get_client_username(request, credentials) or ""
    retry_at = timezone.localtime(lockout_ends_at(username))
    minutes = max(1, int((retry_at - timezone.now()).total_seconds() // 60) + 1)
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {
            "username": username,
            "retry_at": retry_at,
            "minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,  # type: ignore[misc]  # django-axes's own setting
    )
