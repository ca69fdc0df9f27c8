"""An audit entry says where its write came from: the client's address and browser for a page or
the API, nothing for a task or a command (Origin.SYSTEM)."""

import dataclasses

import pytest
from django.test import RequestFactory

from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.people.services import person_reveal


def test_an_origin_is_read_from_the_request():
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="x" * 400)

    origin = Origin.from_request(request)

    assert origin.ip == "10.1.2.3"
    assert origin.agent == "x" * 300


def test_no_request_is_the_system_and_an_origin_is_frozen():
    assert Origin.from_request(None) is Origin.SYSTEM
    assert Origin(ip=None, agent="") == Origin.SYSTEM
    with pytest.raises(dataclasses.FrozenInstanceError):
        Origin.SYSTEM.ip = "10.0.0.1"


def test_a_service_called_without_origin_audits_no_address(world):
    # given a service called as a task or a command calls it
    entry = audit_record(actor=world.users["gavin"], action="export", target_label="x")
    # then
    assert (entry.ip, entry.user_agent) == (None, "")


def test_a_service_writes_the_origin_it_is_given(world):
    # given
    origin = Origin(ip="192.0.2.7", agent="Wangge-Android/3.1")
    # when
    person_reveal(
        by=world.users["gavin"],
        person=world.persons["zhang_san"],
        field="id_number",
        reason="核对身份",
        origin=origin,
    )
    # then
    entry = AuditEntry.objects.get(action="reveal")
    assert (entry.ip, entry.user_agent) == ("192.0.2.7", "Wangge-Android/3.1")


def test_the_api_passes_the_client_address_and_agent_to_the_audit(world, api_client_for):
    # given
    client = api_client_for(world.users["gavin"])
    # when
    response = client.post(
        f"/api/persons/{world.persons['zhang_san'].pk}/reveal/",
        {"field": "id_number", "reason": "核对身份"},
        format="json",
        REMOTE_ADDR="198.51.100.4",
        HTTP_USER_AGENT="pytest-agent",
    )
    # then
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="reveal")
    assert (entry.ip, entry.user_agent) == ("198.51.100.4", "pytest-agent")
