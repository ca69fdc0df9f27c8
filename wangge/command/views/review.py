"""每日研判: a page per day — open events, late tasks, the day's numbers — and the signed history."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.authority import areas_held
from wangge.accounts.http import SignedInRequest
from wangge.command.forms import ReviewForm
from wangge.command.models import DailyReview
from wangge.command.services.review import daily_review_save, daily_review_sign, review_snapshot
from wangge.command.views.common import form_error
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.regions.models import Street


def _street(request: HttpRequest) -> Street:
    streets = list(areas_held(request.user, Action.EDIT, Street))
    if not streets:
        raise PermissionDenied
    wanted = request.GET.get("street", "")
    chosen = next((s for s in streets if str(s.pk) == wanted), streets[0])
    return chosen


@login_required
def review_index(request: SignedInRequest) -> HttpResponse:
    street = _street(request)
    reviews = (
        DailyReview.objects.restrict(request.user).filter(street=street).select_related("signed_by")
    )
    return render(
        request,
        "command/reviews.html",
        {"street": street, "reviews": reviews[:120], "today": timezone.localdate()},
    )


@login_required
def review_day(request: SignedInRequest, day: str) -> HttpResponse:
    street = _street(request)
    try:
        on = date.fromisoformat(day)
    except ValueError as error:
        raise Http404 from error
    review = DailyReview.objects.restrict(request.user).filter(street=street, day=on).first()
    form = ReviewForm(
        request.POST or None, initial={"conclusion": review.conclusion if review else ""}
    )
    if request.method == "POST" and form.is_valid():
        service = daily_review_sign if "sign" in request.POST else daily_review_save
        try:
            service(
                street=street,
                day=on,
                conclusion=form.cleaned_data["conclusion"],
                by=request.user,
                origin=Origin.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            form_error(form, error)
        else:
            messages.success(request, "研判已签发" if "sign" in request.POST else "草稿已保存")
            return redirect_after_post(
                request, reverse("command:review_day", args=[on.isoformat()])
            )
    signed = review is not None and review.signed_at is not None
    snapshot = review.snapshot if review is not None and signed else review_snapshot(street, on)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "command/review_day.html",
        {
            "street": street,
            "day": on,
            "review": review,
            "signed": signed,
            "snapshot": snapshot,
            "form": form,
            "previous": on.fromordinal(on.toordinal() - 1),
            "next": on.fromordinal(on.toordinal() + 1) if on < timezone.localdate() else None,
        },
        status=status,
    )
