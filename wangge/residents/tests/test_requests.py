"""诉求, by its services: 张三 (household "a", grid_a) asks; Gavin (grid_a's worker) takes it; Carol
(东社区) hears when no one takes it in time; Bella (grid_b) cannot touch it."""

import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from huey.contrib.djhuey import HUEY
from PIL import Image

from wangge.core.models import Alert
from wangge.residents import tasks  # noqa: F401  (registers the periodic task)
from wangge.residents.models import HelpRequest, RequestEvent, RequestLevel, RequestStatus
from wangge.residents.request_selectors import summary
from wangge.residents.services import (
    account_for_phone,
    request_decline,
    request_done,
    request_make_task,
    request_rate,
    request_submit,
    request_take,
    request_withdraw,
    requests_escalate,
)

START = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Frozen at 2022-07-01 09:00 in Shanghai; move it with clock.move_to(...)."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def zhang(world):
    return account_for_phone(phone="13800001111")


def _png(name: str = "medicine.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _ask(world, account, kind: str = "medicine", **extra) -> HelpRequest:
    return request_submit(
        account=account,
        person=world.persons["zhang_san"],
        kind=kind,
        text="降压药两盒",
        **extra,
    )


def test_a_request_goes_to_the_grid_workers_of_the_households_grid(world, zhang):
    # when
    request = _ask(world, zhang, photos=[_png()])
    # then
    assert request.grid == world.grid_a and request.status == RequestStatus.SUBMITTED
    assert not request.on_behalf
    assert request.photos.get().content_type == "image/png"
    alerted = set(Alert.objects.filter(kind="resident_request").values_list("recipient", flat=True))
    assert alerted == {world.users["gavin"].pk}
    assert list(request.events.values_list("step", flat=True)) == ["submitted"]


def test_a_photo_that_is_not_one_is_refused_with_a_message_naming_it(world, zhang):
    fake = SimpleUploadedFile("药方.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        _ask(world, zhang, photos=[fake])
    assert "药方.jpg" in str(refused.value.message_dict["photos"])
    with pytest.raises(ValidationError, match="最多3张"):
        _ask(world, zhang, photos=[_png() for _ in range(4)])
    assert not HelpRequest.objects.exists()


def test_a_request_for_another_households_member_is_refused(world, zhang):
    with pytest.raises(ValidationError, match="本家庭成员"):
        request_submit(account=zhang, person=world.persons["wang_wu"], kind="other", text="x")


def test_an_untaken_request_is_escalated_to_the_community_once_when_its_time_is_up(
    world, zhang, clock
):
    # given
    request = _ask(world, zhang)
    taken = _ask(world, zhang, kind="shopping")
    request_take(by=world.users["gavin"], help_request=taken)
    # when: a minute before the 120 minutes are up
    clock.move_to(START + timedelta(minutes=119))
    assert requests_escalate() == 0
    # when: the time is up, and the sweep runs twice
    clock.move_to(START + timedelta(minutes=120))
    assert requests_escalate() == 1
    assert requests_escalate() == 0
    # then
    request.refresh_from_db()
    assert request.level == RequestLevel.COMMUNITY
    assert request.escalated_at == START + timedelta(minutes=120)
    assert RequestEvent.objects.filter(request=request, step="escalated").count() == 1
    community = Alert.objects.filter(recipient=world.users["carol"], kind="resident_request")
    assert community.count() == 1
    assert HelpRequest.objects.get(pk=taken.pk).escalated_at is None


def test_the_escalation_takes_the_moment_it_is_given(world, zhang, clock):
    _ask(world, zhang)
    assert requests_escalate(now=START + timedelta(hours=3)) == 1


def test_a_worker_of_another_grid_can_neither_take_nor_close_it(world, zhang):
    request = _ask(world, zhang)
    with pytest.raises(PermissionDenied):
        request_take(by=world.users["bella"], help_request=request)
    with pytest.raises(PermissionDenied):
        request_done(by=world.users["bella"], help_request=request, reply="ok")


def test_the_resident_rates_a_done_request_once(world, zhang):
    # given
    request = _ask(world, zhang)
    with pytest.raises(ValidationError, match="办结后"):
        request_rate(account=zhang, help_request=request, rating=5)
    request_take(by=world.users["gavin"], help_request=request)
    request_done(by=world.users["gavin"], help_request=request, reply="已送到门口")
    # when
    request_rate(account=zhang, help_request=request, rating=4, comment="谢谢")
    # then
    with pytest.raises(ValidationError, match="已评价"):
        request_rate(account=zhang, help_request=request, rating=5)
    request.refresh_from_db()
    assert (request.rating, request.rating_comment) == (4, "谢谢")
    steps = list(request.events.values_list("step", flat=True))
    assert steps == ["submitted", "taken", "done", "rated"]


def test_a_rating_outside_one_to_five_is_refused(world, zhang):
    request = _ask(world, zhang)
    request_done(by=world.users["gavin"], help_request=request, reply="好了")
    with pytest.raises(ValidationError, match="1到5"):
        request_rate(account=zhang, help_request=request, rating=6)


def test_withdrawn_and_declined_requests_are_closed(world, zhang):
    first, second = _ask(world, zhang), _ask(world, zhang)
    request_withdraw(account=zhang, help_request=first)
    with pytest.raises(ValidationError, match="原因"):
        request_decline(by=world.users["gavin"], help_request=second, reason=" ")
    request_decline(by=world.users["gavin"], help_request=second, reason="药房缺货")
    with pytest.raises(ValidationError):
        request_withdraw(account=zhang, help_request=second)
    assert HelpRequest.objects.get(pk=first.pk).status == RequestStatus.WITHDRAWN
    assert HelpRequest.objects.get(pk=second.pk).reply == "药房缺货"


def test_a_request_becomes_a_task_of_its_grid(world, zhang):
    request = _ask(world, zhang, kind="repair")
    request = request_make_task(by=world.users["carol"], help_request=request)
    assert [a.grid_id for a in request.task.assignments.all()] == [world.grid_a.pk]
    assert request.task.description == "降压药两盒"
    with pytest.raises(ValidationError, match="已转为交办单"):
        request_make_task(by=world.users["carol"], help_request=request)


def test_the_summary_counts_by_status_time_to_close_and_overdue_per_grid(world, zhang, clock):
    # given: at 09:00 three requests in grid_a, one of them done at 13:00, one at 19:00
    done_early, done_late, waiting = _ask(world, zhang), _ask(world, zhang), _ask(world, zhang)
    wang = account_for_phone(phone="13700003333")
    in_b = request_submit(account=wang, person=world.persons["wang_wu"], kind="other", text="x")
    gavin = world.users["gavin"]
    clock.move_to(START + timedelta(hours=4))
    request_done(by=gavin, help_request=done_early, reply="好")
    clock.move_to(START + timedelta(hours=10))
    request_done(by=gavin, help_request=done_late, reply="好")
    request_take(by=world.users["bella"], help_request=in_b)
    # when: 49 hours after they were made
    numbers = summary(world.users["alice"], now=START + timedelta(hours=49))
    # then
    grid_a = next(line for line in numbers["grids"] if line["grid"] == world.grid_a.pk)
    assert grid_a["total"] == 3 and grid_a["by_status"]["done"] == 2
    assert grid_a["closed"] == 2
    assert (grid_a["median_hours_to_close"], grid_a["mean_hours_to_close"]) == (7.0, 7.0)
    assert grid_a["overdue"] == 1  # the waiting one, counted once though both limits passed
    grid_b = next(line for line in numbers["grids"] if line["grid"] == world.grid_b.pk)
    assert grid_b["overdue"] == 1 and grid_b["by_status"]["taken"] == 1
    assert numbers["total"]["total"] == 4 and numbers["total"]["overdue"] == 2
    # and a grid worker's summary holds their grid only
    assert [line["grid"] for line in summary(gavin)["grids"]] == [world.grid_a.pk]
    assert waiting.status == RequestStatus.SUBMITTED


def test_the_escalation_sweep_is_a_periodic_task():
    periodic = {task.__name__ for task in HUEY._registry._periodic_tasks}
    assert "escalate_untaken_requests" in periodic
