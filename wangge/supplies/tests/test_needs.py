import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from wangge.checkpoints.models import Checkpoint
from wangge.checkpoints.services import CheckpointData, checkpoint_create
from wangge.checkpoints.tests.conftest import roster
from wangge.core.models import Alert
from wangge.supplies.models import Batch, Handover, Need, NeedKind, NeedStatus, StockMove
from wangge.supplies.services import need_handover as handover
from wangge.supplies.services import needs as svc
from wangge.supplies.services.need_alerts import late_needs_alert
from wangge.supplies.services.stock import NotEnoughStock, stock_of
from wangge.teams.tests.call_fixtures import member, team


def jpeg_upload() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "JPEG")
    return SimpleUploadedFile("door.jpg", out.getvalue(), content_type="image/jpeg")


def household_need(world, stores, quantity=120, **extra):
    return svc.need_create(
        by=world.users["carol"],
        kind=NeedKind.HOUSEHOLD,
        household=world.households["a"],
        lines=[svc.LineInput(stores.items["mask"], quantity)],
        **extra,
    )


def test_a_household_need_goes_from_request_to_handover_refusing_wrong_users_and_order(
    world, stores
):
    users = world.users
    with pytest.raises(PermissionDenied):  # another grid's worker
        svc.need_create(
            by=users["bella"],
            kind=NeedKind.HOUSEHOLD,
            household=world.households["a"],
            wishes="酱油",
        )
    with pytest.raises(ValidationError):  # the kit is not for households
        svc.need_create(
            by=users["gavin"],
            kind=NeedKind.HOUSEHOLD,
            household=world.households["a"],
            lines=[svc.LineInput(stores.items["kit"], 1)],
        )
    with pytest.raises(ValidationError):  # nothing asked for
        svc.need_create(by=users["gavin"], kind=NeedKind.HOUSEHOLD, household=world.households["a"])
    need = household_need(world, stores)
    assert (need.status, need.grid, need.community) == ("submitted", world.grid_a, world.east)
    assert need.due_at is not None and len(need.handover_code) == 6
    with pytest.raises(ValidationError):  # not approved yet
        svc.need_pick(by=users["alice"], need=need, place=stores.places["warehouse"])
    with pytest.raises(PermissionDenied):  # a grid worker does not approve
        svc.need_approve(by=users["gavin"], need=need)
    need = svc.need_approve(by=users["carol"], need=need, place=stores.places["warehouse"])
    assert need.status == NeedStatus.APPROVED and need.approved_by == users["carol"]
    with pytest.raises(ValidationError):
        svc.need_approve(by=users["carol"], need=need)
    with pytest.raises(PermissionDenied):  # carol may not move the street warehouse's stock
        svc.need_pick(by=users["carol"], need=need)
    need = svc.need_pick(by=users["alice"], need=need)
    moves = StockMove.objects.filter(need=need).order_by("pk")
    assert [(m.batch.lot, m.change, m.household_id) for m in moves] == [
        ("M-EARLY", -100, world.households["a"].pk),
        ("M-LATE", -20, world.households["a"].pk),
    ]
    assert need.lines.get().picked == 120 and need.status == NeedStatus.PICKED
    with pytest.raises(ValidationError):  # bella is not staff of grid A
        svc.need_dispatch(by=users["carol"], need=need, user=users["bella"])
    with pytest.raises(PermissionDenied):
        svc.need_dispatch(by=users["bella"], need=need, user=users["gavin"])
    need = svc.need_dispatch(by=users["carol"], need=need, user=users["gavin"])
    assert need.status == NeedStatus.DELIVERING and need.dispatched_at is not None
    with pytest.raises(PermissionDenied):
        handover.need_handover_code(by=users["bella"], need=need, code=need.handover_code)
    wrong = "000000" if need.handover_code != "000000" else "111111"
    for left in range(handover.MAX_CODE_TRIES - 1, -1, -1):
        with pytest.raises(ValidationError, match=f"还可尝试 {left} 次"):
            handover.need_handover_code(by=users["gavin"], need=need, code=wrong)
    with pytest.raises(ValidationError, match="请拍照交接"):
        handover.need_handover_code(by=users["gavin"], need=need, code=need.handover_code)
    need = handover.need_handover_photo(by=users["gavin"], need=need, photo=jpeg_upload())
    need.refresh_from_db()
    assert (need.status, need.handover, need.due_at) == ("delivered", Handover.PHOTO, None)
    assert need.handover_photo.name.endswith(".jpg") and need.closed_at == need.delivered_at
    with pytest.raises(ValidationError):
        svc.need_cancel(by=users["carol"], need=need)


def test_picking_short_stock_changes_nothing_and_wishes_are_bought(world, stores):
    users = world.users
    volunteers = team(world.street, world.east)
    runner = member(volunteers, "钱跑", "13811110009", user=users["tracy"])
    need = svc.need_create(
        by=users["carol"],
        kind=NeedKind.TEAM,
        team=volunteers,
        lines=[svc.LineInput(stores.items["mask"], 350), svc.LineInput(stores.items["food"], 5)],
    )
    svc.need_approve(by=users["alice"], need=need)
    with pytest.raises(NotEnoughStock):  # the masks are there, the food is not
        svc.need_pick(by=users["alice"], need=need, place=stores.places["warehouse"])
    need.refresh_from_db()
    assert need.status == NeedStatus.APPROVED and need.place is None
    assert stock_of(stores.places["warehouse"], stores.items["mask"]) == 400
    assert not StockMove.objects.filter(need=need).exists()
    assert Batch.objects.filter(quantity=100, lot="M-EARLY").exists()
    # the requester cancels before picking; afterwards only staff may
    own = svc.need_create(
        by=users["gavin"],
        kind=NeedKind.HOUSEHOLD,
        household=world.households["a"],
        wishes="布洛芬一盒",
    )
    with pytest.raises(PermissionDenied):
        svc.need_cancel(by=users["bella"], need=own)
    wishes = svc.need_create(
        by=users["gavin"],
        kind=NeedKind.HOUSEHOLD,
        household=world.households["a"],
        wishes="酱油一瓶\n鸡蛋十个",
    )
    svc.need_approve(by=users["carol"], need=wishes)
    with pytest.raises(ValidationError):  # say what was bought
        svc.need_pick(by=users["gavin"], need=wishes)
    wishes = svc.need_pick(by=users["gavin"], need=wishes, note="已在超市买齐")
    assert wishes.status == NeedStatus.PICKED and "已在超市买齐" in wishes.note
    svc.need_dispatch(by=users["carol"], need=wishes, member=runner)
    assert Need.objects.get(pk=wishes.pk).deliverer == users["tracy"]
    done = handover.need_handover_code(by=users["tracy"], need=wishes, code=wishes.handover_code)
    assert done.status == NeedStatus.DELIVERED and done.handover == Handover.CODE
    cancelled = svc.need_cancel(by=users["gavin"], need=own, reason="已自行购买")
    assert cancelled.status == NeedStatus.CANCELLED and cancelled.due_at is None
    rejected = svc.need_create(
        by=users["gavin"], kind=NeedKind.HOUSEHOLD, household=world.households["a"], wishes="香烟"
    )
    with pytest.raises(ValidationError):
        svc.need_reject(by=users["carol"], need=rejected, reason=" ")
    rejected = svc.need_reject(by=users["carol"], need=rejected, reason="不在保供范围")
    assert rejected.status == NeedStatus.REJECTED and rejected.close_reason == "不在保供范围"
    # a resident orders for its own household only
    account = SimpleNamespace(household_id=world.households["a"].pk, label="居民 138****1111")
    with pytest.raises(PermissionDenied):
        svc.need_create(
            by=None,
            resident=account,
            kind=NeedKind.HOUSEHOLD,
            household=world.households["b"],
            wishes="米",
        )
    mine = svc.need_create(
        by=None,
        resident=account,
        kind=NeedKind.HOUSEHOLD,
        household=world.households["a"],
        wishes="米",
    )
    assert mine.requested_label == "居民 138****1111" and mine.requested_by is None


def test_checkpoint_staff_on_duty_ask_and_late_steps_alert_once_each(world, stores):
    users = world.users
    gate = checkpoint_create(
        by=users["carol"],
        data=svc_checkpoint(world),
    )
    with pytest.raises(PermissionDenied):  # Kim is not on duty there
        svc.need_create(by=users["kim"], kind=NeedKind.CHECKPOINT, checkpoint=gate, wishes="热水壶")
    roster(users["kim"], gate, {timezone.localdate()})
    need = svc.need_create(
        by=users["kim"],
        kind=NeedKind.CHECKPOINT,
        checkpoint=gate,
        lines=[svc.LineInput(stores.items["kit"], 2)],
    )
    assert need.community == world.east and need.grid is None
    now = timezone.now()
    assert late_needs_alert(now + timedelta(minutes=30)) == 0
    assert late_needs_alert(now + timedelta(minutes=61)) == 1
    assert late_needs_alert(now + timedelta(minutes=90)) == 0  # once per step
    assert list(Alert.objects.values_list("recipient__username", flat=True)) == ["carol"]
    stores.places["east"].keeper = users["gavin"]
    stores.places["east"].save()
    svc.need_approve(by=users["carol"], need=need, place=stores.places["east"])
    assert late_needs_alert(timezone.now() + timedelta(minutes=121)) == 1
    assert Alert.objects.filter(
        recipient=users["gavin"], link=f"/supplies/needs/{need.pk}/"
    ).exists()


def svc_checkpoint(world) -> CheckpointData:
    return CheckpointData(
        name="阳光花园东门",
        kind=Checkpoint.Kind.COMPOUND_GATE,
        community=world.east,
        compound=world.households["a"].building.compound,
    )
