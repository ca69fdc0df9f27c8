"""The resident's side of a check-in: a signed personal link, no account, one question.

A visitor signed in to the residents' portal with the household of the measure's person is sent
to the portal's check-in page instead (the portal registers how to find it at start-up, since it
stands above this app); one without an account answers the one question here. Both call
`checkin_record`, so the rules are written once."""

from collections.abc import Callable

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from wangge.core.masking import mask_name
from wangge.core.origin import Origin
from wangge.measures.forms import CheckInForm
from wangge.measures.models import CheckIn, PersonMeasure
from wangge.measures.services import (
    ClientIdConflict,
    checkin_record,
    measure_from_link,
    new_client_id,
)

# Where else a signed link's visitor may check in: each finder answers a URL or None.
PageFinder = Callable[[HttpRequest, PersonMeasure], str | None]
_elsewhere: list[PageFinder] = []


def checkin_page_register(finder: PageFinder) -> None:
    if finder not in _elsewhere:
        _elsewhere.append(finder)


@require_http_methods(["GET", "POST"])
def resident_checkin(request: HttpRequest, token: str) -> HttpResponse:
    try:
        measure = measure_from_link(token)
    except signing.BadSignature:
        return render(request, "measures/resident_link_invalid.html", status=404)
    for finder in _elsewhere:
        page = finder(request, measure)
        if page:
            return HttpResponseRedirect(page)
    form = CheckInForm(request.POST or None, initial={"client_id": new_client_id()})
    done = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done, _created = checkin_record(
                by=None,
                measure=measure,
                temperature=data["temperature"],
                symptoms=data["symptoms"],
                symptoms_other=data["symptoms_other"],
                client_id=data["client_id"],
                source=CheckIn.Source.RESIDENT,
                origin=Origin.from_request(request),
            )
        except ClientIdConflict as conflict:
            form.refuse_client_id(conflict)
        except ValidationError as error:
            form.add_error(None, error)
    context = {"form": form, "done": done, "name": mask_name(measure.person.name)}
    status = 422 if form.errors else 200
    return render(request, "measures/resident_checkin.html", context, status=status)
