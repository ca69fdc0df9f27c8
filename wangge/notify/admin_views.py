"""What staff keep for messages: a street's templates, saved lists (a phone list imported from a
sheet), and each grid's DingTalk/WeCom robot (its token and secret sealed, never shown again)."""

from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms import ModelChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wangge.accounts.authority import areas_held
from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.notify.compose_views import edit_required
from wangge.notify.forms import PhoneListForm, RobotForm, TemplateForm
from wangge.notify.models import Robot, SavedList, Template
from wangge.notify.phone_lists import PhoneListError, phone_list_import
from wangge.notify.places import AudienceError, street_choose
from wangge.notify.services_admin import (
    robot_deactivate,
    robot_register,
    saved_list_delete,
    street_ids,
    template_delete,
    template_save,
    templates_editable,
)
from wangge.people.forms import add_service_errors
from wangge.regions.models import Grid


def _template(request: SignedInRequest, pk: int) -> Template:
    template = Template.objects.filter(pk=pk, street_id__in=street_ids(request.user)).first()
    if template is None:
        raise Http404
    return template


@edit_required
def templates(request: SignedInRequest) -> HttpResponse:
    rows = Template.objects.filter(street_id__in=street_ids(request.user)).order_by("name")
    editable = [row.pk for row in rows if templates_editable(request.user, row.street)]
    return render(request, "notify/templates.html", {"rows": rows, "editable": editable})


@edit_required
def template_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    template = _template(request, pk) if pk else None
    initial = (
        {"name": template.name, "kind": template.kind, "text": template.text} if template else None
    )
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            street = template.street if template else street_choose(None, request.user)
            template_save(
                by=request.user,
                origin=Origin.from_request(request),
                street=street,
                template=template,
                **form.cleaned_data,
            )
        except AudienceError as error:
            form.add_error(None, error.message)
        except PermissionDenied:
            form.add_error(
                None, "您无权修改本街道的模板 / you may not keep this street's templates"
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("notify:templates")
    status = 422 if form.errors else 200
    return render(
        request, "notify/template_form.html", {"form": form, "template": template}, status=status
    )


@edit_required
@require_POST
def template_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    template_delete(
        by=request.user, origin=Origin.from_request(request), template=_template(request, pk)
    )
    return redirect("notify:templates")


@edit_required
def lists(request: SignedInRequest) -> HttpResponse:
    form = PhoneListForm(request.POST or None, request.FILES or None)
    errors: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            phone_list_import(
                by=request.user,
                origin=Origin.from_request(request),
                name=form.cleaned_data["name"],
                upload=form.cleaned_data["file"],
                street=None,
            )
        except (PhoneListError, AudienceError) as error:
            form.add_error("file", error.message)
            errors = getattr(error, "errors", [])
        else:
            return redirect("notify:lists")
    rows = (
        SavedList.objects.restrict(request.user, Action.VIEW)
        .annotate(size=Count("entries"))
        .select_related("owner")
    )
    context = {"rows": rows, "form": form, "errors": errors[:20]}
    return render(request, "notify/lists.html", context, status=422 if form.errors else 200)


@edit_required
@require_POST
def list_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    saved = SavedList.objects.restrict(request.user, Action.VIEW).filter(pk=pk).first()
    if saved is None:
        raise Http404
    saved_list_delete(by=request.user, origin=Origin.from_request(request), saved_list=saved)
    return redirect("notify:lists")


@edit_required
def robots(request: SignedInRequest) -> HttpResponse:
    form = RobotForm(request.POST or None)
    grids = cast(ModelChoiceField, form.fields["grid"])
    grids.queryset = areas_held(request.user, Action.EDIT, Grid).select_related("community")
    if request.method == "POST" and form.is_valid():
        try:
            robot_register(
                by=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("notify:robots")
    rows = Robot.objects.restrict(request.user, Action.VIEW).select_related("grid__community")
    return render(
        request,
        "notify/robots.html",
        {"rows": rows, "form": form},
        status=422 if form.errors else 200,
    )


@edit_required
@require_POST
def robot_off(request: SignedInRequest, pk: int) -> HttpResponse:
    robot = Robot.objects.restrict(request.user, Action.EDIT).filter(pk=pk).first()
    if robot is None:
        raise Http404
    robot_deactivate(by=request.user, origin=Origin.from_request(request), robot=robot)
    return redirect("notify:robots")
