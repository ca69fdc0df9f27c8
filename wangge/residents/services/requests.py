"""诉求, the resident's side: submit a request for a member of the own household (with up to three
photos, checked by content before anything is written), withdraw it while it is open, rate it once
when it is done. Each is one transaction, audited as the resident (`audit_resident`), and writes
the step to the request's timeline. Submitting alerts the grid workers of the household's grid."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.core.photos import CleanPhoto, photo_clean
from wangge.core.roles import Role
from wangge.core.services import post_alert
from wangge.people.models import Person
from wangge.regions.models import Grid
from wangge.residents.models import (
    Account,
    HelpRequest,
    RequestEvent,
    RequestKind,
    RequestPhoto,
    RequestStatus,
)
from wangge.residents.selectors import acting_for
from wangge.residents.services.accounts import audit_resident

MAX_PHOTOS = 3
MAX_TEXT = 1000
Step = RequestEvent.Step


def grid_workers(grid: Grid) -> list[User]:
    """The active grid workers of the grid, and of the big grid it lies in."""
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.GRID_WORKER,
            role_assignments__grid_id__in=[grid.pk, grid.parent_id],
        ).distinct()
    )


def community_workers(grid: Grid) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.COMMUNITY_WORKER,
            role_assignments__community_id=grid.community_id,
        ).distinct()
    )


def staff_link(help_request: HelpRequest) -> str:
    return reverse("residents:request_detail", args=[help_request.pk])


def event_add(
    help_request: HelpRequest,
    step: str,
    *,
    user: User | None = None,
    account: Account | None = None,
    note: str = "",
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=help_request,
        step=step,
        at=timezone.now(),
        by_user=user,
        by_account=account,
        note=note[:1000],
    )


def photos_clean(uploads: Sequence[UploadedFile]) -> list[CleanPhoto]:
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError({"photos": f"照片最多{MAX_PHOTOS}张 / at most {MAX_PHOTOS} photos"})
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(photo_clean(upload))
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
    return cleaned


def _checked(account: Account, person: Person, kind: str, text: str) -> str:
    if account.household_id is None or person.household_id != account.household_id:
        raise ValidationError(
            {"person": "只能为本家庭成员提交诉求 / only for a member of your own household"}
        )
    if kind not in RequestKind.values:
        raise ValidationError(
            {"kind": f"类别应为：{'、'.join(RequestKind.values)} / unknown kind of request"}
        )
    text = text.strip()
    if not text:
        raise ValidationError({"text": "请写明需要办理的事项 / say what you need"})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": f"内容最多{MAX_TEXT}字 / at most {MAX_TEXT} characters"})
    return text


def request_submit(
    *,
    account: Account,
    person: Person,
    kind: str,
    text: str,
    photos: Sequence[UploadedFile] = (),
    origin: Origin = Origin.SYSTEM,
) -> HelpRequest:
    """A new request for `person` (a member of the account's household), sent to the grid."""
    text = _checked(account, person, kind, text)
    return _submit(account, person, kind, text, photos_clean(photos), origin)


@transaction.atomic
def _submit(
    account: Account,
    person: Person,
    kind: str,
    text: str,
    photos: Iterable[CleanPhoto],
    origin: Origin,
) -> HelpRequest:
    household = account.household
    help_request = HelpRequest.objects.create(
        household=household,
        grid_id=household.grid_id,
        person=person,
        account=account,
        on_behalf=acting_for(account, person),
        kind=kind,
        text=text,
        created_at=timezone.now(),
    )
    for number, photo in enumerate(photos, 1):
        row = RequestPhoto(request=help_request, content_type=photo.content_type)
        row.file.save(f"{help_request.pk}-{number}{photo.extension}", ContentFile(photo.content))
    event_add(help_request, Step.SUBMITTED, account=account)
    audit_resident(
        account=account,
        action="request.submit",
        target=help_request,
        changes={"kind": kind, "person": person.pk, "on_behalf": help_request.on_behalf},
        origin=origin,
    )
    post_alert(
        grid_workers(help_request.grid),
        "resident_request",
        f"居民诉求（{help_request.get_kind_display()}）：{household} {text[:60]}",
        staff_link(help_request),
    )
    return help_request


def _locked(account: Account, request_id: int) -> HelpRequest:
    return HelpRequest.objects.select_for_update().get(
        pk=request_id, household_id=account.household_id
    )


@transaction.atomic
def request_withdraw(
    *, account: Account, help_request: HelpRequest, origin: Origin = Origin.SYSTEM
) -> HelpRequest:
    """The resident takes back an open request (no longer needed)."""
    help_request = _locked(account, help_request.pk)
    if not help_request.is_open:
        raise ValidationError(
            {"status": "该诉求已结束，不能撤回 / the request is closed and cannot be withdrawn"}
        )
    help_request.status = RequestStatus.WITHDRAWN
    help_request.closed_at = timezone.now()
    help_request.save(update_fields=["status", "closed_at"])
    event_add(help_request, Step.WITHDRAWN, account=account)
    audit_resident(account=account, action="request.withdraw", target=help_request, origin=origin)
    if help_request.taken_by_id:
        post_alert(
            [help_request.taken_by],
            "resident_request",
            f"居民已撤回诉求（{help_request.get_kind_display()}）#{help_request.pk}",
            staff_link(help_request),
        )
    return help_request


@transaction.atomic
def request_rate(
    *,
    account: Account,
    help_request: HelpRequest,
    rating: int,
    comment: str = "",
    origin: Origin = Origin.SYSTEM,
) -> HelpRequest:
    """The resident's rating (1–5) of a done request, given once."""
    help_request = _locked(account, help_request.pk)
    if help_request.status != RequestStatus.DONE:
        raise ValidationError({"rating": "诉求办结后才能评价 / rate a request once it is done"})
    if help_request.rating is not None:
        raise ValidationError({"rating": "该诉求已评价过 / this request was already rated"})
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": "评价应为1到5星 / the rating must be 1 to 5"})
    help_request.rating = rating
    help_request.rating_comment = comment.strip()[:300]
    help_request.rated_at = timezone.now()
    help_request.save(update_fields=["rating", "rating_comment", "rated_at"])
    event_add(
        help_request, Step.RATED, account=account, note=f"{rating}★ {help_request.rating_comment}"
    )
    audit_resident(
        account=account,
        action="request.rate",
        target=help_request,
        changes={"rating": rating},
        origin=origin,
    )
    return help_request
