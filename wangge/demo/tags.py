"""Tags and statuses in believable shares.

党员 about 7 % of adults; one 楼栋长 per building with an adult in it and a few 党小组长 per
community, both chosen among the adults who live there; 低保 for about 2 % of residents (whole households);
独居老人 and 空巢老人 follow from who lives with whom; 残疾 about 1.5 % and 重病 about 1 %, more
often among the old; 哺乳期 for mothers of a baby, 孕产期 for a few other women of 22–40; a few
working-age residents are away (外出).
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field

from wangge.core.identity import Sex
from wangge.demo.families import Family, Member
from wangge.people.models import Person

PARTY_MEMBER_SHARE = 0.075
LOW_INCOME_HOUSEHOLD_SHARE = 0.021
AWAY_SHARE = 0.015


@dataclass
class Resident:
    """A person being created, with what the seed knows about their family and building."""

    person: Person
    member: Member
    family: Family
    building_key: int
    community_key: int
    tags: set[str] = field(default_factory=set)


def _health_tags(rng: random.Random, resident: Resident) -> None:
    old = resident.member.age >= 60
    if rng.random() < (0.035 if old else 0.01):
        resident.tags.add("disabled")
    if rng.random() < (0.03 if old else 0.005):
        resident.tags.add("serious_illness")


def _family_tags(rng: random.Random, resident: Resident) -> None:
    member, family = resident.member, resident.family
    if member.age >= 65:
        if len(family.members) == 1:
            resident.tags.add("living_alone")
        elif all(other.age >= 60 for other in family.members):
            resident.tags.add("empty_nest")
    if member.sex == Sex.FEMALE and 22 <= member.age <= 40 and member.is_mother:
        children = [m.age for m in family.members if m.is_child]
        if children and min(children) == 0:
            resident.tags.add("nursing")
        elif rng.random() < 0.05:
            resident.tags.add("pregnant")


def residents_tag(rng: random.Random, residents: list[Resident]) -> None:
    low_income = {
        id(family)
        for family in {id(r.family): r.family for r in residents}.values()
        if not family.rental and rng.random() < LOW_INCOME_HOUSEHOLD_SHARE
    }
    for resident in residents:
        if resident.member.age >= 18 and rng.random() < PARTY_MEMBER_SHARE:
            resident.tags.add("party_member")
        if id(resident.family) in low_income:
            resident.tags.add("low_income")
        _health_tags(rng, resident)
        _family_tags(rng, resident)
        if 18 <= resident.member.age <= 60 and rng.random() < AWAY_SHARE:
            resident.person.status = Person.Status.AWAY
    _leaders(rng, residents)


def _leaders(rng: random.Random, residents: list[Resident]) -> None:
    """楼栋长: one adult per inhabited building, an owner of 35–70 (a party member first) when
    there is one. 党小组长: three to five party members of 40–75 per community."""
    owners: dict[int, list[Resident]] = defaultdict(list)
    adults: dict[int, list[Resident]] = defaultdict(list)
    party: dict[int, list[Resident]] = defaultdict(list)
    for resident in residents:
        if resident.member.age >= 18:
            adults[resident.building_key].append(resident)
        if not resident.family.rental and 35 <= resident.member.age <= 70:
            owners[resident.building_key].append(resident)
        if "party_member" in resident.tags and 40 <= resident.member.age <= 75:
            party[resident.community_key].append(resident)
    for building, candidates in adults.items():
        preferred = owners.get(building) or candidates
        members = [r for r in preferred if "party_member" in r.tags]
        pool = members if members and rng.random() < 0.6 else preferred
        rng.choice(pool).tags.add("building_leader")
    for candidates in party.values():
        for leader in rng.sample(candidates, min(len(candidates), rng.randint(3, 5))):
            leader.tags.add("party_group_leader")
