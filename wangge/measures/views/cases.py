"""病例: the list of cases in the user's area, and reporting one from a person's page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.shortcuts import date_param
from wangge.measures.forms import CaseForm
from wangge.measures.models import Case
from wangge.measures.services import case_measure_type, case_report
from wangge.people.models import Person


@register_required
def case_list(request: SignedInRequest) -> HttpResponse:
    cases = Case.objects.restrict(request.user, Action.VIEW).select_related(
        "person__household__building__compound", "person__household__grid", "measure__measure_type"
    )
    kind = request.GET.get("kind", "")
    if kind in Case.Kind.values:
        cases = cases.filter(kind=kind)
    reported = date_param(request.GET.get("reported", ""))
    if reported is not None:
        cases = cases.filter(reported_on=reported)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    context = {"page": page, "kind": kind, "kinds": Case.Kind.choices, "reported": reported}
    return render(request, "measures/cases.html", context)


@register_required
@require_http_methods(["GET", "POST"])
def case_new(request: SignedInRequest, person_pk: int) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.restrict(request.user, Action.EDIT).select_related("household"),
        pk=person_pk,
    )
    today = timezone.localdate()
    form = CaseForm(request.POST or None, initial={"reported_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = case_report(
                person=person,
                kind=data["kind"],
                reported_on=data["reported_on"],
                note=data["note"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            if case.measure is None:
                messages.warning(
                    request, _("已登记病例；当日没有适用的管控措施类型，请手动落实管控")
                )
                return redirect_after_post(request, reverse("measures:cases"))
            messages.success(
                request,
                _("已登记病例并落实“%(type)s”") % {"type": case.measure.measure_type.name},
            )
            return redirect_after_post(request, reverse("measures:detail", args=[case.measure_id]))
    proposals = [(label, case_measure_type(value, today)) for value, label in Case.Kind.choices]
    context = {"form": form, "person": person, "proposals": proposals}
    return render(request, "measures/case_form.html", context, status=422 if form.errors else 200)
