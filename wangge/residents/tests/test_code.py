"""小区码 on the resident's phone: every member's code from one phone, the state a checkpoint
judges (by the checkpoint's own rules function), no-store; another household's member is 404.
And the compound's registration QR: the join link and the staff posters by area."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import _person
from wangge.checkpoints import tokens
from wangge.checkpoints.models import Checkpoint, PersonalCode, Shift, ShiftAssignment
from wangge.checkpoints.selectors import personal_code_card
from wangge.checkpoints.services import ScanInput, personal_code_revoke, scan_record
from wangge.core.models import AuditEntry
from wangge.measures.models import PersonMeasure
from wangge.residents.join import join_token, join_url
from wangge.residents.views.code import QR_SCALE

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _on_duty(user, checkpoint: Checkpoint) -> None:
    today = timezone.localdate()
    starts = datetime(today.year, today.month, today.day, tzinfo=SHANGHAI)
    shift = Shift.objects.create(
        checkpoint=checkpoint, starts_at=starts, ends_at=starts + timedelta(days=1), needed=1
    )
    ShiftAssignment.objects.create(shift=shift, user=user)


def test_a_phone_shows_each_members_code_with_the_state_the_checkpoint_decides(
    fuller_world, resident_client
):
    # given Zhang San under home isolation, and his son in the same household
    zhang_san = fuller_world.persons["zhang_san"]
    son = _person(fuller_world.households["a"], "张小三", 9, "13800009999")
    client, _account = resident_client("13800001111")

    # when he opens his code from his phone
    entry = client.get(reverse("residents:code_entry"))
    assert entry.url == reverse("residents:code", args=[zhang_san.pk])
    page = client.get(entry.url)
    answer = client.get(reverse("residents:code_state", args=[zhang_san.pk]))
    state = answer.json()

    # then the page and the state are no-store, and the QR is the printed card's static token
    assert "no-store" in page["Cache-Control"]
    assert "no-store" in answer["Cache-Control"]
    code = PersonalCode.objects.get(person=zhang_san)
    payload = tokens.payload(tokens.PERSON, code.token_sealed)
    html = page.content.decode()
    assert tokens.qr_svg(payload, QR_SCALE) in html
    assert f'data-own-code="{payload}"' in html
    assert personal_code_card(zhang_san)["qr"] == tokens.qr_svg(payload, 4)
    assert AuditEntry.objects.filter(target_type="checkpoints.personalcode").exists()
    # and the state is what the gate decides when his code is scanned on the way out
    gate = Checkpoint.objects.get(name="阳光花园东门")
    _on_duty(fuller_world.users["kim"], gate)
    scanned = scan_record(
        by=fuller_world.users["kim"],
        checkpoint_id=gate.pk,
        data=ScanInput(client_id=uuid.uuid4().hex, direction="out", code=payload),
    )
    isolation = PersonMeasure.objects.get(person=zhang_san)
    assert state["verdict"] == scanned.scan.verdict == "deny"
    assert state["reasons"] == list(scanned.reasons)
    assert state["colour"] == scanned.scan.code_colour
    assert state["measure"] == {
        "kind": isolation.measure_type.name,
        "until": isolation.end.isoformat(),
    }
    assert 'class="band deny"' in html

    # and his son's code comes from the same phone, without being kept as the phone's own
    son_page = client.get(reverse("residents:code", args=[son.pk]))
    assert son_page.status_code == 200
    assert "data-own-code" not in son_page.content.decode()
    assert client.get(reverse("residents:code_state", args=[son.pk])).json()["verdict"] == "pass"


def test_another_households_member_is_not_found(world, resident_client):
    client, _account = resident_client("13800001111")
    wang_wu = world.persons["wang_wu"]
    assert client.get(reverse("residents:code", args=[wang_wu.pk])).status_code == 404
    assert client.get(reverse("residents:code_state", args=[wang_wu.pk])).status_code == 404
    assert not PersonalCode.objects.filter(person=wang_wu).exists()


def test_a_revoked_code_stays_revoked(world, resident_client):
    client, _account = resident_client("13800001111")
    zhang_san = world.persons["zhang_san"]
    client.get(reverse("residents:code", args=[zhang_san.pk]))
    personal_code_revoke(by=world.users["gavin"], person=zhang_san, reason="丢失")
    page = client.get(reverse("residents:code", args=[zhang_san.pk]))
    assert 'data-testid="revoked"' in page.content.decode()
    assert PersonalCode.objects.get(person=zhang_san).revoked_at is not None


def test_the_join_link_signs_in_then_opens_the_registration_of_the_compound(world, resident_client):
    compound = world.households["a"].building.compound
    link = reverse("residents:join", args=[join_token(compound)])
    # not signed in: to the sign-in, back to the link afterwards
    answer = Client().get(link)
    assert answer.url.startswith(reverse("residents:signin") + "?next=")
    assert "/my/join/" in answer.url
    # signed in: to the registration entry with the compound chosen
    client, _account = resident_client("13800001111")
    assert (
        client.get(link).url
        == reverse("residents:my_registration_new") + f"?compound={compound.pk}"
    )
    # a forged token is not found
    assert client.get(reverse("residents:join", args=[f"{compound.pk}:forged"])).status_code == 404


def test_posters_are_printed_for_the_compounds_of_ones_area(world, client, monkeypatch):
    sunny = world.households["a"].building.compound
    river = world.households["d"].building.compound
    drawn = []

    def html_only(template_name, context, *, request=None):  # WeasyPrint takes seconds
        drawn.append(render_to_string(template_name, context, request=request))
        return b"%PDF-"

    monkeypatch.setattr("wangge.residents.views.join.render_pdf", html_only)
    client.force_login(world.users["bella"])  # grid worker of grid B, in 阳光花园 only
    listing = client.get(reverse("residents:join_posters")).content.decode()
    assert f'data-testid="compound-{sunny.pk}"' in listing
    assert f'data-testid="compound-{river.pk}"' not in listing
    assert client.get(reverse("residents:join_poster", args=[river.pk])).status_code == 404
    poster = client.get(reverse("residents:join_poster", args=[sunny.pk]))
    assert poster["Content-Type"] == "application/pdf"
    # the poster's QR is the compound's join link, the same on every print
    assert tokens.qr_svg(join_url(sunny), scale=8) in drawn[0]
    assert "阳光花园" in drawn[0]
