"""The cases the user may see (/tracing/) and one case's trace (/tracing/cases/<pk>/): its summary,
running the trace, the candidates with their evidence and decisions, the contacts it named, the
协查名单 of its confirmed candidates, the case person's timeline and the contact graph.

A grid worker who sees some of a case's candidates but not the case reaches its page too, with the
case shown without its person and only their own candidates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wangge.accounts.http import SignedInRequest
from wangge.command.services.verification import may_import
from wangge.core.decorators import register_required
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.measures.models import Case
from wangge.people.models import Person
from wangge.tracing.forms import NamedContactForm, NamedListForm, TraceRunForm
from wangge.tracing.models import CandidateStatus, NamedContact, Trace
from wangge.tracing.selectors import case_for, named_lists, traced_cases, visible_candidates
from wangge.tracing.services.decisions import named_contact_add, verification_list_for
from wangge.tracing.services.named import named_from_list
from wangge.tracing.services.trace import may_trace, trace_run
from wangge.tracing.timeline import chart_data
from wangge.tracing.views.common import rows_for

PAGE_SIZE = 25


def _refusal(error: ValidationError | PermissionDenied) -> str:
    return "；".join(getattr(error, "messages", None) or [str(error)])


@register_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    page = Paginator(traced_cases(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "tracing/cases.html", {"page": page})


def _may_send(request: SignedInRequest, case: Case, sees_case: bool) -> bool:
    household = case.person.household
    return (
        sees_case
        and household is not None
        and may_import(request.user, household.grid.community.street)
    )


@register_required
@require_GET
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    case, sees_case = case_for(request.user, pk)
    status, hop = request.GET.get("status", ""), request.GET.get("hop", "")
    candidates = visible_candidates(
        request.user, case=case, status=status, hop=int(hop) if hop in ("1", "2") else None
    )
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(
        visible_candidates(request.user, case=case)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    context = {
        "case": case,
        "sees_case": sees_case,
        "sees_person": sees_case
        and Person.objects.restrict(request.user).filter(pk=case.person_id).exists(),
        "trace": Trace.objects.filter(case=case).first(),
        "counts": [(label, counts.get(value, 0)) for value, label in CandidateStatus.choices],
        "total": sum(counts.values()),
        "run_form": TraceRunForm() if may_trace(request.user, case) else None,
        "may_name": sees_case,
        "may_send": _may_send(request, case, sees_case),
        "named_lists": named_lists(request.user, case)[:20]
        if _may_send(request, case, sees_case)
        else [],
        "named": NamedContact.objects.restrict(request.user)
        .filter(case=case)
        .select_related("person", "by"),
        "page": page,
        "rows": rows_for(request.user, list(page)),
        "status": status if status in CandidateStatus.values else "",
        "statuses": CandidateStatus.choices,
        "hop": hop,
        "timeline": chart_data(case) if sees_case else None,
    }
    return render(request, "tracing/case.html", context)


@register_required
@require_POST
def run(request: SignedInRequest, pk: int) -> HttpResponse:
    case, _sees = case_for(request.user, pk)
    form = TraceRunForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "；".join(str(e) for errors in form.errors.values() for e in errors)
        )
        return redirect("tracing:case", case.pk)
    try:
        trace = trace_run(
            by=request.user,
            case=case,
            window_minutes=form.cleaned_data["window_minutes"],
            hops=form.cleaned_data["hops"],
            origin=Origin.from_request(request),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(
            request,
            _("流调完成：共 %(n)s 名流调对象") % {"n": trace.counts.get("candidates", 0)},
        )
    return redirect("tracing:case", case.pk)


@register_required
@require_GET
def people(request: SignedInRequest, pk: int) -> HttpResponse:
    """Persons the user sees matching the search box, to pick as a named contact (htmx)."""
    case_for(request.user, pk)
    text = request.GET.get("q", "").strip()
    found = (
        Person.objects.restrict(request.user, Action.VIEW)
        .search(text)
        .select_related("household__building__compound")[:20]
        if text
        else []
    )
    return render(request, "tracing/_person_choices.html", {"found": found})


@register_required
@require_POST
def named_add(request: SignedInRequest, pk: int) -> HttpResponse:
    case, _sees = case_for(request.user, pk)
    form = NamedContactForm(request.POST)
    person = (
        Person.objects.restrict(request.user).filter(pk=form.cleaned_data["person"]).first()
        if form.is_valid()
        else None
    )
    if person is None:
        messages.error(request, _("请先选择人员"))
        return redirect("tracing:case", case.pk)
    try:
        named_contact_add(by=request.user, case=case, person=person, note=form.cleaned_data["note"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(
            request, _("已登记 %(name)s，重新运行流调后列为流调对象") % {"name": person.name}
        )
    return redirect("tracing:case", case.pk)


@register_required
@require_POST
def named_list(request: SignedInRequest, pk: int) -> HttpResponse:
    """Take the matched persons of a 协查 list as persons the case named."""
    case, _sees = case_for(request.user, pk)
    form = NamedListForm(request.POST)
    vlist = (
        named_lists(request.user, case).filter(pk=form.cleaned_data["vlist"]).first()
        if form.is_valid()
        else None
    )
    if vlist is None:
        messages.error(request, _("请选择协查名单"))
        return redirect("tracing:case", case.pk)
    try:
        result = named_from_list(
            by=request.user, case=case, vlist=vlist, origin=Origin.from_request(request)
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(
            request,
            _("新登记 %(named)s 人，已登记过 %(already)s 人，未匹配 %(unmatched)s 行")
            % {"named": result.named, "already": result.already, "unmatched": result.unmatched},
        )
    return redirect("tracing:case", case.pk)


@register_required
@require_POST
def send_list(request: SignedInRequest, pk: int) -> HttpResponse:
    case, _sees = case_for(request.user, pk)
    confirmed = visible_candidates(request.user, case=case, status=CandidateStatus.CONFIRMED)
    try:
        vlist = verification_list_for(by=request.user, case=case, candidates=confirmed)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
        return redirect("tracing:case", case.pk)
    messages.success(request, _("已生成协查名单，下发给各网格员"))
    return redirect("command:verification_detail", vlist.pk)
