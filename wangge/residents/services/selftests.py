"""抗原自测: a resident's self-test of a member, with a photo of the cassette. The testing
capability keeps lab results only, so the self-test is kept here; a positive one raises a
command-centre event (kind `self_test_positive`, docs/adr/0005) that the member's grid acts on."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from wangge.command.services.events import event_raise
from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.core.photos import CleanPhoto, photo_clean
from wangge.people.models import Person
from wangge.residents.models import Account, SelfTest
from wangge.residents.services.accounts import audit_resident
from wangge.residents.services.reports import member_check

EVENT_KIND = "self_test_positive"
# A test may be reported this long after it was taken, and never from the future.
LATE_DAYS, CLOCK_SKEW = 3, timedelta(minutes=10)


@dataclass(frozen=True)
class SelfTestInput:
    client_id: str
    result: str
    photo: UploadedFile | None
    tested_at: datetime | None = None


def _checked(data: SelfTestInput) -> tuple[str, datetime]:
    errors: dict[str, str] = {}
    client_id = (data.client_id or "").strip()[:64]
    if not client_id:
        errors["client_id"] = "缺少客户端编号 / client_id is required"
    if data.result not in SelfTest.Result.values:
        errors["result"] = "请选择结果：阴性、阳性或无效 / choose negative, positive or invalid"
    now = timezone.now()
    tested_at = data.tested_at or now
    if tested_at > now + CLOCK_SKEW or tested_at < now - timedelta(days=LATE_DAYS):
        errors["tested_at"] = (
            f"检测时间须在过去{LATE_DAYS}天内 / the test must have been taken within the last "
            f"{LATE_DAYS} days"
        )
    if data.photo is None:
        errors["photo"] = "请拍摄检测卡照片 / a photo of the test cassette is required"
    if errors:
        raise ValidationError(errors)
    return client_id, tested_at


def self_test_record(
    *, account: Account, person: Person, data: SelfTestInput, origin: Origin = Origin.SYSTEM
) -> tuple[SelfTest, bool]:
    """Record a self-test of a member; (self-test, created). The photo is judged by its content
    before anything is written; the same client id sent again by the same account is the first
    self-test again, by another account it is refused."""
    proxy = member_check(account, person)
    client_id, tested_at = _checked(data)
    stored = SelfTest.objects.filter(client_id=client_id).first()
    if stored is not None:
        if stored.account_id != account.pk:
            raise ValidationError(
                {"client_id": "该客户端编号已被使用，请重新提交 / client_id already used"}
            )
        return stored, False
    try:
        photo = photo_clean(data.photo)  # type: ignore[arg-type]  # checked above
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from error
    return _write(account, person, proxy, data.result, tested_at, client_id, photo, origin), True


@transaction.atomic
def _write(
    account: Account,
    person: Person,
    proxy: bool,
    result: str,
    tested_at: datetime,
    client_id: str,
    photo: CleanPhoto,
    origin: Origin,
) -> SelfTest:
    test = SelfTest(
        account=account,
        person=person,
        proxy=proxy,
        result=result,
        tested_at=tested_at,
        client_id=client_id,
        content_type=photo.content_type,
    )
    test.photo.save(
        f"{client_id[:36]}{photo.extension}",
        ContentFile(photo.content),
        save=False,
    )
    test.save()
    if result == SelfTest.Result.POSITIVE:
        when = timezone.localtime(tested_at)
        test.event = event_raise(
            kind=EVENT_KIND,
            title=f"居民抗原自测阳性：{person.name}",
            description=f"{when:%m-%d %H:%M} 自测阳性，{account.label}上报"
            + ("（代办）" if proxy else ""),
            persons=[person],
            household=person.household,
            source="居民端",
            origin=origin,
        )
        test.save(update_fields=["event"])
    audit_resident(
        account=account,
        action=AuditEntry.Action.CREATE,
        target=test,
        changes={"person": person.pk, "proxy": proxy, "result": result},
        origin=origin,
    )
    return test
