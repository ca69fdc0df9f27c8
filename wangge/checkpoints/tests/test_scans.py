"""Scanning at the gate: who is found, what is decided, who is alerted, and a scan stored once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.checkpoints import tokens
from wangge.checkpoints.models import PersonalCode, Scan, ScanReason
from wangge.checkpoints.rules import Reason, Verdict
from wangge.checkpoints.services import (
    VisitorData,
    personal_code_reissue,
    personal_code_revoke,
    scan_resolve,
)
from wangge.command.models import Event
from wangge.core.models import Alert
from wangge.measures.services import measure_assign

from .conftest import DAY, at, code_of, health_code, scan

# Kim mans the gate: on its duty roster on the days these tests scan.
pytestmark = pytest.mark.usefixtures("on_duty")


def test_a_green_resident_passes_and_staff_see_only_the_masked_name(world, gate, clock):
    zhang = world.persons["zhang_san"]
    health_code(zhang, "green", at(DAY, 7))
    outcome = scan(world, gate, code=code_of(world, zhang), temperature="36.5")
    assert outcome.created
    assert outcome.scan.verdict == Verdict.PASS
    assert outcome.reasons == ()
    assert outcome.subject_label == "张*"
    assert outcome.scan.code_colour == "green"
    assert outcome.scan.person == zhang


def test_the_personal_code_holds_no_personal_data(world):
    zhang = world.persons["zhang_san"]
    text = code_of(world, zhang)
    assert text.startswith("WGP:")
    for personal in (zhang.name, zhang.id_number, zhang.phone, str(zhang.pk)):
        assert personal not in text.split(":", 1)[1] or len(personal) < 3


@pytest.mark.parametrize(
    ("colour", "verdict", "reason"),
    [("red", Verdict.DENY, Reason.RED_CODE), ("yellow", Verdict.CHECK, Reason.YELLOW_CODE)],
)
def test_the_health_code_colour_decides(world, gate, clock, colour, verdict, reason):
    zhang = world.persons["zhang_san"]
    health_code(zhang, "green", at(DAY, 1))
    health_code(zhang, colour, at(DAY, 8))
    outcome = scan(world, gate, code=code_of(world, zhang))
    assert (outcome.scan.verdict, outcome.reasons) == (verdict, (reason,))


def test_an_offline_scan_is_judged_by_the_colour_at_the_moment_it_was_made(world, gate, clock):
    # given: a code turned red at 08:30; a phone scanned at 08:00 and sends it at 09:00
    zhang = world.persons["zhang_san"]
    health_code(zhang, "green", at(DAY, 1))
    health_code(zhang, "red", at(DAY, 8, 30))
    outcome = scan(world, gate, code=code_of(world, zhang), scanned_at=at(DAY, 8))
    assert outcome.scan.verdict == Verdict.PASS
    assert outcome.scan.scanned_at == at(DAY, 8)


def test_a_phone_clock_ahead_of_the_server_takes_the_server_time(world, gate, clock):
    zhang = world.persons["zhang_san"]
    outcome = scan(world, gate, code=code_of(world, zhang), scanned_at=at(DAY, 11))
    assert outcome.scan.scanned_at == at(DAY, 9)


def test_a_fever_turns_back_alerts_the_community_and_raises_an_event(world, gate, clock):
    zhang = world.persons["zhang_san"]
    outcome = scan(world, gate, code=code_of(world, zhang), temperature="37.8")
    assert outcome.scan.verdict == Verdict.DENY
    assert outcome.reasons == (Reason.FEVER,)
    alert = Alert.objects.get(kind="checkpoint_fever")
    assert alert.recipient == world.users["carol"]
    assert "张三" in alert.text and "37.8" in alert.text
    event = Event.objects.get(kind__code="checkpoint_fever")
    assert list(event.persons.all()) == [zhang]
    assert event.household == zhang.household


def test_the_fever_threshold_is_the_one_of_the_measures(world, gate, clock, settings):
    settings.WANGGE = {**settings.WANGGE, "FEVER_THRESHOLD": "38.0"}
    outcome = scan(world, gate, id_number=world.persons["zhang_san"].id_number, temperature="37.8")
    assert outcome.scan.verdict == Verdict.PASS


def test_a_person_under_home_isolation_going_out_is_turned_back_and_the_team_alerted(
    world, gate, clock, stay_home
):
    zhang = world.persons["zhang_san"]
    (measure,) = measure_assign(
        by=world.users["carol"], persons=[zhang], measure_type=stay_home, start=DAY, reason="返乡"
    )
    assert measure.grid_worker == world.users["gavin"]
    outcome = scan(world, gate, code=code_of(world, zhang), direction="out")
    assert (outcome.scan.verdict, outcome.reasons) == (Verdict.DENY, (Reason.STAY_HOME_OUT,))
    alerted = set(
        Alert.objects.filter(kind="checkpoint_stay_home").values_list("recipient", flat=True)
    )
    assert alerted == {user.pk for user in measure.team}
    # coming home is fine
    back = scan(world, gate, code=code_of(world, zhang), direction="in")
    assert back.scan.verdict == Verdict.PASS


def test_a_household_in_a_lockdown_zone_may_not_go_out(world, gate, clock):
    from wangge.colours.zones import zone_declare

    zhang = world.persons["zhang_san"]
    zone_declare(
        by=world.users["alice"],
        street=world.street,
        kind="lockdown",
        name="1幢封控",
        reason="阳性病例",
        buildings=[zhang.household.building],
        starts_at=at(DAY, 8),
    )
    outcome = scan(world, gate, code=code_of(world, zhang), direction="out")
    assert (outcome.scan.verdict, outcome.reasons) == (Verdict.DENY, (Reason.LOCKDOWN_OUT,))
    assert Alert.objects.filter(kind="checkpoint_lockdown", recipient=world.users["gavin"]).exists()
    # a neighbour of another building is not held
    li = scan(world, gate, code=code_of(world, world.persons["li_si"]), direction="out")
    assert li.scan.verdict == Verdict.PASS


def test_a_typed_id_number_finds_the_person(world, gate, clock):
    outcome = scan(world, gate, id_number=world.persons["wang_wu"].id_number.lower())
    assert outcome.scan.person == world.persons["wang_wu"]
    assert outcome.scan.method == Scan.Method.ID_NUMBER


def test_a_typed_id_number_with_a_wrong_check_digit_is_refused(world, gate, clock):
    number = world.persons["wang_wu"].id_number
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位"):
        scan(world, gate, id_number=wrong)
    assert not Scan.objects.exists()


def test_an_unknown_person_must_register_as_a_visitor_then_gets_a_decision(world, gate, clock):
    from conftest import make_id_number

    outcome = scan(world, gate, direction="in", id_number=make_id_number(77), temperature="36.4")
    assert outcome.scan.verdict == Verdict.CHECK
    assert outcome.reasons == (Reason.UNREGISTERED,)
    assert outcome.scan.needs == Scan.Needs.VISITOR
    # when the visitor is registered, with the host's address
    done = scan_resolve(
        by=world.users["kim"],
        scan=outcome.scan,
        visitor=VisitorData(
            name="钱七",
            purpose="探望父母",
            phone="13900009999",
            host_address="1幢1单元101",
            code_colour="green",
        ),
    )
    # then
    scan_row = done.scan
    assert (scan_row.verdict, done.reasons, scan_row.needs) == (Verdict.PASS, (), "")
    assert scan_row.visitor.host_household == world.households["a"]
    assert scan_row.visitor.phone_masked == "139****9999"
    assert done.subject_label == "钱*（访客）"
    # completing twice changes nothing
    again = scan_resolve(
        by=world.users["kim"],
        scan=scan_row,
        visitor=VisitorData(name="别人", purpose="x", phone="13900000000", code_colour="red"),
    )
    assert again.scan.visitor == scan_row.visitor and not again.created


def test_a_feverish_visitor_with_a_red_code_is_turned_back(world, gate, clock):
    outcome = scan(world, gate, direction="in", phone_tail="0000", temperature="38.1")
    assert outcome.scan.needs == Scan.Needs.VISITOR
    assert Alert.objects.filter(kind="checkpoint_fever").count() == 1
    done = scan_resolve(
        by=world.users["kim"],
        scan=outcome.scan,
        visitor=VisitorData(name="孙八", purpose="送货", phone="13700001234", code_colour="red"),
    )
    assert done.scan.verdict == Verdict.DENY
    assert set(done.reasons) == {Reason.RED_CODE, Reason.FEVER}
    # the fever was alerted when the scan was stored, not a second time
    assert Alert.objects.filter(kind="checkpoint_fever").count() == 1


def test_a_phone_tail_shared_by_two_residents_asks_to_choose(world, gate, clock):
    from conftest import _person

    twin = _person(world.households["b"], "张四", 9, "13800001111")
    outcome = scan(world, gate, phone_tail="1111")
    assert outcome.scan.needs == Scan.Needs.CHOICE
    labels = [label for _, label in outcome.candidates]
    assert labels == ["张* 1幢", "张* 3幢"]
    token = outcome.candidates[1][0]
    done = scan_resolve(by=world.users["kim"], scan=outcome.scan, candidate=token)
    assert done.scan.person == twin
    assert done.scan.needs == ""


def test_a_choice_token_works_only_for_its_own_scan(world, gate, clock):
    from conftest import _person

    _person(world.households["b"], "张四", 9, "13800001111")
    first = scan(world, gate, phone_tail="1111")
    second = scan(world, gate, phone_tail="1111")
    with pytest.raises(ValidationError):
        scan_resolve(by=world.users["kim"], scan=second.scan, candidate=first.candidates[0][0])


def test_a_phone_tail_is_looked_up_only_near_the_checkpoint(world, gate, clock):
    # 赵六 lives in 江景苑 of 西社区, not behind this gate
    outcome = scan(world, gate, phone_tail="4444")
    assert outcome.reasons == (Reason.UNREGISTERED,)


def test_a_reissued_code_makes_the_old_card_invalid(world, gate, clock):
    zhang = world.persons["zhang_san"]
    old = code_of(world, zhang)
    personal_code_reissue(by=world.users["gavin"], person=zhang, reason="遗失")
    assert scan(world, gate, code=old).reasons == (Reason.INVALID_CODE,)
    new = tokens.payload(tokens.PERSON, PersonalCode.objects.get(person=zhang).token_sealed)
    assert scan(world, gate, code=new).scan.person == zhang


def test_a_revoked_code_is_checked(world, gate, clock):
    zhang = world.persons["zhang_san"]
    text = code_of(world, zhang)
    personal_code_revoke(by=world.users["gavin"], person=zhang, reason="冒用")
    assert scan(world, gate, code=text).reasons == (Reason.REVOKED_CODE,)


def test_a_grid_worker_may_not_issue_codes_outside_the_grid(world):
    from wangge.checkpoints.services import personal_codes_issue

    with pytest.raises(PermissionDenied):
        personal_codes_issue(by=world.users["bella"], persons=[world.persons["zhang_san"]])


def test_a_scan_sent_twice_is_stored_once_with_its_first_decision(world, gate, clock):
    zhang = world.persons["zhang_san"]
    first = scan(
        world, gate, code=code_of(world, zhang), temperature="38.5", client_id="phone-1-0001"
    )
    # when the code turns red and the same scan is sent again (a retry)
    health_code(zhang, "red", at(DAY, 8, 59))
    again = scan(
        world, gate, code=code_of(world, zhang), temperature="38.5", client_id="phone-1-0001"
    )
    # then
    assert not again.created
    assert again.scan.pk == first.scan.pk
    assert again.reasons == (Reason.FEVER,)
    assert Scan.objects.count() == 1
    assert ScanReason.objects.count() == 1
    assert Alert.objects.filter(kind="checkpoint_fever").count() == 1


def test_a_client_id_used_at_another_checkpoint_is_refused(world, gate, clock):
    from wangge.checkpoints.services import CheckpointData, checkpoint_create

    other = checkpoint_create(
        by=world.users["carol"],
        data=CheckpointData(
            name="西门", kind="compound_gate", community=world.east, address="西门"
        ),
    )
    scan(world, gate, phone_tail="1111", client_id="phone-1-0002")
    with pytest.raises(ValidationError) as error:
        scan(world, other, by="carol", phone_tail="1111", client_id="phone-1-0002")
    assert error.value.error_code == "client_id_reused"


def test_a_scan_queued_at_2358_and_sent_again_at_0003_is_caught_as_a_replay(world, gate, clock):
    # given a scan made offline at 23:58, received at 23:59
    zhang = world.persons["zhang_san"]
    health_code(zhang, "green", at(DAY, 7))
    made = at(DAY, 23, 58)
    clock.move_to(at(DAY, 23, 59))
    first = scan(world, gate, code=code_of(world, zhang), scanned_at=made, client_id="phone-1-2358")
    # when the phone, which never saw the answer, sends it again after midnight
    clock.move_to(at(DAY + timedelta(days=1), 0, 3))
    again = scan(world, gate, code=code_of(world, zhang), scanned_at=made, client_id="phone-1-2358")
    # then it is the same scan, on the phone's day (its partition), not the server's
    assert (again.created, again.scan.pk) == (False, first.scan.pk)
    assert Scan.objects.get().day == DAY


def test_a_scan_keeps_its_reasons_day_with_them(world, gate, clock):
    outcome = scan(world, gate, phone_tail="1111", temperature="38.5")
    assert ScanReason.objects.get(scan=outcome.scan).scan_day == DAY


@pytest.mark.parametrize("client_id", ["", "short", "bad id with spaces"])
def test_a_scan_needs_a_proper_client_id(world, gate, clock, client_id):
    with pytest.raises(ValidationError):
        scan(world, gate, phone_tail="1111", client_id=client_id)


def test_a_scan_needs_exactly_one_way_of_finding_the_person(world, gate, clock):
    with pytest.raises(ValidationError) as error:
        scan(world, gate, phone_tail="1111", id_number=world.persons["zhang_san"].id_number)
    assert error.value.error_code == "no_subject"


def test_staff_of_another_street_may_not_scan_here(world, gate, clock):
    from conftest import _staff
    from wangge.core.roles import Role
    from wangge.regions.models import Street

    other = Street.objects.create(name="北街道")
    world.users["ken"] = _staff("ken", Role.CHECKPOINT, street=other)
    with pytest.raises(PermissionDenied):
        scan(world, gate, by="ken", phone_tail="1111")


def test_a_scan_can_be_completed_only_for_a_while(world, gate, clock):
    outcome = scan(world, gate, phone_tail="0000")
    clock.shift(timedelta(minutes=31))
    with pytest.raises(ValidationError, match="时限"):
        scan_resolve(
            by=world.users["kim"],
            scan=outcome.scan,
            visitor=VisitorData(
                name="周九", purpose="快递", phone="13700001234", code_colour="green"
            ),
        )


def test_temperatures_are_checked(world, gate, clock):
    with pytest.raises(ValidationError, match="体温"):
        scan(world, gate, phone_tail="1111", temperature="3.65")
    assert scan(world, gate, phone_tail="1111", temperature="36.5").scan.temperature == Decimal(
        "36.5"
    )
