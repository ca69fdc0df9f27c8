"""The attempt rules: who may record, what closes a visit, the proxy after three nobody-home
attempts at three times of day, and the same client id recorded once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.sweeps.models import Attempt, AttemptResult, Proposal, VisitStatus
from wangge.sweeps.services.campaigns import campaign_close
from wangge.sweeps.services.visits import attempt_record
from wangge.sweeps.tests.conftest import answers_for, at, cid

NOBODY = AttemptResult.NOBODY_HOME


def record(world, visit, when, result, user="gavin", **extra):
    return attempt_record(
        by=world.users[user], visit=visit, client_id=cid(), at=when, result=result, **extra
    )


def test_an_answered_attempt_closes_the_visit_with_its_answers(world, visit_a):
    # when
    attempt, created = record(
        world, visit_a, at(6, 10), AttemptResult.ANSWERED, answers=answers_for(visit_a)
    )
    # then
    visit_a.refresh_from_db()
    assert created and visit_a.status == VisitStatus.ANSWERED
    assert visit_a.answers["elderly.need"] is False
    assert visit_a.closed_by == world.users["gavin"]
    assert not Proposal.objects.exists()


def test_nobody_home_keeps_the_visit_pending(world, visit_a):
    record(world, visit_a, at(6, 10), NOBODY, note="已留联系条")
    visit_a.refresh_from_db()
    assert visit_a.status == VisitStatus.PENDING


@pytest.mark.parametrize("result, status", [("refused", "refused"), ("moved", "moved")])
def test_refused_and_moved_close_the_visit(world, visit_a, result, status):
    record(world, visit_a, at(6, 10), result)
    visit_a.refresh_from_db()
    assert visit_a.status == status


def test_a_closed_visit_takes_no_new_attempt(world, visit_a):
    record(world, visit_a, at(6, 10), AttemptResult.REFUSED)
    with pytest.raises(ValidationError, match="已走访完成"):
        record(world, visit_a, at(6, 11), NOBODY)


def test_a_proxy_after_nobody_home_morning_afternoon_and_evening(world, visit_a):
    # given
    for hour in (9, 15, 19):
        record(world, visit_a, at(5, hour), NOBODY)
    # when
    record(
        world,
        visit_a,
        at(6, 20),
        AttemptResult.PROXY,
        answers=answers_for(visit_a),
        proxy_name="王阿姨",
        proxy_relation="对门邻居",
    )
    # then
    visit_a.refresh_from_db()
    assert visit_a.status == VisitStatus.PROXY
    assert (visit_a.proxy_name, visit_a.proxy_relation) == ("王阿姨", "对门邻居")


def test_three_nobody_home_in_one_morning_do_not_allow_a_proxy(world, visit_a):
    for hour, minute in ((8, 0), (9, 30), (11, 59)):
        record(world, visit_a, at(5, hour, minute), NOBODY)
    with pytest.raises(ValidationError, match="上午、下午、晚上"):
        record(
            world,
            visit_a,
            at(6, 20),
            AttemptResult.PROXY,
            answers=answers_for(visit_a),
            proxy_name="王",
            proxy_relation="邻居",
        )
    visit_a.refresh_from_db()
    assert visit_a.status == VisitStatus.PENDING


def test_a_proxy_needs_the_proxys_name_and_relation(world, visit_a):
    for hour in (9, 15, 19):
        record(world, visit_a, at(5, hour), NOBODY)
    with pytest.raises(ValidationError, match="代答人"):
        record(world, visit_a, at(6, 20), AttemptResult.PROXY, answers=answers_for(visit_a))


def test_the_same_client_id_is_recorded_once(world, visit_a):
    client_id = cid()
    first, created = attempt_record(
        by=world.users["gavin"], visit=visit_a, client_id=client_id, at=at(6, 10), result=NOBODY
    )
    again, created_again = attempt_record(
        by=world.users["gavin"], visit=visit_a, client_id=client_id, at=at(6, 10), result=NOBODY
    )
    assert created and not created_again and again.pk == first.pk
    assert Attempt.objects.count() == 1


def test_a_client_id_of_another_visit_is_refused(world, campaign, visit_a):
    other = campaign.visits.exclude(pk=visit_a.pk).filter(grid=world.grid_a1).get()
    client_id = cid()
    attempt_record(
        by=world.users["gavin"], visit=visit_a, client_id=client_id, at=at(6, 10), result=NOBODY
    )
    with pytest.raises(ValidationError, match="另一户"):
        attempt_record(
            by=world.users["gavin"], visit=other, client_id=client_id, at=at(6, 10), result=NOBODY
        )


def test_an_attempt_in_the_future_is_refused(world, visit_a):
    with pytest.raises(ValidationError, match="不能晚于现在"):
        record(world, visit_a, at(6, 22), NOBODY)


def test_no_attempt_on_a_closed_campaign(world, campaign, visit_a):
    campaign_close(by=world.users["carol"], campaign=campaign)
    with pytest.raises(ValidationError, match="未在进行中"):
        record(world, visit_a, at(6, 20), NOBODY)


def test_another_grids_worker_may_not_record(world, visit_a):
    with pytest.raises(PermissionDenied):
        record(world, visit_a, at(6, 10), NOBODY, user="bella")


def test_bad_answers_are_refused_naming_the_question(world, visit_a):
    answers = answers_for(visit_a, **{"vaccination.doses": {}})
    with pytest.raises(ValidationError) as raised:
        record(world, visit_a, at(6, 10), AttemptResult.ANSWERED, answers=answers)
    assert "每位成员都须回答" in str(raised.value.message_dict["vaccination.doses"])
    visit_a.refresh_from_db()
    assert visit_a.status == VisitStatus.PENDING and not Attempt.objects.exists()
