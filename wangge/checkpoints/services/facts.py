"""What a scan finds out about whoever stands at the gate, as of the moment of the scan: who it is
(by personal code, pass, ID number or phone tail), their health-code colour, whether a measure keeps
them at home, whether their household lies in a lockdown zone, and the household's pass quota.

Everything about a person comes in one query (health code, measure and lockdown as subqueries), so
that the scan endpoint stays fast at the peak hour. The rules themselves are in checkpoints/rules.py.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from wangge.checkpoints import tokens
from wangge.checkpoints.config import config
from wangge.checkpoints.models import Checkpoint, Pass, Scan
from wangge.checkpoints.rules import Direction, PassCheck, Subject
from wangge.core import crypto
from wangge.core.compiled import CompiledRead
from wangge.core.identity import IdentityError, IdType, normalise_text, parse_id_number
from wangge.measures.models import HealthCodeChange, PersonMeasure
from wangge.people.models import Person
from wangge.regions.models import Household
from wangge.regions.zones import lockdown_household_ids, lockdown_over

MAX_CANDIDATES = 5
_CANDIDATE_SALT = "wangge.checkpoints.candidate"
_GONE = (Person.Status.MOVED_OUT, Person.Status.DECEASED)


@dataclass
class Found:
    subject: str
    method: str
    person: Person | None = None
    household: Household | None = None
    card: Pass | None = None  # the pass scanned, when a pass card was shown
    candidates: list[Person] = field(default_factory=list)

    @property
    def code_colour(self) -> str:
        return getattr(self.person, "code_colour", None) or ""

    @property
    def stay_home_measure(self) -> int | None:
        return getattr(self.person, "stay_home_measure", None)

    def in_lockdown(self, at: datetime) -> bool:
        """Whether the household lies in a lockdown zone at `at`: read with the person when a
        person was found (`persons_as_of`), else asked of the database."""
        person = self.person
        if person is not None and hasattr(person, "lockdown_building"):
            return any(getattr(person, name) for name in ("lockdown_building", "lockdown_compound"))
        return in_lockdown(self.household.pk if self.household is not None else None, at)


def persons_as_of(at: datetime, on: date | None = None) -> QuerySet[Person]:
    """Persons with their health-code colour, any stay-home measure and whether their household
    lies in a lockdown zone, as of `at` (whose local day is `on`)."""
    latest_code = (
        HealthCodeChange.objects.filter(person=OuterRef("pk"), changed_at__lte=at)
        .order_by("-changed_at", "-id")
        .values("colour")[:1]
    )
    stay_home = (
        PersonMeasure.objects.active(on=on or timezone.localdate(at))
        .filter(
            person=OuterRef("pk"),
            measure_type__category__in=list(config()["CHECKPOINT_STAY_HOME_CATEGORIES"]),
        )
        .order_by("-start", "-id")
        .values("pk")[:1]
    )
    by_building, by_compound = lockdown_over(
        OuterRef("household__building"), OuterRef("household__building__compound"), at
    )
    return (
        Person.objects.select_related("household")
        .only("name", "household__building_id", "household__grid_id")
        .annotate(
            code_colour=Subquery(latest_code),
            stay_home_measure=Subquery(stay_home),
            lockdown_building=by_building,
            lockdown_compound=by_compound,
        )
    )


def _person(found_in: QuerySet[Person], method: str) -> Found:
    person = found_in.first()
    if person is None:
        return Found(Subject.UNREGISTERED, method)
    return Found(Subject.PERSON, method, person=person, household=person.household)


def _by_code_query(digest: str, at: datetime, on: date) -> QuerySet[Person]:
    return (
        persons_as_of(at, on)
        .filter(personal_code__token_hash=digest)
        .annotate(code_revoked_at=F("personal_code__revoked_at"))
        .order_by()
        .values_list(*_FACTS)[:1]
    )


# What a scan reads about the owner of a personal code: one query, compiled once per process.
_FACTS = (
    "id",
    "name",
    "household_id",
    "household__building_id",
    "household__grid_id",
    "code_colour",
    "stay_home_measure",
    "lockdown_building",
    "lockdown_compound",
    "code_revoked_at",
)
_by_code = CompiledRead(_by_code_query, digest=str, at=datetime, on=date)


def _person_of(row: dict[str, Any]) -> Person:
    """The person of a `_FACTS` row, with their household and the facts, as `persons_as_of`
    annotates them."""
    db = "default"
    person = Person.from_db(db, ["id", "name", "household_id"], [row[f] for f in _FACTS[:3]])
    if row["household_id"] is not None:
        person.household = Household.from_db(
            db,
            ["id", "building_id", "grid_id"],
            [row["household_id"], row["household__building_id"], row["household__grid_id"]],
        )
    for name in ("code_colour", "stay_home_measure"):
        setattr(person, name, row[name])
    for name in ("lockdown_building", "lockdown_compound"):
        setattr(person, name, bool(row[name]))
    return person


def by_code(text: str, at: datetime) -> Found:
    """A scanned QR: a personal code or a household's pass; anything else is an invalid code."""
    kind, digest = tokens.parse_payload(text)
    if kind == tokens.PERSON:
        row = _by_code.first(digest=digest, at=at, on=timezone.localdate(at))
        if row is None:
            return Found(Subject.INVALID_CODE, Scan.Method.CODE)
        if row["code_revoked_at"] is not None:
            return Found(Subject.REVOKED_CODE, Scan.Method.CODE)
        person = _person_of(row)
        return Found(Subject.PERSON, Scan.Method.CODE, person=person, household=person.household)
    if kind == tokens.PASS:
        card = Pass.objects.filter(token_hash=digest).select_related("household").first()
        if card is None:
            return Found(Subject.INVALID_CODE, Scan.Method.PASS)
        if card.revoked_at is not None:
            return Found(Subject.REVOKED_CODE, Scan.Method.PASS)
        return Found(Subject.HOUSEHOLD, Scan.Method.PASS, household=card.household, card=card)
    return Found(Subject.INVALID_CODE, Scan.Method.CODE)


def id_number_hash(text: str) -> str:
    """The blind index of a typed ID number; an 18-character one must pass the GB 11643 check."""
    number = normalise_text(text).replace(" ", "").upper()
    if len(number) == 18:
        try:
            number = parse_id_number(number, IdType.RESIDENT).number
        except IdentityError as error:
            raise ValidationError({"id_number": str(error)}) from error
    if len(number) < 5:
        raise ValidationError({"id_number": "请输入完整证件号码 / type the whole ID number"})
    return crypto.blind_index(number)


def by_id_number(text: str, at: datetime) -> Found:
    digest = id_number_hash(text)
    return _person(persons_as_of(at).filter(id_number_hash=digest), Scan.Method.ID_NUMBER)


def _neighbourhood(checkpoint: Checkpoint) -> Q:
    """Where a phone tail is looked up: the checkpoint's compound, else its community."""
    compound_id = checkpoint.compound_id or (
        checkpoint.building.compound_id if checkpoint.building is not None else None
    )
    if compound_id:
        return Q(household__building__compound=compound_id)
    return Q(household__grid__community=checkpoint.community_id)


def by_phone_tail(text: str, checkpoint: Checkpoint, at: datetime) -> Found:
    tail = normalise_text(text).replace(" ", "")
    if len(tail) != 4 or not tail.isdigit():
        raise ValidationError({"phone_tail": "请输入手机号后4位 / type the last 4 digits"})
    matches = list(
        persons_as_of(at)
        .filter(_neighbourhood(checkpoint), phone_last4=tail)
        .exclude(status__in=_GONE)
        .order_by("pk")[: MAX_CANDIDATES + 1]
    )
    if not matches:
        return Found(Subject.UNREGISTERED, Scan.Method.PHONE_TAIL)
    if len(matches) == 1:
        return Found(
            Subject.PERSON,
            Scan.Method.PHONE_TAIL,
            person=matches[0],
            household=matches[0].household,
        )
    return Found(Subject.AMBIGUOUS, Scan.Method.PHONE_TAIL, candidates=matches[:MAX_CANDIDATES])


def candidate_token(client_id: str, person: Person) -> str:
    """An opaque choice among the persons a phone tail matched, valid for this one scan only."""
    return signing.Signer(salt=_CANDIDATE_SALT).sign(f"{client_id}:{person.pk}")


def by_candidate(token: str, client_id: str, at: datetime) -> Found:
    try:
        value = signing.Signer(salt=_CANDIDATE_SALT).unsign(token)
    except signing.BadSignature as error:
        raise ValidationError({"candidate": "选择无效 / not a valid choice"}) from error
    scan_id, _, person_id = value.rpartition(":")
    if scan_id != client_id:
        raise ValidationError({"candidate": "选择无效 / not a valid choice"})
    return _person(persons_as_of(at).filter(pk=int(person_id)), Scan.Method.PHONE_TAIL)


def candidate_label(person: Person) -> str:
    """What staff see to tell the matches apart: the masked name and the building, no more."""
    from wangge.core.masking import mask_name

    building = person.household.building.name if person.household is not None else ""
    return f"{mask_name(person.name)} {building}".strip()


def in_lockdown(household_id: int | None, at: datetime) -> bool:
    if not household_id:
        return False
    return household_id in lockdown_household_ids([household_id], at=at)


def _midnight(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def pass_check(household: Household | None, at: datetime) -> tuple[Pass | None, PassCheck]:
    """The household's pass, locked until the scan is stored (two gates, one quota), and how many
    exits it has left in the period of `at`."""
    if household is None:
        return None, PassCheck(has_pass=False)
    day = timezone.localdate(at)
    card = (
        Pass.objects.select_for_update()
        .filter(household=household, revoked_at__isnull=True)
        .first()
    )
    if card is None or not card.valid_on(day):
        return None, PassCheck(has_pass=False)
    start, end = card.period(day)
    used = Scan.objects.filter(
        pass_used=card,
        direction=Direction.OUT,
        scanned_at__gte=_midnight(start),
        scanned_at__lt=_midnight(end),
    ).count()
    next_on = end if card.valid_until is None or end <= card.valid_until else None
    return card, PassCheck(
        has_pass=True, exits_left=card.exits_per_period - used, next_exit_on=next_on
    )
