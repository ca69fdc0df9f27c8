import hashlib
from collections import Counter, defaultdict
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import transaction

from wangge.accounts.models import RoleAssignment, User
from wangge.core.identity import parse_id_number
from wangge.core.roles import Role
from wangge.demo.identities import REFERENCE_DATE, ZHEJIANG_AREAS
from wangge.demo.staff import DEMO_ACCOUNTS, DEMO_PASSWORD
from wangge.measures.models import Case, PersonMeasure
from wangge.people.models import Assignment, Person
from wangge.regions.models import Building, Community, Grid, Household, Street

PERSONS = 500


def seed(persons: int = PERSONS, *args: str, seed: int = 1) -> str:
    """The register only: the outbreak is tested on its own (street/test_outbreak.py)."""
    out = StringIO()
    call_command(
        "seed_demo",
        "--persons",
        str(persons),
        "--seed",
        str(seed),
        "--register-only",
        *args,
        stdout=out,
    )
    return out.getvalue()


def age(person: Person) -> int:
    born = person.birth_date
    return (
        REFERENCE_DATE.year
        - born.year
        - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day))
    )


def street_digest() -> str:
    rows: list[tuple[Any, ...]] = sorted(
        Person.objects.values_list("name", "id_last6", "birth_date", "id_number_hash")
    )
    rows += sorted(Household.objects.values_list("building__name", "unit", "room", "kind"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def digest_of_fresh_seed(seed_value: int) -> str:
    """Seed an empty database, take the digest, and roll everything back."""
    with transaction.atomic():
        seed(seed=seed_value)
        digest = street_digest()
        transaction.set_rollback(True)
    assert not Street.objects.exists()
    return digest


@pytest.mark.django_db
def test_creates_exactly_the_persons_asked_for_in_eight_communities():
    # when
    output = seed()

    # then
    assert Person.objects.count() == PERSONS
    assert Community.objects.count() == 8
    assert all(len(code) == 12 for code in Community.objects.values_list("code", flat=True))
    street = Street.objects.get()
    assert (street.name, len(street.code)) == ("江南街道", 9)
    assert f"{PERSONS} 人 persons" in output


@pytest.mark.django_db
def test_same_seed_gives_the_same_street_and_another_seed_another():
    first = digest_of_fresh_seed(1)
    second = digest_of_fresh_seed(1)
    other = digest_of_fresh_seed(2)

    assert first == second
    assert other != first


@pytest.mark.django_db
def test_refuses_a_database_that_holds_a_street_without_force():
    # given
    Street.objects.create(name="城东街道")

    # when / then
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_if_empty_does_nothing_silently_on_a_database_with_persons(world):
    before = Person.objects.count()

    output = seed(PERSONS, "--if-empty")

    assert output == ""
    assert Person.objects.count() == before
    assert not User.objects.filter(username__startswith="demo-").exists()


@pytest.mark.django_db
def test_if_empty_seeds_an_empty_database():
    seed(PERSONS, "--if-empty")

    assert Person.objects.count() == PERSONS


@pytest.mark.django_db
def test_force_loads_beside_other_data_without_reusing_a_registered_id_number():
    # given: a person elsewhere already holds the first ID number the seed would draw
    with transaction.atomic():
        seed()
        first = Person.objects.order_by("pk").first()
        taken_number, taken_hash = first.id_number, first.id_number_hash
        transaction.set_rollback(True)
    other = Street.objects.create(name="城东街道")
    community = Community.objects.create(street=other, name="城东社区")
    grid = Grid.objects.create(community=community, name="第一网格")
    compound = community.compounds.create(name="老城小区")
    building = Building.objects.create(compound=compound, grid=grid, name="1幢")
    household = Household.objects.create(building=building, grid=grid, room="101")
    resident = Person(household=household)
    resident.set_name("林一")
    resident.set_id_number(taken_number)
    resident.save()

    # when
    seed(PERSONS, "--force")

    # then
    assert (
        Person.objects.filter(household__grid__community__street__name="江南街道").count()
        == PERSONS
    )
    assert Person.objects.filter(id_number_hash=taken_hash).get() == resident


@pytest.mark.django_db
def test_refuses_the_demo_street_twice_even_with_force():
    seed()

    with pytest.raises(CommandError, match="已存在"):
        seed(PERSONS, "--force")
    assert Person.objects.count() == PERSONS


@pytest.mark.django_db
def test_too_few_persons_is_refused():
    with pytest.raises(CommandError):
        seed(20)


@pytest.mark.django_db
def test_every_id_number_is_valid_from_zhejiang_and_matches_birth_date_and_sex():
    seed()

    for person in Person.objects.all():
        parsed = parse_id_number(person.id_number)
        assert parsed.birth_date == person.birth_date
        assert parsed.sex == person.sex
        assert parsed.number[:6] in ZHEJIANG_AREAS
        assert person.id_number_masked == f"{parsed.number[:3]}{'*' * 11}{parsed.number[-4:]}"


@pytest.mark.django_db
def test_households_about_8_percent_vacant_and_15_percent_rented():
    seed(2000)

    households = Household.objects.all()
    total = households.count()
    kinds = Counter(households.values_list("kind", flat=True))
    assert 700 <= total <= 800  # ~30,000 households for 80,000 persons
    assert kinds["vacant"] == round(total * 0.08)
    assert kinds["rental"] == round(total * 0.15)
    assert not Person.objects.filter(household__kind="vacant").exists()
    assert not households.filter(kind="owner", members=None).exists()
    tenants = Person.objects.filter(household__kind="rental")
    assert set(tenants.values_list("relation", flat=True)) == {Person.Relation.TENANT}
    assert set(tenants.values_list("residence_type", flat=True)) == {"renting", "floating"}
    assert not households.filter(kind="rental", landlord=None).exists()
    assert not households.filter(kind="rental", landlord__household__kind="rental").exists()


@pytest.mark.django_db
def test_age_pyramid_and_tags_in_believable_shares():
    seed(3000)

    persons = list(Person.objects.prefetch_related("tags"))
    ages = [age(p) for p in persons]

    def share(count: int) -> float:
        return count / len(persons)

    assert 0.15 <= share(sum(a >= 60 for a in ages)) <= 0.24
    assert share(sum(a < 15 for a in ages)) <= 0.2
    assert share(sum(30 <= a < 60 for a in ages)) >= 0.4
    tags = defaultdict(list)
    for person, years in zip(persons, ages, strict=True):
        for tag in person.tags.all():
            tags[tag.code].append((person, years))
    adults = sum(a >= 18 for a in ages)
    assert 0.04 <= len(tags["party_member"]) / adults <= 0.11
    assert 0.005 <= share(len(tags["low_income"])) <= 0.04
    assert 0.005 <= share(len(tags["disabled"])) <= 0.03
    assert 0.003 <= share(len(tags["serious_illness"])) <= 0.02
    assert all(years >= 65 for _, years in tags["living_alone"] + tags["empty_nest"])
    assert all(p.household.members.count() == 1 for p, _ in tags["living_alone"])
    assert all(
        p.sex == "F" and 22 <= years <= 40 for p, years in tags["pregnant"] + tags["nursing"]
    )
    leaders = Counter(p.household.building_id for p, _ in tags["building_leader"])
    inhabited = Building.objects.filter(households__members__isnull=False).distinct().count()
    assert len(leaders) == inhabited and set(leaders.values()) == {1}
    group_leaders = Counter(p.household.grid.community_id for p, _ in tags["party_group_leader"])
    assert all(1 <= n <= 5 for n in group_leaders.values())
    assert Person.objects.filter(status=Person.Status.AWAY).exists()
    assert Counter(p.ethnicity for p in persons).most_common(1)[0][0] == "汉族"


@pytest.mark.django_db
def test_children_carry_their_fathers_surname():
    seed()

    for household in Household.objects.exclude(kind="rental").prefetch_related("members"):
        members = list(household.members.all())
        fathers = [m for m in members if m.relation in ("head", "spouse") and m.sex == "M"]
        children = [m for m in members if m.relation == "child"]
        if fathers and children:
            assert all(child.name[0] == fathers[0].name[0] for child in children)


@pytest.mark.django_db
def test_one_demo_account_per_role_with_the_documented_area():
    seed()

    street = Street.objects.get()
    first_community = Community.objects.get(name="春晓社区")
    grid = Grid.objects.get(community=first_community, name="第一网格")
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role.values)
    expected = {
        "demo-admin": {},
        "demo-commander": {"street": street},
        "demo-tracer": {"street": street},
        "demo-community": {"community": first_community},
        "demo-checkpoint": {"community": first_community},
        "demo-inspector": {"community": first_community},
        "demo-doctor": {"community": first_community},
        "demo-police": {"community": first_community},
        "demo-grid": {"grid": grid},
    }
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD)
        assert not user.must_change_password
        assignment = RoleAssignment.objects.get(user=user)
        assert assignment.role == account.role
        area = expected[account.username]
        assert (assignment.street, assignment.community, assignment.grid) == (
            area.get("street"),
            area.get("community"),
            area.get("grid"),
        )
    assert User.objects.get(username="demo-admin").is_superuser
    in_grid = Person.objects.filter(household__grid=grid).count()
    assert Person.objects.restrict(User.objects.get(username="demo-grid")).count() == in_grid
    for username in ("demo-doctor", "demo-police"):
        user = User.objects.get(username=username)
        assigned = Assignment.objects.filter(holder_user=user)
        assert assigned.count() == 30
        assert not assigned.exclude(person__household__grid=grid).exists()
        assert Person.objects.restrict(user).count() == 30


def test_demo_password_passes_the_password_validators():
    validate_password(DEMO_PASSWORD, User(username="demo-commander", full_name="演示指挥"))


@pytest.mark.django_db
def test_demo_logins_prints_the_url_and_the_table_labelled_demo_only():
    seed()
    out = StringIO()

    call_command("demo_logins", "--url", "http://127.0.0.1:8123/", stdout=out)

    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    assert "演示账号，仅供演示 / DEMO ONLY" in text
    for account in DEMO_ACCOUNTS:
        assert account.username in text
    assert text.count(DEMO_PASSWORD) == len(DEMO_ACCOUNTS)
    assert "江南街道·春晓社区·第一网格" in text


@pytest.mark.django_db
def test_demo_logins_says_when_a_demo_password_was_changed():
    seed()
    user = User.objects.get(username="demo-grid")
    user.set_password("Another-Pass-2026")
    user.save()
    out = StringIO()

    call_command("demo_logins", stdout=out)

    line = next(line for line in out.getvalue().splitlines() if line.startswith("demo-grid"))
    assert DEMO_PASSWORD not in line and "已修改" in line


@pytest.mark.django_db
def test_demo_logins_prints_nothing_about_logins_without_the_demo_accounts(world):
    out = StringIO()

    call_command("demo_logins", "--url", "http://127.0.0.1:8000/", stdout=out)

    assert out.getvalue().strip() == "网格 Wangge: http://127.0.0.1:8000/"


@pytest.mark.django_db
def test_a_small_street_still_gets_its_outbreak():
    # when
    call_command("seed_demo", "--persons", "300", "--seed", "1", verbosity=0)

    # then
    assert Case.objects.count() == 3
    traced = PersonMeasure.objects.filter(reason__endswith="流调确认")
    assert traced.exists()
    active = PersonMeasure.objects.filter(status=PersonMeasure.Status.ACTIVE)
    assert active.count() == 30 + traced.count()
    red = Household.objects.filter(colour="red").exclude(members__in=traced.values("person"))
    assert red.count() == 3
