"""Lab results: uploading a file, what an import did, the resolution list and the review list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin
from wangge.core.spreadsheets import TableError
from wangge.people.models import Person
from wangge.testing import services
from wangge.testing.forms import DismissForm, ResultImportForm
from wangge.testing.models import LabResult, ResultImport, UnmatchedResult
from wangge.testing.services.lab.jobs import results_import_start
from wangge.testing.views.common import page_of, visible

CANDIDATES = 10


@register_required
def import_upload(request: SignedInRequest) -> HttpResponse:
    form = ResultImportForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"round": request.GET.get("round")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = results_import_start(
                upload=form.cleaned_data["file"],
                round=form.cleaned_data["round"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except TableError as error:
            form.add_error("file", str(error))
        else:
            if batch.status == ResultImport.Status.PENDING:
                messages.info(
                    request,
                    _("文件较大，已转入后台导入 / a large file: importing in the background"),
                )
            return redirect_after_post(request, reverse("testing:import", args=[batch.pk]))
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "testing/import_form.html", {"form": form}, status=status)


@register_required
def import_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = visible(ResultImport, request, pk)
    return render(
        request,
        "testing/import_detail.html",
        {
            "batch": batch,
            "page": page_of(request, batch.rejected_rows.all()),
            "open_rows": batch.unmatched.filter(status="open").count(),
        },
    )


@register_required
def unmatched_list(request: SignedInRequest) -> HttpResponse:
    status = request.GET.get("status", UnmatchedResult.Status.OPEN)
    if status not in UnmatchedResult.Status.values:
        status = UnmatchedResult.Status.OPEN
    rows = (
        UnmatchedResult.objects.restrict(request.user, "view")
        .filter(status=status)
        .select_related("resolved_person", "decided_by", "round")
        .order_by("-created_at", "row_number")
    )
    return render(
        request,
        "testing/unmatched.html",
        {
            "page": page_of(request, rows, 50),
            "status": status,
            "statuses": UnmatchedResult.Status.choices,
        },
    )


@register_required
def unmatched_candidates(request: SignedInRequest, pk: int) -> HttpResponse:
    """Persons the row may be about: the search box, prefilled with the lab's name."""
    row = visible(UnmatchedResult, request, pk, "import")
    query = request.GET.get("q", row.name).strip()
    persons = (
        Person.objects.restrict(request.user, "view")
        .search(query)
        .select_related("household__building__compound")[:CANDIDATES]
        if query
        else []
    )
    return render(
        request, "testing/_candidates.html", {"row": row, "persons": persons, "query": query}
    )


def _row_decided(request: SignedInRequest, row: UnmatchedResult, error: str = "") -> HttpResponse:
    """The row as decided, or with why it could not be (422)."""
    context = {"row": row, "error": error} if error else {"row": row}
    return render(request, "testing/_row_decided.html", context, status=422 if error else 200)


@register_required
@require_POST
def unmatched_resolve(request: SignedInRequest, pk: int) -> HttpResponse:
    row = visible(UnmatchedResult, request, pk, "import")
    person_pk = request.POST.get("person", "")
    person = visible(Person, request, int(person_pk)) if person_pk.isdigit() else None
    if person is None:
        return _row_decided(request, row, _("请选择人员"))
    try:
        services.unmatched_resolve(
            by=request.user, row=row, person=person, origin=Origin.from_request(request)
        )
    except ValidationError as error:
        return _row_decided(request, row, "；".join(error.messages))
    row.refresh_from_db()
    return _row_decided(request, row)


@register_required
@require_POST
def unmatched_dismiss(request: SignedInRequest, pk: int) -> HttpResponse:
    row = visible(UnmatchedResult, request, pk, "import")
    form = DismissForm(request.POST)
    form.is_valid()
    try:
        services.unmatched_dismiss(
            by=request.user,
            row=row,
            note=form.cleaned_data.get("note", ""),
            origin=Origin.from_request(request),
        )
    except ValidationError as error:
        return _row_decided(request, row, "；".join(error.messages))
    row.refresh_from_db()
    return _row_decided(request, row)


@register_required
def review_list(request: SignedInRequest) -> HttpResponse:
    """待复核: persons whose pooled tube was positive or invalid, until a single-tube retest."""
    results = (
        LabResult.objects.restrict(request.user, "view")
        .filter(review=LabResult.Review.AWAITING)
        .select_related("person__household__building__compound", "person__household__grid", "round")
        .order_by("tube_code", "person__household__grid__name", "pk")
    )
    return render(request, "testing/review.html", {"page": page_of(request, results)})
