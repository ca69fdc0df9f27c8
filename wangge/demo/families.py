"""Who lives together: household compositions that give a believable age pyramid.

Owner-occupied homes hold families (elderly living alone, elderly couples, young couples, parents
with children, three generations); rentals hold tenants (singles, couples, young families, flat
shares). The weights are tuned so that a street looks like the 7th census: many people of 30–60,
fewer children, about 19 % aged 60 or more. Children take their father's surname; a wife keeps her
own, as in China.
"""

import random
from dataclasses import dataclass, field

from wangge.core.identity import Sex
from wangge.people.models import Person

Relation = Person.Relation
Residence = Person.ResidenceType

# Which surname a member carries: the family's (the father's line) or one of their own.
FAMILY = "family"
OWN = "own"


@dataclass
class Member:
    age: int
    sex: str
    relation: str
    surname: str = FAMILY
    is_mother: bool = False  # the mother of the household's children (for 孕产期/哺乳期)
    is_child: bool = False  # a child of that mother, whatever the relation to the head says


@dataclass
class Family:
    members: list[Member] = field(default_factory=list)
    rental: bool = False
    residence_type: str = Residence.REGISTERED

    def mother(self) -> Member | None:
        return next((m for m in self.members if m.is_mother), None)


def _couple(rng: random.Random, low: int, high: int) -> tuple[Member, Member]:
    husband_age = rng.randint(low, high)
    wife_age = max(20, min(husband_age - rng.choice((-1, 0, 1, 2, 2, 3, 4, 5)), 100))
    husband = Member(husband_age, Sex.MALE, Relation.HEAD)
    wife = Member(wife_age, Sex.FEMALE, Relation.SPOUSE, surname=OWN, is_mother=True)
    if rng.random() < 0.2:  # the wife registered as head of the household
        husband.relation, wife.relation = Relation.SPOUSE, Relation.HEAD
    return husband, wife


def child_of(rng: random.Random, mother_age: int) -> Member:
    age = mother_age - rng.randint(23, 34)
    if age < 0:
        age = rng.randint(0, max(0, mother_age - 22))
    return Member(age, rng.choice((Sex.MALE, Sex.FEMALE)), Relation.CHILD, is_child=True)


def _with_children(rng: random.Random, low: int, high: int, children: int) -> list[Member]:
    husband, wife = _couple(rng, low, high)
    return [husband, wife] + [child_of(rng, wife.age) for _ in range(children)]


def _elderly_alone(rng: random.Random) -> list[Member]:
    sex = Sex.FEMALE if rng.random() < 0.65 else Sex.MALE
    return [Member(rng.randint(65, 93), sex, Relation.HEAD)]


def _elderly_couple(rng: random.Random) -> list[Member]:
    return list(_couple(rng, 60, rng.choice((72, 88))))


def _single(rng: random.Random) -> list[Member]:
    return [Member(rng.randint(22, 45), rng.choice((Sex.MALE, Sex.FEMALE)), Relation.HEAD)]


def _young_couple(rng: random.Random) -> list[Member]:
    return list(_couple(rng, 24, 34))


def _middle_aged_couple(rng: random.Random) -> list[Member]:
    """Children grown and gone."""
    return list(_couple(rng, 48, 64))


def _three_generations(rng: random.Random) -> list[Member]:
    husband, wife = _couple(rng, 30, 50)
    husband.relation, wife.relation = Relation.HEAD, Relation.SPOUSE
    members = [husband, wife] + [child_of(rng, wife.age) for _ in range(rng.choice((1, 1, 2)))]
    return members + grandparents(rng, husband.age, both=rng.random() < 0.7)


def grandparents(rng: random.Random, head_age: int, both: bool) -> list[Member]:
    """The head's mother and, when `both`, father, living with the family."""
    father_age = min(head_age + rng.randint(24, 32), 95)
    mother_age = max(father_age - rng.randint(0, 4), head_age + 20)
    mother = Member(mother_age, Sex.FEMALE, Relation.PARENT, surname=OWN)
    if both:
        return [Member(father_age, Sex.MALE, Relation.PARENT), mother]
    return [mother]


def _parent_with_adult_child(rng: random.Random) -> list[Member]:
    head = Member(rng.randint(35, 62), rng.choice((Sex.MALE, Sex.FEMALE)), Relation.HEAD)
    return [head, *grandparents(rng, head.age, both=rng.random() < 0.35)]


_OWNER_TEMPLATES = (
    (6.0, _elderly_alone),
    (10.0, _elderly_couple),
    (6.0, _single),
    (4.0, _young_couple),
    (7.0, _middle_aged_couple),
    (22.0, lambda rng: _with_children(rng, 27, 62, 1)),
    (10.0, lambda rng: _with_children(rng, 32, 50, 2)),
    (12.0, lambda rng: _with_children(rng, 48, 62, rng.choice((1, 2)))),
    (17.0, _three_generations),
    (6.0, _parent_with_adult_child),
)


def _tenants(rng: random.Random) -> list[Member]:
    draw = rng.random()
    if draw < 0.4:
        members = _single(rng)
        members[0].age = rng.randint(19, 48)
    elif draw < 0.65:
        members = list(_couple(rng, 23, 42))
    elif draw < 0.85:
        members = _with_children(rng, 27, 42, 1)
    else:  # a flat share: unrelated people, each with their own surname
        members = [
            Member(rng.randint(20, 35), rng.choice((Sex.MALE, Sex.FEMALE)), Relation.TENANT, OWN)
            for _ in range(rng.choice((2, 2, 3)))
        ]
    for member in members:
        member.relation = Relation.TENANT
    return members


def family_draw(rng: random.Random, rental: bool) -> Family:
    if rental:
        residence = Residence.RENTING if rng.random() < 0.6 else Residence.FLOATING
        return Family(_tenants(rng), rental=True, residence_type=residence)
    weights = [weight for weight, _ in _OWNER_TEMPLATES]
    build = rng.choices([template for _, template in _OWNER_TEMPLATES], weights=weights)[0]
    residence = Residence.REGISTERED if rng.random() < 0.85 else Residence.PERMANENT
    return Family(build(rng), residence_type=residence)


def families_draw(rng: random.Random, kinds: list[bool], persons: int) -> list[Family]:
    """One family per occupied household (`kinds`: True for a rental), exactly `persons` in all.

    The drawn families are adjusted to the exact total: when too few were drawn, a grown child
    stays with middle-aged parents; when too many, the last-listed member (a child or a
    grandparent) of a large household moves out.
    """
    families = [family_draw(rng, rental) for rental in kinds]
    total = sum(len(family.members) for family in families)
    growable = (
        [f for f in families if not f.rental and (mother := f.mother()) and 40 <= mother.age <= 62]
        or [f for f in families if not f.rental]
        or families
    )
    while total < persons:
        family = rng.choice(growable)
        mother = family.mother()
        if mother is not None:
            family.members.append(child_of(rng, mother.age))
        else:
            family.members.append(
                Member(rng.randint(18, 70), rng.choice((Sex.MALE, Sex.FEMALE)), Relation.RELATIVE)
            )
        total += 1
    while total > persons:
        family = rng.choice(_shrinkable(families))
        family.members.remove(
            next(m for m in reversed(family.members) if m.relation != Relation.HEAD)
        )
        total -= 1
    return families


def _shrinkable(families: list[Family]) -> list[Family]:
    for size in (3, 2):
        found = [f for f in families if len(f.members) >= size]
        if found:
            return found
    raise ValueError("不能再减少人数 / cannot place fewer persons in these households")
