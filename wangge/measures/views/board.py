"""我的管控对象: the grid worker's phone page, and its one-tap actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.htmx import is_htmx, redirect_after_post
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.measures.forms import CheckInForm
from wangge.measures.models import CheckInSlot, MeasureTest, PersonMeasure
from wangge.measures.selectors import board_for
from wangge.measures.services import (
    ClientIdConflict,
    checkin_record,
    measure_release,
    measure_test_record,
    new_client_id,
)
from wangge.measures.services.common import measure_link


def _mine(request: HttpRequest) -> bool:
    return (request.POST.get("mine") or request.GET.get("mine")) == "1"


def _board(request: SignedInRequest, notice: str = "", error: str = "") -> HttpResponse:
    """The board's content; answered to htmx with HX-Retarget, so an action's form swaps back
    the whole refreshed board."""
    context = {"board": board_for(request.user, mine=_mine(request)), "mine": _mine(request)}
    response = render(
        request, "measures/_board.html", {**context, "notice": notice, "error": error}
    )
    response["HX-Retarget"] = "#board"
    response["HX-Reswap"] = "innerHTML"
    return response


@register_required
def board(request: SignedInRequest) -> HttpResponse:
    context = {"board": board_for(request.user, mine=_mine(request)), "mine": _mine(request)}
    template = "measures/_board.html" if is_htmx(request) else "measures/board.html"
    return render(request, template, context)


@register_required
@require_http_methods(["GET", "POST"])
def checkin(request: SignedInRequest, pk: int) -> HttpResponse:
    """The check-in form: inline on the board (htmx) or on its own page."""
    measure = get_object_or_404(
        PersonMeasure.objects.restrict(request.user, Action.VIEW).select_related("person"), pk=pk
    )
    slot = CheckInSlot.objects.filter(measure=measure, pk=request.GET.get("slot") or 0).first()
    form = CheckInForm(request.POST or None, initial={"client_id": new_client_id()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record, _created = checkin_record(
                by=request.user,
                measure=measure,
                temperature=data["temperature"],
                symptoms=data["symptoms"],
                symptoms_other=data["symptoms_other"],
                client_id=data["client_id"],
                origin=Origin.from_request(request),
            )
        except ClientIdConflict as conflict:
            form.refuse_client_id(conflict)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error(
                None, _("您无权为该人员打卡 / you may not record check-ins for this person")
            )
        else:
            facts = {"name": measure.person.name, "temperature": record.temperature}
            notice = _("已记录 %(name)s %(temperature)s°C") % facts
            if record.flagged:
                notice = _("已记录 %(name)s %(temperature)s°C，已向包保小组发出预警") % facts
            if request.POST.get("from") == "board" and is_htmx(request):
                return _board(request, notice=notice)
            messages.success(request, notice)
            return redirect_after_post(request, measure_link(measure))
    context = {"form": form, "measure": measure, "slot": slot, "mine": _mine(request)}
    context["inline"] = request.GET.get("from") == "board" or request.POST.get("from") == "board"
    template = "measures/_checkin_form.html" if is_htmx(request) else "measures/checkin.html"
    return render(request, template, context, status=422 if form.errors else 200)


@register_required
@require_POST
def test_record(request: SignedInRequest, pk: int) -> HttpResponse:
    """One tap: the result of a test due today or before, sampled on its due day."""
    test = get_object_or_404(
        MeasureTest.objects.restrict(request.user, Action.VIEW).select_related("measure__person"),
        pk=pk,
    )
    if test.due_on > timezone.localdate():
        return _respond(request, test.measure, error=_("未到检测日 / this test is not due yet"))
    try:
        measure_test_record(
            by=request.user,
            person=test.measure.person,
            sampled_on=test.due_on,
            result=request.POST.get("result", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        text = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return _respond(request, test.measure, error=text)
    return _respond(
        request,
        test.measure,
        notice=_("已登记 %(name)s 的核酸结果") % {"name": test.measure.person.name},
    )


@register_required
@require_POST
def release(request: SignedInRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(PersonMeasure.objects.restrict(request.user, Action.VIEW), pk=pk)
    try:
        measure_release(by=request.user, measure=measure, origin=Origin.from_request(request))
    except (ValidationError, PermissionDenied) as error:
        text = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return _respond(request, measure, error=text)
    return _respond(
        request, measure, notice=_("已解除 %(name)s 的管控") % {"name": measure.person.name}
    )


def _respond(
    request: SignedInRequest, measure: PersonMeasure, notice: str = "", error: str = ""
) -> HttpResponse:
    if request.POST.get("from") == "board" and is_htmx(request):
        return _board(request, notice=notice, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect_after_post(request, measure_link(measure))
