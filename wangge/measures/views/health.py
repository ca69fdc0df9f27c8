"""健康码: the changes of the persons a user may see (the digest links here), and the file import."""

import tempfile
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.roles import Action
from wangge.core.spreadsheets import TableError
from wangge.measures.forms import UploadForm
from wangge.measures.models import CodeColour, HealthCodeChange, HealthCodeDigest
from wangge.measures.services import health_code_import


@register_required
def health_codes(request: SignedInRequest) -> HttpResponse:
    changes = HealthCodeChange.objects.restrict(request.user, Action.VIEW).select_related(
        "person__household__grid"
    )
    digest = None
    day = request.GET.get("digest", "")
    try:
        digest = (
            HealthCodeDigest.objects.filter(on=date.fromisoformat(day)).first() if day else None
        )
    except ValueError:
        digest = None
    if digest is not None:
        changes = changes.filter(
            changed_at__gte=digest.window_from, changed_at__lt=digest.window_until
        )
    colour = request.GET.get("colour", "")
    if colour in CodeColour.values:
        changes = changes.filter(colour=colour)
    context = {
        "page": Paginator(changes, 50).get_page(request.GET.get("page")),
        "digest": digest,
        "colour": colour,
        "colours": CodeColour.choices,
        "can_import": user_can(request.user, Action.IMPORT),
    }
    return render(request, "measures/health_codes.html", context)


@register_required
@require_http_methods(["GET", "POST"])
def health_code_upload(request: SignedInRequest) -> HttpResponse:
    if not user_can(request.user, Action.IMPORT):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    batch = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.read())
            try:
                batch = health_code_import(by=request.user, path=path, original_name=upload.name)
            except TableError as error:
                form.add_error("file", str(error))
        if batch is not None:
            messages.success(
                request,
                _("已导入 %(count)s 条健康码变更") % {"count": batch.counts.get("stored", 0)},
            )
    status = 422 if form.errors else 200
    context = {"form": form, "batch": batch}
    return render(request, "measures/health_code_upload.html", context, status=status)
