"""The scan page of checkpoint staff (a phone at the gate), its fragments, and a stored scan's page
for staff who see the register.

The page's script scans with the camera, queues scans offline and talks to the API
(/api/checkpoints/scans/); without the script the same form posts here and gets the same decision.
"""

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.http import SignedInRequest
from wangge.checkpoints.api.serializers import REASON_LABELS
from wangge.checkpoints.forms import ScanForm, VisitorForm
from wangge.checkpoints.models import SCAN, Checkpoint, Handout, Scan
from wangge.checkpoints.models.rosters import day_bounds
from wangge.checkpoints.selectors import current_shift, recent_scans
from wangge.checkpoints.services import (
    ScanInput,
    ScanOutcome,
    handout_record,
    scan_record,
    scan_resolve,
)
from wangge.checkpoints.services.scans import subject_label
from wangge.checkpoints.views.common import error_text, manned_or_404
from wangge.core.csp import allow_webassembly
from wangge.core.decorators import register_required
from wangge.core.origin import Origin
from wangge.core.roles import Action


def _new_id() -> str:
    return str(uuid.uuid4())


def _typed(text: str) -> dict[str, Any]:
    """One box for both: four digits are a phone tail, anything else an ID number."""
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return {"phone_tail": text}
    return {"id_number": text}


def _handout_counts(checkpoint: Checkpoint) -> list[tuple[str, str | Promise, int]]:
    """Today's masks and hot water handed out here: (item, label, count)."""
    start, end = day_bounds(timezone.localdate())
    given = dict(
        Handout.objects.filter(checkpoint=checkpoint, at__gte=start, at__lt=end)
        .values_list("item")
        .annotate(n=Sum("quantity"))
    )
    shown = (Handout.Item.MASK, Handout.Item.HOT_WATER)
    return [(item, Handout.Item(item).label, given.get(item, 0)) for item in shown]


def _recent(request: SignedInRequest, checkpoint: Checkpoint) -> list[tuple[Scan, str]]:
    return [(scan, subject_label(scan)) for scan in recent_scans(request.user, checkpoint)]


def _texts() -> dict[str, Any]:
    """What the page's script says, in the user's language."""
    return {
        "queued": _("待上传 %s 条扫码（离线暂存）"),
        "queuedFailed": _("一条暂存的扫码未被接受："),
        "signIn": _("登录已过期，请重新登录后上传暂存的扫码"),
        "failed": _("提交失败"),
        "sending": _("正在提交…"),
        "offline": _("已暂存"),
        "offlineHint": _("网络不通：扫码已存在手机上，联网后自动上传。请人工查验健康码。"),
        "unknown": _("未识别"),
        "nextExit": _("%s 起可再外出"),
        "replayed": _("（该扫码此前已提交，显示原判定）"),
        "nothing": _("请扫码，或输入证件号码或手机后4位"),
        "resolveOffline": _("网络不通，请联网后再试"),
        "clockedOn": _("已上岗"),
        "clockedOff": _("已下岗"),
        "needsHttps": _(
            "摄像头需要 HTTPS 连接（本机 localhost 除外）；请输入证件号码或手机后4位。"
        ),
        "cameraFailed": _("无法打开摄像头；请输入证件号码或手机后4位。"),
        "colours": {"green": _("绿码"), "yellow": _("黄码"), "red": _("红码")},
    }


def _context(request: SignedInRequest, checkpoint: Checkpoint, **extra: Any) -> dict[str, Any]:
    return {
        "texts": _texts(),
        "checkpoint": checkpoint,
        "form": ScanForm(initial={"client_id": _new_id()}),
        "shift": current_shift(request.user, checkpoint),
        "recent": _recent(request, checkpoint),
        "handouts": _handout_counts(checkpoint) if checkpoint.is_service_point else None,
        "handout_id": _new_id(),
        **extra,
    }


def _submit(request: SignedInRequest, checkpoint: Checkpoint) -> ScanOutcome:
    step = request.POST.get("step", "scan")
    if step == "scan":
        form = ScanForm(request.POST)
        if not form.is_valid():
            raise ValidationError("请检查输入 / check the form")
        values = form.cleaned_data
        data = ScanInput(
            client_id=values["client_id"],
            direction=values["direction"],
            temperature=values["temperature"],
            code=values["code"],
            **_typed(request.POST.get("typed", "")),
        )
        return scan_record(by=request.user, checkpoint_id=checkpoint.pk, data=data)
    scan = get_object_or_404(
        Scan.objects.restrict(request.user, SCAN).filter(checkpoint=checkpoint),
        client_id=request.POST.get("client_id", ""),
    )
    if step == "visitor":
        visitor = VisitorForm(request.POST)
        if not visitor.is_valid():
            raise ValidationError(
                [f"{visitor.fields[k].label}：{v[0]}" for k, v in visitor.errors.items()]
            )
        return scan_resolve(
            by=request.user,
            scan=scan,
            visitor=visitor.visitor(),
            origin=Origin.from_request(request),
        )
    return scan_resolve(
        by=request.user,
        scan=scan,
        candidate=request.POST.get("candidate", ""),
        origin=Origin.from_request(request),
    )


@allow_webassembly
@login_required
@require_http_methods(["GET", "POST"])
def scan_page(request: SignedInRequest, pk: int) -> HttpResponse:
    checkpoint = manned_or_404(request.user, pk)
    extra: dict[str, Any] = {}
    if request.method == "POST":
        try:
            outcome = _submit(request, checkpoint)
        except ValidationError as error:
            extra["error"] = error_text(error)
        else:
            extra["outcome"] = outcome
            extra["decision_reasons"] = [REASON_LABELS[code] for code in outcome.reasons]
    status = 422 if "error" in extra else 200
    return render(
        request, "checkpoints/scan.html", _context(request, checkpoint, **extra), status=status
    )


@login_required
def scan_recent(request: SignedInRequest, pk: int) -> HttpResponse:
    checkpoint = manned_or_404(request.user, pk)
    context = {"recent": _recent(request, checkpoint), "checkpoint": checkpoint}
    return render(request, "checkpoints/_recent.html", context)


@login_required
@require_POST
def handout(request: SignedInRequest, pk: int) -> HttpResponse:
    """One tap at a service point: a mask or a cup of hot water handed out."""
    checkpoint = manned_or_404(request.user, pk)
    error = ""
    try:
        handout_record(
            by=request.user,
            checkpoint=checkpoint,
            item=request.POST.get("item", ""),
            client_id=request.POST.get("client_id", ""),
        )
    except ValidationError as problem:
        error = error_text(problem)
    context = {
        "checkpoint": checkpoint,
        "handouts": _handout_counts(checkpoint),
        "handout_id": _new_id(),
        "handout_error": error,
    }
    return render(request, "checkpoints/_handouts.html", context)


@register_required
def scan_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """A stored scan for staff of its area (an alert's link): who, where, what was decided."""
    scan = get_object_or_404(
        Scan.objects.restrict(request.user, Action.VIEW).select_related(
            "checkpoint", "person__household__building__compound", "visitor", "by", "pass_used"
        ),
        pk=pk,
    )
    context = {
        "scan": scan,
        "reasons": [REASON_LABELS[row.code] for row in scan.reason_rows.all()],
        "crumbs": [
            ("卡点", reverse("checkpoints:index")),
            (scan.checkpoint.name, reverse("checkpoints:detail", args=[scan.checkpoint_id])),
            ("扫码记录", ""),
        ],
    }
    return render(request, "checkpoints/scan_detail.html", context)
