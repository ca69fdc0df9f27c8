"""Staff management pages: the staff in one's scope, a new account, roles, deactivate, unlock."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wangge.accounts import services
from wangge.accounts.authority import user_can
from wangge.accounts.forms import GrantForm, StaffCreateForm
from wangge.accounts.grants import can_grant, can_manage, is_token_manager
from wangge.accounts.http import SignedInRequest
from wangge.accounts.models import RoleAssignment, User
from wangge.accounts.selectors import locked_usernames
from wangge.core.origin import Origin

PAGE_SIZE = 30


def manager_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and holding the manage_staff action somewhere: else 403."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not user_can(request.user, "manage_staff"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def staff_in_scope(request: HttpRequest) -> QuerySet[User]:
    return User.objects.restrict(request.user, "manage_staff")


@manager_required
def staff_list(request: SignedInRequest) -> HttpResponse:
    staff = staff_in_scope(request).prefetch_related(
        "role_assignments__street", "role_assignments__community", "role_assignments__grid"
    )
    query = request.GET.get("q", "").strip()
    if query:
        staff = staff.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(phone__endswith=query)
        )
    page = Paginator(staff.order_by("-is_active", "username"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/staff_list.html",
        {
            "page": page,
            "query": query,
            "locked": locked_usernames(user.username for user in page),
            "manages_tokens": is_token_manager(request.user),
        },
    )


def apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


@never_cache
@manager_required
def staff_create(request: SignedInRequest) -> HttpResponse:
    form = StaffCreateForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.staff_create(
                by=request.user,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                origin=Origin.from_request(request),
                **form.grant(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return render(
                request,
                "accounts/staff_created.html",
                {"staff": user, "password": password, "crumbs": _crumbs(user)},
            )
    return render(
        request,
        "accounts/staff_create.html",
        {"form": form, "crumbs": _crumbs(_("新建"))},
        status=422 if request.method == "POST" else 200,
    )


def _crumbs(last: object) -> list[tuple[str, str]]:
    return [(_("工作人员"), reverse("accounts:staff_list")), (str(last), "")]


def _detail(request: HttpRequest, staff: User, form: GrantForm, status: int = 200) -> HttpResponse:
    assignments = [
        (assignment, can_grant(request.user, assignment.role, assignment.area))
        for assignment in staff.role_assignments.select_related(
            "street", "community__street", "grid__community__street"
        )
    ]
    return render(
        request,
        "accounts/staff_detail.html",
        {
            "staff": staff,
            "assignments": assignments,
            "form": form,
            "is_self": staff.pk == request.user.pk,
            "manageable": can_manage(request.user, staff),
            "locked": bool(locked_usernames([staff.username])),
            "crumbs": _crumbs(staff),
        },
        status=status,
    )


@manager_required
def staff_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    staff = get_object_or_404(staff_in_scope(request), pk=pk)
    return _detail(request, staff, GrantForm(manager=request.user))


@require_POST
@manager_required
def staff_grant(request: SignedInRequest, pk: int) -> HttpResponse:
    staff = get_object_or_404(staff_in_scope(request), pk=pk)
    form = GrantForm(request.POST, manager=request.user)
    if form.is_valid():
        try:
            services.role_grant(
                by=request.user,
                user=staff,
                origin=Origin.from_request(request),
                **form.grant(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已授予角色"))
            return redirect("accounts:staff_detail", pk=staff.pk)
    return _detail(request, staff, form, status=422)


@require_POST
@manager_required
def staff_revoke(request: SignedInRequest, pk: int, assignment_pk: int) -> HttpResponse:
    staff = get_object_or_404(staff_in_scope(request), pk=pk)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_pk, user=staff)
    services.role_revoke(
        by=request.user, assignment=assignment, origin=Origin.from_request(request)
    )
    messages.success(request, _("已撤销角色"))
    if staff_in_scope(request).filter(pk=staff.pk).exists():
        return redirect("accounts:staff_detail", pk=staff.pk)
    return redirect("accounts:staff_list")


@require_POST
@manager_required
def staff_deactivate(request: SignedInRequest, pk: int) -> HttpResponse:
    staff = get_object_or_404(staff_in_scope(request), pk=pk)
    services.staff_deactivate(by=request.user, user=staff, origin=Origin.from_request(request))
    messages.success(request, _("账号已停用"))
    return redirect("accounts:staff_detail", pk=staff.pk)


@require_POST
@manager_required
def staff_unlock(request: SignedInRequest, pk: int) -> HttpResponse:
    staff = get_object_or_404(staff_in_scope(request), pk=pk)
    services.staff_unlock(by=request.user, user=staff, origin=Origin.from_request(request))
    messages.success(request, _("账号已解锁"))
    return redirect("accounts:staff_detail", pk=staff.pk)
