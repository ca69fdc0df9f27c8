"""未检人员: the grid worker's phone list of who in their grids has not been tested in a round, with
a call button (the phone is revealed, audited, then dialled) and quick marks; the .xlsx export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.exports import EXPORT_REASONS
from wangge.core.forms import ExportReasonForm
from wangge.core.origin import Origin
from wangge.people.forms import add_service_errors
from wangge.people.models import Person
from wangge.people.services import person_reveal
from wangge.regions.models import Grid
from wangge.testing import services
from wangge.testing.forms import MarkForm
from wangge.testing.models import NucleicRound, RoundMark
from wangge.testing.selectors import round_grid_ids
from wangge.testing.selectors.coverage import excluded, untested, visible_target
from wangge.testing.services.exports import untested_export
from wangge.testing.views.common import page_of, visible

CALL_REASON = "核酸未检人员电话通知 / calling a person not yet tested"


def _grid(request: HttpRequest, round: NucleicRound) -> Grid | None:
    raw = request.GET.get("grid", "")
    if not raw.isdigit():
        return None
    return visible(Grid, request, int(raw))


@register_required
def untested_list(request: SignedInRequest, pk: int) -> HttpResponse:
    round = visible(NucleicRound, request, pk)
    grid = _grid(request, round)
    grids = Grid.objects.restrict(request.user, "view").filter(pk__in=round_grid_ids(round))
    persons = untested(round, request.user, grid)
    return render(
        request,
        "testing/untested.html",
        {
            "round": round,
            "grid": grid,
            "grids": grids.select_related("community"),
            "page": page_of(request, persons),
            "excluded": excluded(round, request.user),
            "kinds": RoundMark.Kind.choices,
            "can_export": user_can(request.user, "export"),
            "reasons": EXPORT_REASONS,
        },
    )


def _target_person(request: SignedInRequest, round: NucleicRound, person_pk: int) -> Person:
    person = Person.objects.restrict(request.user, "view").filter(pk=person_pk).first()
    if person is None or not round_target_or_marked(round, request, person):
        raise Http404
    return person


def round_target_or_marked(round: NucleicRound, request: SignedInRequest, person: Person) -> bool:
    """A mark may be put on a target person or changed on one the marks took out of the target."""
    return (
        visible_target(round, request.user).filter(pk=person.pk).exists()
        or RoundMark.objects.filter(round=round, person=person).exists()
    )


@register_required
@require_POST
def untested_mark(request: SignedInRequest, pk: int, person_pk: int) -> HttpResponse:
    round = visible(NucleicRound, request, pk)
    person = _target_person(request, round, person_pk)
    form = MarkForm(request.POST)
    status = 200
    if request.POST.get("kind") == "clear":
        services.round_mark_clear(
            by=request.user, round=round, person=person, origin=Origin.from_request(request)
        )
        form = MarkForm()
    elif form.is_valid():
        try:
            services.round_mark(
                by=request.user,
                round=round,
                person=person,
                origin=Origin.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            status = 422
    else:
        status = 422
    mark = RoundMark.objects.filter(round=round, person=person).first()
    person.mark_kind = mark.kind if mark else None  # type: ignore[attr-defined]  # read by the template
    person.mark_note = mark.note if mark else ""  # type: ignore[attr-defined]  # read by the template
    context = {"round": round, "person": person, "form": form, "kinds": RoundMark.Kind.choices}
    return render(request, "testing/_untested_row.html", context, status=status)


@never_cache
@register_required
@require_POST
def untested_call(request: SignedInRequest, pk: int, person_pk: int) -> HttpResponse:
    """Reveal the phone (audited) and answer with the tel: link that dials it."""
    round = visible(NucleicRound, request, pk)
    person = _target_person(request, round, person_pk)
    if not person.phone_masked:
        raise Http404
    try:
        phone = person_reveal(
            by=request.user,
            person=person,
            field="phone",
            reason=CALL_REASON,
            origin=Origin.from_request(request),
        )
    except PermissionDenied:
        return render(request, "testing/_call.html", {"denied": True}, status=403)
    return render(request, "testing/_call.html", {"phone": phone, "person": person})


@register_required
@require_POST
def untested_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    round = visible(NucleicRound, request, pk)
    if not user_can(request.user, "export"):
        raise PermissionDenied
    form = ExportReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择导出用途 / choose the purpose of the export"))
        return redirect("testing:untested", round.pk)
    job = untested_export(
        round=round,
        by=request.user,
        grid=_grid(request, round),
        origin=Origin.from_request(request),
        **form.cleaned_data,
    )
    return redirect("core:job", job.pk)
