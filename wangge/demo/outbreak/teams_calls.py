"""召集令 on the demo street: each community's 志愿者服务队 with a dozen confirmed members, and one
street-wide call sent two days ago (day 4, 09:00) by the commander to the volunteers, with five
posts over days 5 to 7; its SMS went through the delivery engine with the demo's scripted
provider, as the notify demo's do. Most members answered through their link at spread times (about seven
in ten accepted, two declined), some have not; the posts are partly filled, and the post that
has ended has given its members their hours. All through the teams' services."""

import random
from datetime import timedelta

from django.core.exceptions import ValidationError

from wangge.core.identity import parse_phone
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.demo.outbreak.notify import ScriptedSms, play, receipts_push
from wangge.demo.outbreak.venue_names import mobile, person_name
from wangge.notify.models import Channel
from wangge.regions.models import Community
from wangge.teams.call_links import invite_token
from wangge.teams.models import KIND_COLOURS, Answer, Member, MemberStatus, Skill, Team, TeamKind
from wangge.teams.services.call_posts import invite_assign, records_for_ended_posts
from wangge.teams.services.calls import CallInput, PostInput, call_answer, call_create, call_send

MEMBERS_PER_COMMUNITY = 12
SKILLS = (Skill.ORDER, Skill.CARRYING, Skill.DATA_ENTRY, Skill.DRIVING, Skill.MEDICAL)
# (name, place, day, start hour, hours, needed, skill)
POSTS = (
    ("卡点值守", "各小区主出入口", 5, 8, 4, 6, ""),
    ("核酸采样秩序", "社区广场采样点", 6, 7, 4, 8, Skill.ORDER),
    ("物资配送", "封控楼栋", 6, 14, 4, 6, Skill.CARRYING),
    ("卡点值守（夜班）", "各小区主出入口", 6, 20, 4, 4, ""),
    ("信息录入", "街道指挥部", 7, 9, 3, 3, Skill.DATA_ENTRY),
)


def volunteers_create(cast: Cast, rng: random.Random) -> None:
    """A 志愿者服务队 per community with confirmed members (the teams' own demo may bring more)."""
    for community in Community.objects.filter(street=cast.street).order_by("pk"):
        team, _ = Team.objects.get_or_create(
            street=cast.street,
            community=community,
            name="志愿者服务队",
            defaults={"kind": TeamKind.VOLUNTEER, "colour": KIND_COLOURS[TeamKind.VOLUNTEER]},
        )
        for _ in range(MEMBERS_PER_COMMUNITY):
            member = Member(
                team=team,
                name=person_name(rng),
                status=MemberStatus.CONFIRMED,
                skills=rng.sample(SKILLS, k=rng.choice((1, 1, 2))),
                party_member=rng.random() < 0.3,
            )
            member.set_phone(parse_phone(mobile(rng)))
            if not Member.objects.filter(team=team, phone_hash=member.phone_hash).exists():
                member.save()


def call_seed(cast: Cast, rng: random.Random) -> None:
    volunteers_create(cast, rng)
    calendar = cast.calendar
    sent_at = calendar.at(4, 9)
    posts = [
        PostInput(
            name=name,
            place=place,
            starts_at=calendar.at(4, 0) + timedelta(days=day - 4, hours=hour),
            ends_at=calendar.at(4, 0) + timedelta(days=day - 4, hours=hour + hours),
            needed=needed,
            skill=skill,
        )
        for name, place, day, hour, hours, needed, skill in POSTS
    ]
    data = CallInput(
        kind="muster",
        title="疫情防控志愿者召集令",
        text="我街道疫情防控进入关键阶段，现召集志愿者参与卡点值守、核酸采样秩序维护和物资配送。",
        deadline=calendar.at(4, 0) + timedelta(days=3, hours=20),
        posts=posts,
        street=cast.street,
        team_kinds=[TeamKind.VOLUNTEER],
    )
    with moment(sent_at):
        call = call_create(by=cast.commander, data=data)
        call_send(by=cast.commander, call=call)
    sms = ScriptedSms(rng)
    with moment(sent_at + timedelta(seconds=15)):
        play(Channel.SMS, sms)  # each text carries its member's answer link (notify.links)
    receipts_push(sms.left, rng, sent_at + timedelta(seconds=30))
    accepted = []
    for invite in call.invites.select_related("member").order_by("pk"):
        roll = rng.random()
        if roll > 0.88:
            continue
        answer = Answer.ACCEPTED if roll < 0.7 else Answer.DECLINED
        at = min(sent_at + timedelta(minutes=rng.randint(3, 30 * 60)), calendar.now)
        with moment(at):
            call_answer(token=invite_token(call.pk, invite.member_id), answer=answer)
        if answer == Answer.ACCEPTED:
            accepted.append(invite)
    rng.shuffle(accepted)
    # Each post gets one fewer than it needs, while there are accepted members to place.
    seats = [post for post in call.posts.order_by("starts_at") for _ in range(post.needed - 1)]
    with moment(sent_at + timedelta(hours=20)):
        for seat, invite in zip(seats, accepted, strict=False):
            try:
                invite_assign(by=cast.commander, invite=invite, post=seat)
            except ValidationError:
                continue  # a skill the member lacks: left for the commander to place
    with moment(calendar.now):
        records_for_ended_posts()
