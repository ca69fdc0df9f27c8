"""The messages a resident or a household received (/notify/persons/<id>/, /notify/households/<id>/),
each with its delivery state and acknowledgement; on the person's log, staff record an opt-out of
notices or reminders (never emergencies)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.masking import mask_name
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.notify.calls import masked_name
from wangge.notify.forms import OptOutForm
from wangge.notify.models import Channel, OptOut, Recipient
from wangge.notify.services_admin import opt_out_set
from wangge.people.forms import add_service_errors
from wangge.people.models import Person
from wangge.regions.models import Household


def _received(rows: QuerySet[Recipient], page: str | None) -> Page:
    rows = (
        rows.exclude(message__status="cancelled")
        .select_related("message", "person")
        .prefetch_related("deliveries")
        .order_by("-message__created_at", "-id")
    )
    found = Paginator(rows, 50).get_page(page)
    labels = dict(Channel.choices)
    for row in found:  # for the template
        row.masked = masked_name(row)  # type: ignore[attr-defined]
        row.tags = [  # type: ignore[attr-defined]
            (labels.get(d.channel, d.channel), d.state, d.get_state_display())
            for d in row.deliveries.all()
        ]
    return found


@register_required
def person_log(request: SignedInRequest, pk: int) -> HttpResponse:
    person = Person.objects.restrict(request.user, Action.VIEW).filter(pk=pk).first()
    if person is None:
        raise Http404
    can_edit = user_can(request.user, Action.EDIT, person)
    form = OptOutForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                opt_out_set(
                    by=request.user,
                    origin=Origin.from_request(request),
                    person=person,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("notify:person_log", person.pk)
        status = 422
    context = {
        "person": person,
        "person_name": mask_name(person.name),
        "page": _received(Recipient.objects.filter(person=person), request.GET.get("page")),
        "opt_outs": OptOut.objects.filter(person=person).order_by("kind"),
        "form": form if can_edit else None,
    }
    return render(request, "notify/log.html", context, status=status)


@register_required
def household_log(request: SignedInRequest, pk: int) -> HttpResponse:
    household = Household.objects.restrict(request.user, Action.VIEW).filter(pk=pk).first()
    if household is None:
        raise Http404
    context = {
        "household": household,
        "page": _received(Recipient.objects.filter(household=household), request.GET.get("page")),
    }
    return render(request, "notify/log.html", context)
