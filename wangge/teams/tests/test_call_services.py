"""召集令: who is asked, the answers by link, the posts, the hours and the fill."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.core.models import Alert
from wangge.notify import delivery
from wangge.notify.models import Delivery
from wangge.teams.call_links import answer_url, invite_token
from wangge.teams.models import Answer, CallInvite, ServiceRecord
from wangge.teams.selectors.calls import call_fill, calls_with_counts
from wangge.teams.services.call_posts import invite_assign, invite_unassign, records_for_ended_posts
from wangge.teams.services.calls import call_answer, call_close, call_send
from wangge.teams.tests.call_fixtures import NOW, make_call, member, posts

pytestmark = pytest.mark.usefixtures("clock")


def asked(call) -> set[str]:
    return set(call.invites.values_list("member__name", flat=True))


def token(invite: CallInvite) -> str:
    return invite_token(invite.call_id, invite.member_id)


def test_a_call_asks_the_confirmed_members_of_its_teams_in_its_area(world, crew):
    call = make_call(world.users["carol"], world.street, world.east, team_kinds=["volunteer"])
    # when
    sent = call_send(by=world.users["carol"], call=call)
    # then: not the pending one, not 西社区's
    assert asked(call) == {"钱医", "孙助"}
    assert (sent.asked, sent.sms, sent.inapp) == (2, 2, 0)


def test_a_call_with_a_skill_asks_only_the_members_who_have_it(world, crew):
    call = make_call(world.users["carol"], world.street, world.east, [crew.east], skill="medical")
    call_send(by=world.users["carol"], call=call)
    assert asked(call) == {"钱医"}


def test_a_street_wide_call_asks_every_community(world, crew):
    call = make_call(world.users["alice"], world.street, None, [crew.east, crew.west])
    call_send(by=world.users["alice"], call=call)
    assert asked(call) == {"钱医", "孙助", "吴远"}


def test_sending_again_asks_only_members_confirmed_since(world, crew):
    carol = world.users["carol"]
    call = make_call(carol, world.street, world.east, [crew.east])
    call_send(by=carol, call=call)
    crew.waiting.status = "confirmed"
    crew.waiting.save()
    # when
    again = call_send(by=carol, call=call)
    # then
    assert again.asked == 1
    assert call.invites.count() == 3
    assert call_send(by=carol, call=call).asked == 0


def test_the_sms_goes_through_notify_with_each_members_own_link(world, crew):
    call = make_call(world.users["carol"], world.street, world.east, [crew.east])
    call_send(by=world.users["carol"], call=call)
    call.refresh_from_db()
    rows = Delivery.objects.filter(message=call.message).select_related("recipient", "message")
    texts = {delivery.outgoing(row).address: delivery.outgoing(row).text for row in rows}
    assert texts["13811110001"].endswith(answer_url(call.pk, crew.medic.pk))
    assert texts["13811110002"].endswith(answer_url(call.pk, crew.helper.pk))
    assert "召集令" in texts["13811110001"]


def test_a_member_who_is_staff_gets_the_link_in_the_bell(world, crew):
    member(crew.east, "Gavin", "", user=world.users["gavin"])
    call = make_call(world.users["carol"], world.street, world.east, [crew.east])
    sent = call_send(by=world.users["carol"], call=call)
    assert (sent.sms, sent.inapp) == (2, 1)
    alert = Alert.objects.get(recipient=world.users["gavin"])
    assert alert.link.startswith("/teams/calls/answer/")


def test_a_grid_worker_may_not_call_a_community(world, crew):
    with pytest.raises(PermissionDenied):
        make_call(world.users["gavin"], world.street, world.east, [crew.east])


def test_a_call_refuses_bad_posts_and_a_past_deadline(world, crew):
    bad = posts(needed=(0, 1))
    with pytest.raises(ValidationError) as error:
        make_call(world.users["carol"], world.street, world.east, [crew.east], posts=bad)
    assert "至少为1" in str(error.value)
    backwards = posts()
    backwards[0] = backwards[0].__class__(**{**backwards[0].__dict__, "ends_at": NOW})
    with pytest.raises(ValidationError, match="结束时间须晚于开始"):
        make_call(world.users["carol"], world.street, world.east, [crew.east], posts=backwards)
    with pytest.raises(ValidationError, match="响应截止须晚于现在"):
        make_call(world.users["carol"], world.street, world.east, [crew.east], deadline=NOW)
    with pytest.raises(ValidationError, match="不在召集范围内"):
        make_call(world.users["carol"], world.street, world.east, [crew.west])


@pytest.fixture
def sent(world, crew):
    call = make_call(world.users["carol"], world.street, world.east, [crew.east])
    call_send(by=world.users["carol"], call=call)
    return call


def test_an_answer_by_link_is_kept_once_and_may_change_until_the_deadline(sent, crew, clock):
    invite = sent.invites.get(member=crew.medic)
    first = call_answer(token=token(invite), answer=Answer.ACCEPTED)
    clock.shift(timedelta(minutes=5))
    again = call_answer(token=token(invite), answer=Answer.ACCEPTED)
    assert again.answered_at == first.answered_at
    changed = call_answer(token=token(invite), answer=Answer.DECLINED)
    assert (changed.answer, changed.answered_at) == (Answer.DECLINED, NOW + timedelta(minutes=5))
    clock.shift(timedelta(hours=12))
    with pytest.raises(ValidationError, match="已过响应截止时间"):
        call_answer(token=token(invite), answer=Answer.ACCEPTED)


def test_a_closed_call_or_a_wrong_token_takes_no_answer(world, sent, crew):
    invite = sent.invites.get(member=crew.medic)
    raw = token(invite)
    tampered = raw[:-1] + ("y" if raw.endswith("x") else "x")  # never the token itself
    with pytest.raises(ValidationError, match="链接无效"):
        call_answer(token=tampered, answer=Answer.ACCEPTED)
    call_close(by=world.users["carol"], call=sent)
    with pytest.raises(ValidationError, match="已结束"):
        call_answer(token=token(invite), answer=Answer.ACCEPTED)
    assert CallInvite.objects.get(pk=invite.pk).answer == Answer.PENDING


def test_only_the_token_hash_is_stored(sent, crew):
    invite = sent.invites.get(member=crew.medic)
    assert token(invite) not in invite.token_hash and len(invite.token_hash) == 64


def _accepted(call, *members):
    invites = []
    for row in members:
        invite = call.invites.get(member=row)
        invites.append(call_answer(token=token(invite), answer=Answer.ACCEPTED))
    return invites


def test_a_post_takes_no_more_than_it_needs(world, sent, crew):
    medic, helper = _accepted(sent, crew.medic, crew.helper)
    small = sent.posts.get(name="岗位1")  # needs 1
    invite_assign(by=world.users["carol"], invite=medic, post=small)
    with pytest.raises(ValidationError, match="已满"):
        invite_assign(by=world.users["carol"], invite=helper, post=small)


def test_a_post_with_a_skill_takes_only_members_who_have_it(world, crew):
    call = make_call(
        world.users["carol"],
        world.street,
        world.east,
        [crew.east],
        posts=posts(skill=("medical", "")),
    )
    call_send(by=world.users["carol"], call=call)
    medic, helper = _accepted(call, crew.medic, crew.helper)
    sampling = call.posts.get(name="岗位0")
    with pytest.raises(ValidationError, match="需要技能"):
        invite_assign(by=world.users["carol"], invite=helper, post=sampling)
    assert invite_assign(by=world.users["carol"], invite=medic, post=sampling).post == sampling


def test_a_member_is_not_on_two_posts_at_once_nor_on_one_unaccepted(world, sent, crew):
    carol = world.users["carol"]
    (medic,) = _accepted(sent, crew.medic)
    invite_assign(by=carol, invite=medic, post=sent.posts.get(name="岗位0"))
    other = make_call(carol, world.street, world.east, [crew.east], title="第二场")
    call_send(by=carol, call=other)
    (second,) = _accepted(other, crew.medic)
    with pytest.raises(ValidationError, match="同一时段"):
        invite_assign(by=carol, invite=second, post=other.posts.get(name="岗位0"))
    pending = sent.invites.get(member=crew.helper)
    with pytest.raises(ValidationError, match="已接受"):
        invite_assign(by=carol, invite=pending, post=sent.posts.get(name="岗位1"))


def test_declining_or_unassigning_frees_the_post(world, sent, crew):
    carol = world.users["carol"]
    medic, helper = _accepted(sent, crew.medic, crew.helper)
    post = sent.posts.get(name="岗位0")
    invite_assign(by=carol, invite=medic, post=post)
    invite_assign(by=carol, invite=helper, post=post)
    assert call_answer(token=token(medic), answer=Answer.DECLINED).post is None
    assert invite_unassign(by=carol, invite=helper).post is None
    assert post.invites.count() == 0


def test_an_ended_post_gives_its_members_their_hours_once(world, sent, crew, clock):
    medic, helper = _accepted(sent, crew.medic, crew.helper)
    invite_assign(by=world.users["carol"], invite=medic, post=sent.posts.get(name="岗位0"))
    invite_assign(by=world.users["carol"], invite=helper, post=sent.posts.get(name="岗位1"))
    clock.shift(timedelta(days=1, hours=4))  # the first post ended, the second has not
    assert records_for_ended_posts() == {"records": 1}
    assert records_for_ended_posts() == {"records": 0}
    record = ServiceRecord.objects.get()
    assert (record.member, record.kind, record.source_id, float(record.hours)) == (
        crew.medic,
        "call",
        medic.pk,
        4.0,
    )
    assert crew.medic.hours_served == 4.0


def test_the_fill_rate_counts_each_post_up_to_its_need(world, sent, crew):
    carol = world.users["carol"]
    crew.waiting.status = "confirmed"
    crew.waiting.save()
    call_send(by=carol, call=sent)
    medic, helper, waiting = _accepted(sent, crew.medic, crew.helper, crew.waiting)
    call_answer(token=token(waiting), answer=Answer.DECLINED)
    invite_assign(by=carol, invite=medic, post=sent.posts.get(name="岗位0"))
    fill = call_fill(sent)
    assert [(row.assigned, row.needed, row.percent) for row in fill.posts] == [
        (1, 2, 50),
        (0, 1, 0),
    ]
    assert (fill.filled, fill.needed, fill.percent) == (1, 3, 33)
    counted = calls_with_counts(type(sent).objects.filter(pk=sent.pk)).get()
    assert (counted.asked, counted.accepted, counted.declined, counted.pending) == (3, 2, 1, 0)
