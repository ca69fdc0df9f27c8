"""Every URL of the URL configuration, rendered with GET as every role of the world and as a
visitor, answers without a server error, and no HTML or SVG it returns carries what the
Content-Security-Policy (script-src 'self', docs/adr/0004-content-security-policy.md) refuses:
a <script> without src that is not JSON data, an on*= event handler, an hx-on attribute or a
javascript: URL.

Path parameters are filled with ids of real objects: the world's regions, persons and staff, and
the checkpoint, testing round, measure (with its tests), event and message of `fuller_world`
(tests/conftest.py). A parameterised URL whose kind of object does not exist there is skipped;
SKIPPED names every such URL, and the test fails when that list is no longer exact, so a new URL
gets an object or a line there. Django REST framework's pages (the browsable API, the API docs)
are drawn by DRF's templates, the same for every role: the admin persona renders them. The Django
admin is rendered by a superuser (the others are sent to its login page, which the visitor
renders); its change pages take the first object of their model, when there is one.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Model
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from wangge.accounts.models import User

JSON_TYPES = {"application/json", "application/ld+json"}
HANDLER = re.compile(r"^on[a-z]+$")
HX_ON = re.compile(r"^(data-)?hx-on")
MARKUP_TYPES = ("text/html", "image/svg+xml")

# The first object of a model, by URL name and path parameter ("app_label.Model").
OBJECTS: dict[str, dict[str, str]] = {
    "core:job": {"pk": "core.Job"},
    "teams:call_detail": {"pk": "teams.Call"},
    "teams:call_send": {"pk": "teams.Call"},
    "teams:call_close": {"pk": "teams.Call"},
    "teams:call_assign": {"pk": "teams.Call", "invite_pk": "teams.CallInvite"},
    "team-call-detail": {"pk": "teams.Call"},
    "team-call-send": {"pk": "teams.Call"},
    "team-call-close": {"pk": "teams.Call"},
    "team-call-invites": {"pk": "teams.Call"},
    "teams:care_plan": {"pk": "teams.CarePlan"},
    "teams:care_call": {"pk": "teams.CarePlan"},
    "teams:care_carer": {"pk": "teams.CarePlan"},
    "teams:care_end": {"pk": "teams.CarePlan"},
    "care-plan-detail": {"pk": "teams.CarePlan"},
    "welfare-call-detail": {"pk": "teams.WelfareCall"},
    "sweeps:campaign": {"pk": "sweeps.Campaign"},
    "sweeps:grid": {"pk": "sweeps.Campaign", "grid_id": "regions.Grid"},
    "sweeps:building_map": {"pk": "sweeps.Campaign", "building_id": "regions.Building"},
    "sweeps:proposal_confirm": {"pk": "sweeps.Proposal"},
    "sweeps:proposal_reject": {"pk": "sweeps.Proposal"},
    "sweep-progress-detail": {"pk": "sweeps.Campaign"},
    "sweep-proposal-detail": {"pk": "sweeps.Proposal"},
    "sweep-proposal-confirm": {"pk": "sweeps.Proposal"},
    "sweep-proposal-reject": {"pk": "sweeps.Proposal"},
    "sweeps:start": {"pk": "sweeps.Campaign"},
    "sweeps:close": {"pk": "sweeps.Campaign"},
    "sweeps:go": {"pk": "sweeps.Campaign"},
    "sweeps:sweepers": {"pk": "sweeps.Campaign"},
    "sweeps:building": {"pk": "sweeps.Campaign", "building_pk": "regions.Building"},
    "sweep-campaign-detail": {"pk": "sweeps.Campaign"},
    "sweep-campaign-start": {"pk": "sweeps.Campaign"},
    "sweep-campaign-assign": {"pk": "sweeps.Campaign"},
    "sweep-campaign-close": {"pk": "sweeps.Campaign"},
    "sweep-visit-detail": {"pk": "sweeps.Visit"},
    "supplies:need": {"pk": "supplies.Need"},
    "supplies:need_act": {"pk": "supplies.Need"},
    "supplies:need_photo": {"pk": "supplies.Need"},
    "residents:supplies_cancel": {"pk": "supplies.Need"},
    "supply-need-detail": {"pk": "supplies.Need"},
    "supply-need-approve": {"pk": "supplies.Need"},
    "supply-need-reject": {"pk": "supplies.Need"},
    "supply-need-pick": {"pk": "supplies.Need"},
    "supply-need-dispatch": {"pk": "supplies.Need"},
    "supply-need-handover": {"pk": "supplies.Need"},
    "supply-need-cancel": {"pk": "supplies.Need"},
    "venues:detail": {"pk": "venues.Venue"},
    "venues:edit": {"pk": "venues.Venue"},
    "venues:code_reissue": {"pk": "venues.Venue"},
    "venues:staff_add": {"pk": "venues.Venue"},
    "venues:staff_remove": {"pk": "venues.VenueStaff"},
    "venues:poster": {"pk": "venues.Venue"},
    "residents:code": {"person_id": "people.Person"},
    "residents:code_state": {"person_id": "people.Person"},
    "residents:join_poster": {"pk": "regions.Compound"},
    "venues:grid_posters": {"pk": "regions.Grid"},
    "core:job_download": {"pk": "core.Job"},
    "accounts:staff_detail": {"pk": "accounts.User"},
    "accounts:staff_grant": {"pk": "accounts.User"},
    "accounts:staff_revoke": {"pk": "accounts.User", "assignment_pk": "accounts.RoleAssignment"},
    "accounts:staff_deactivate": {"pk": "accounts.User"},
    "accounts:staff_unlock": {"pk": "accounts.User"},
    "colours:street": {"pk": "regions.Street"},
    "colours:grid": {"pk": "regions.Grid"},
    "colours:compound": {"pk": "regions.Compound"},
    "colours:plan_svg": {"pk": "regions.Compound"},
    "colours:public_switch": {"pk": "regions.Compound"},
    "colours:building": {"pk": "regions.Building"},
    "colours:override": {"pk": "regions.Household"},
    "regions:street_detail": {"pk": "regions.Street"},
    "regions:community_detail": {"pk": "regions.Community"},
    "regions:grid_detail": {"pk": "regions.Grid"},
    "regions:compound_detail": {"pk": "regions.Compound"},
    "regions:building_detail": {"pk": "regions.Building"},
    "regions:household_detail": {"pk": "regions.Household"},
    "regions:household_edit": {"pk": "regions.Household"},
    "people:person_detail": {"pk": "people.Person"},
    "people:person_edit": {"pk": "people.Person"},
    "people:person_status": {"pk": "people.Person"},
    "people:person_verify": {"pk": "people.Person"},
    "people:person_reveal": {"pk": "people.Person"},
    "people:person_create": {"household_pk": "regions.Household"},
    "measures:detail": {"pk": "measures.PersonMeasure"},
    "measures:checkin": {"pk": "measures.PersonMeasure"},
    "measures:release": {"pk": "measures.PersonMeasure"},
    "measures:end_early": {"pk": "measures.PersonMeasure"},
    "measures:transfer": {"pk": "measures.PersonMeasure"},
    "measures:test_record": {"pk": "measures.MeasureTest"},
    "measures:timeline": {"pk": "people.Person"},
    "measures:rule_set": {"pk": "measures.RuleSet"},
    "tracing:case": {"pk": "measures.Case"},
    "tracing:case_run": {"pk": "measures.Case"},
    "tracing:case_people": {"pk": "measures.Case"},
    "tracing:case_named": {"pk": "measures.Case"},
    "tracing:case_named_list": {"pk": "measures.Case"},
    "tracing:case_list": {"pk": "measures.Case"},
    "tracing:case_graph": {"pk": "measures.Case"},
    "tracing:candidate_confirm": {"pk": "tracing.Candidate"},
    "tracing:candidate_dismiss": {"pk": "tracing.Candidate"},
    "tracing:candidate_reopen": {"pk": "tracing.Candidate"},
    "measures:measure_type_edit": {"pk": "measures.RuleSet", "type_pk": "measures.MeasureType"},
    "testing:round": {"pk": "testing.NucleicRound"},
    "testing:round_coverage": {"pk": "testing.NucleicRound"},
    "testing:site_add": {"pk": "testing.NucleicRound"},
    "testing:untested": {"pk": "testing.NucleicRound"},
    "testing:untested_xlsx": {"pk": "testing.NucleicRound"},
    "testing:mark": {"pk": "testing.NucleicRound", "person_pk": "people.Person"},
    "testing:call": {"pk": "testing.NucleicRound", "person_pk": "people.Person"},
    "testing:outreach_note": {"person_pk": "people.Person"},
    "testing:slot_book": {"person_pk": "people.Person"},
    "command:event_detail": {"pk": "command.Event"},
    "command:event_handover": {"pk": "command.Event"},
    "command:playbook_run": {"pk": "command.Event", "playbook_pk": "command.Playbook"},
    "command:event_action": {"pk": "command.Event"},
    "checkpoints:detail": {"pk": "checkpoints.Checkpoint"},
    "checkpoints:edit": {"pk": "checkpoints.Checkpoint"},
    "checkpoints:poster": {"pk": "checkpoints.Checkpoint"},
    "checkpoints:code_renew": {"pk": "checkpoints.Checkpoint"},
    "checkpoints:scan": {"pk": "checkpoints.Checkpoint"},
    "checkpoints:scan_recent": {"pk": "checkpoints.Checkpoint"},
    "checkpoints:handout": {"pk": "checkpoints.Checkpoint"},
    "checkpoints:door_new": {"pk": "checkpoints.Checkpoint"},
    "checkpoints:roster": {"pk": "checkpoints.Checkpoint"},
    "checkpoints:roster_xlsx": {"pk": "checkpoints.Checkpoint"},
    "checkpoints:codes_building": {"pk": "regions.Building"},
    "checkpoints:code_reissue": {"pk": "people.Person"},
    "checkpoints:passes_print": {"pk": "regions.Building"},
    "community-detail": {"pk": "regions.Community"},
    "grid-detail": {"pk": "regions.Grid"},
    "compound-detail": {"pk": "regions.Compound"},
    "building-detail": {"pk": "regions.Building"},
    "household-detail": {"pk": "regions.Household"},
    "person-detail": {"pk": "people.Person"},
    "person-reveal": {"pk": "people.Person"},
    "household-colour-detail": {"pk": "regions.Household"},
    "household-colour-history": {"pk": "regions.Household"},
    "test-round-detail": {"pk": "testing.NucleicRound"},
    "test-round-coverage": {"pk": "testing.NucleicRound"},
    "test-round-marks": {"pk": "testing.NucleicRound"},
    "test-round-untested": {"pk": "testing.NucleicRound"},
    "event-detail": {"pk": "command.Event"},
    "event-hand-over": {"pk": "command.Event"},
    "event-transition": {"pk": "command.Event"},
    "playbook-detail": {"pk": "command.Playbook"},
    "playbook-instantiate": {"pk": "command.Playbook"},
    "measure-type-detail": {"pk": "measures.MeasureType"},
    "person-measure-detail": {"pk": "measures.PersonMeasure"},
    "person-measure-end-early": {"pk": "measures.PersonMeasure"},
    "person-measure-release": {"pk": "measures.PersonMeasure"},
    "person-measure-transfer": {"pk": "measures.PersonMeasure"},
    "measure-test-detail": {"pk": "measures.MeasureTest"},
    "checkpoint-detail": {"pk": "checkpoints.Checkpoint"},
    "measures:case_new": {"person_pk": "people.Person"},
    "tracing:case_export": {"pk": "measures.Case"},
    "trace-case-detail": {"pk": "measures.Case"},
    "trace-case-run": {"pk": "measures.Case"},
    "trace-case-named": {"pk": "measures.Case"},
    "trace-case-named-from-list": {"pk": "measures.Case"},
    "trace-case-verification-list": {"pk": "measures.Case"},
    "trace-case-export": {"pk": "measures.Case"},
    "trace-candidate-detail": {"pk": "tracing.Candidate"},
    "trace-candidate-confirm": {"pk": "tracing.Candidate"},
    "trace-candidate-dismiss": {"pk": "tracing.Candidate"},
    "trace-candidate-reopen": {"pk": "tracing.Candidate"},
    "devices:detail": {"pk": "devices.Device"},
    "devices:revoke": {"pk": "devices.Device"},
    "device-detail": {"pk": "devices.Device"},
    "device-revoke": {"pk": "devices.Device"},
    "device-alert-detail": {"pk": "devices.DeviceAlert"},
    "notify:message": {"pk": "notify.Message"},
    "notify:message_cancel": {"pk": "notify.Message"},
    "notify:message_calls": {"pk": "notify.Message"},
    "notify:call_dial": {"pk": "notify.Recipient"},
    "notify:call_mark": {"pk": "notify.Recipient"},
    "notify:person_log": {"pk": "people.Person"},
    "notify:household_log": {"pk": "regions.Household"},
    "notify:template_edit": {"pk": "notify.Template"},
    "notify:template_remove": {"pk": "notify.Template"},
    "notify:list_remove": {"pk": "notify.SavedList"},
    "notify:robot_off": {"pk": "notify.Robot"},
    "message-detail": {"pk": "notify.Message"},
    "message-send": {"pk": "notify.Message"},
    "message-cancel": {"pk": "notify.Message"},
    "message-delivery-status": {"pk": "notify.Message"},
    "message-acknowledgements": {"pk": "notify.Message"},
    "message-calls": {"pk": "notify.Message"},
    "venues:visits": {"pk": "venues.Venue"},
    "visit-detail": {"pk": "venues.Visit"},
    "venues:inspect": {"pk": "venues.Venue"},
    "venues:closed_set": {"pk": "venues.Venue"},
    "venues:card_notice": {"pk": "venues.Card"},
    "venues:public_carded": {"street_pk": "regions.Street"},
    "venue-checklist-detail": {"pk": "venues.VenueKind"},
    "venue-inspection-detail": {"pk": "venues.Inspection"},
    "venue-card-detail": {"pk": "venues.Card"},
    "venue-detail": {"pk": "venues.Venue"},
    "venue-kind-detail": {"pk": "venues.VenueKind"},
    "venues:disinfection_photo": {"pk": "venues.DisinfectionLog"},
    "disinfection-log-detail": {"pk": "venues.DisinfectionLog"},
    "residents:checkin": {"person_id": "people.Person"},
    "teams:baobao_household": {"pk": "regions.Household"},
    "teams:baobao_end": {"pk": "people.Assignment"},
    "team-assignment-detail": {"pk": "people.Assignment"},
    "team-assignment-end": {"pk": "people.Assignment"},
    "teams:position_edit": {"pk": "teams.Position"},
    "teams:position_up": {"pk": "teams.Position"},
    "teams:duty_add": {"pk": "teams.Position"},
    "teams:duty_edit": {"pk": "teams.PositionDuty"},
    "teams:duty_remove": {"pk": "teams.PositionDuty"},
    "teams:holder_add": {"pk": "teams.Position"},
    "teams:holder_end": {"pk": "teams.PositionHolder"},
    "teams:duties_street_pdf": {"pk": "regions.Street"},
    "teams:duties_community_pdf": {"pk": "regions.Community"},
    "teams:service_add": {"pk": "teams.Position"},
    "teams:unit": {"pk": "teams.CobuildingUnit"},
    "teams:unit_edit": {"pk": "teams.CobuildingUnit"},
    "teams:letter_add": {"pk": "teams.CobuildingUnit"},
    "teams:building_take": {"pk": "teams.CobuildingUnit"},
    "teams:building_release": {"pk": "teams.CobuildingUnit"},
    "teams:letter_scan": {"pk": "teams.ResponsibilityLetter"},
    "teams:letter_pdf": {"pk": "teams.ResponsibilityLetter"},
    "team-position-detail": {"pk": "teams.Position"},
    "cobuilding-unit-detail": {"pk": "teams.CobuildingUnit"},
    "supplies:item_edit": {"pk": "supplies.Item"},
    "supplies:place": {"pk": "supplies.Place"},
    "supplies:place_edit": {"pk": "supplies.Place"},
    "supplies:receive": {"pk": "supplies.Place"},
    "supplies:issue": {"pk": "supplies.Place"},
    "supplies:transfer": {"pk": "supplies.Place"},
    "supplies:ledger": {"pk": "supplies.Place"},
    "supplies:ledger_export": {"pk": "supplies.Place"},
    "supplies:write_off": {"pk": "supplies.Batch"},
    "supplies:reverse": {"pk": "supplies.StockMove"},
    "supply-item-detail": {"pk": "supplies.Item"},
    "supply-place-detail": {"pk": "supplies.Place"},
    "supply-batch-detail": {"pk": "supplies.Batch"},
    "supply-move-detail": {"pk": "supplies.StockMove"},
    "supply-move-reverse": {"pk": "supplies.StockMove"},
    "supplies:donation": {"pk": "supplies.Donation"},
    "supplies:thanks": {"street_pk": "regions.Street"},
    "supply-donation-detail": {"pk": "supplies.Donation"},
    "supplies:count": {"pk": "supplies.StockCount"},
    "supplies:count_approve": {"pk": "supplies.StockCount"},
    "supplies:count_reject": {"pk": "supplies.StockCount"},
    "supplies:count_sheet": {"place_pk": "supplies.Place"},
    "reports:template": {"pk": "reports.UpstreamTemplate"},
    "reports:template_file": {"pk": "reports.UpstreamTemplate"},
    "reports:fill_file": {"pk": "reports.UpstreamFill"},
    "report-template-detail": {"pk": "reports.UpstreamTemplate"},
    "report-template-file": {"pk": "reports.UpstreamTemplate"},
    "report-template-fill": {"pk": "reports.UpstreamTemplate"},
    "report-fill-detail": {"pk": "reports.UpstreamFill"},
    "report-fill-file": {"pk": "reports.UpstreamFill"},
    "report-snapshot-detail": {"pk": "reports.Snapshot"},
}
# Path parameters that are no object: a valid value each.
VALUES: dict[str, dict[str, str]] = {
    "people:person_reveal": {"field": "id_number"},
    "command:event_action": {"action": "acknowledge"},
    "command:review_day": {"day": "2022-07-01"},
    "devices:hook": {"serial": "door-1", "token": "wgd_not-the-token"},
    "notify:ack": {"token": "1.not-signed"},
    "notify:receipts": {"token": "not-the-token"},
    "venues:visit": {"token": "fuller-world-venue"},  # 老街面馆's code (conftest.fuller_world)
    "venues:public_status": {"token": "fuller-world-venue"},  # 老街面馆's code
    "residents:join": {"token": "1:not-signed"},
    "teams:call_answer": {"token": "not-a-call-token"},
    "supplies:donor": {"token": "1:not-signed"},
}
# Parameterised URLs skipped because this world has no object of their kind.
SKIPPED: dict[str, str] = {
    "accounts:staff_import_detail": "no staff import",
    "accounts:staff_import_credentials": "no staff import",
    "accounts:token_revoke": "no API token",
    "colours:override_lift": "no household colour override",
    "colours:zone": "no zone",
    "colours:area_end": "no area colour",
    "imports:detail": "no roster import",
    "imports:progress": "no roster import",
    "imports:confirm": "no roster import",
    "imports:undo": "no roster import",
    "imports:report": "no roster import",
    "venues:import_detail": "no venue import",
    "residents:session_end": "no resident session (a POST of the resident's own page)",
    "residents:account_disable": "no resident account (a POST of the household page)",
    "residents:account_enable": "no resident account (a POST of the household page)",
    "residents:request_mine": "no resident request",
    "residents:request_withdraw": "no resident request",
    "residents:request_rate": "no resident request",
    "residents:request_photo_mine": "no resident request",
    "residents:request_detail": "no resident request",
    "residents:request_act": "no resident request",
    "residents:request_photo": "no resident request",
    "my-request-detail": "no resident request",
    "my-request-withdraw": "no resident request",
    "my-request-rate": "no resident request",
    "resident-request-detail": "no resident request",
    "resident-request-take": "no resident request",
    "resident-request-done": "no resident request",
    "resident-request-decline": "no resident request",
    "residents:my_registration": "no resident session (the resident's own registration)",
    "residents:my_registration_withdraw": "no resident session (a POST of the resident's page)",
    "residents:my_registration_landlord": "no resident session (a POST of the resident's page)",
    "residents:registration": "no resident registration",
    "residents:registration_confirm": "no resident registration",
    "residents:registration_reject": "no resident registration",
    "my-registration-detail": "no resident session (the resident API)",
    "my-tenancy-detail": "no resident session (the resident API)",
    "my-tenancy-answer": "no resident session (the resident API)",
    "my-registration-withdraw": "no resident session (the resident API)",
    "resident-registration-detail": "no resident registration",
    "resident-registration-confirm": "no resident registration",
    "resident-registration-reject": "no resident registration",
    "venues:import_report": "no venue import",
    "measures:resident_checkin": "a signed link, no object: see test_the_resident_check_in_page_…",
    "measures:risk_area": "no risk area",
    "measures:risk_area_edit": "no risk area",
    "measures:arrival": "no arrival report",
    "testing:import": "no lab-result import",
    "testing:unmatched_candidates": "no unmatched result",
    "testing:unmatched_resolve": "no unmatched result",
    "testing:unmatched_dismiss": "no unmatched result",
    "testing:keygroup": "no key group",
    "testing:member_add": "no key group",
    "testing:members_import": "no key group",
    "testing:member_leave": "no key group",
    "command:task_detail": "no task",
    "command:task_cancel": "no task",
    "command:task_feedback": "no task",
    "command:task_action": "no task",
    "command:attachment": "no task attachment",
    "command:verification_detail": "no verification list",
    "command:verification_export": "no verification list",
    "command:row_answer": "no verification list",
    "command:bundle_detail": "no playbook run",
    "checkpoints:assign": "no shift",
    "checkpoints:note": "no shift",
    "checkpoints:unassign": "no shift assignment",
    "checkpoints:volunteer_clock": "no shift assignment",
    "teams:team": "no team (teams/tests/test_pages.py renders it)",
    "teams:team_edit": "no team",
    "teams:member_new": "no team",
    "teams:member": "no team member (teams/tests/test_pages.py renders it)",
    "teams:member_edit": "no team member",
    "teams:member_leave": "no team member",
    "teams:member_decide": "no team member",
    "teams:record_new": "no team member",
    "team-detail": "no team",
    "team-member-detail": "no team member",
    "team-member-confirm": "no team member",
    "team-member-decline": "no team member",
    "checkpoints:scan_detail": "no scan",
    "checkpoints:pass_revoke": "no pass",
    "checkpoints:door_edit": "no door controller",
    "checkpoints:door_test": "no door controller",
    "colour-override-detail": "no household colour override",
    "colour-override-lift": "no household colour override",
    "zone-detail": "no zone",
    "zone-lift": "no zone",
    "area-colour-detail": "no area colour",
    "area-colour-end": "no area colour",
    "test-result-detail": "no lab result",
    "test-import-detail": "no lab-result import",
    "test-import-rejected": "no lab-result import",
    "test-unmatched-detail": "no unmatched result",
    "test-unmatched-dismiss": "no unmatched result",
    "test-unmatched-resolve": "no unmatched result",
    "key-group-detail": "no key group",
    "key-group-members": "no key group",
    "vaccination-dose-detail": "no vaccination dose",
    "task-detail": "no task",
    "task-cancel": "no task",
    "task-drill": "no task",
    "task-feedback": "no task",
    "task-transition": "no task",
    "verification-list-detail": "no verification list",
    "verification-list-export": "no verification list",
    "verification-list-progress": "no verification list",
    "verification-row-detail": "no verification list",
    "verification-row-answer": "no verification list",
    "playbook-run-detail": "no playbook run",
    "check-in-detail": "no check-in",
    "case-detail": "no case (the API's JSON; the case pages are swept)",
    "risk-area-detail": "no risk area",
    "arrival-report-detail": "no arrival report",
    "arrival-report-confirm": "no arrival report",
    "health-code-detail": "no health-code change",
    "scan-detail": "no scan",
    "pass-detail": "no pass",
    "door-detail": "no door controller",
    "pass-revoke": "no pass",
    "shift-detail": "no shift",
    "shift-assign": "no shift",
    "shift-notes": "no shift",
    "shift-unassign": "no shift",
    "residents:notice": "no notice (a resident's own page)",
    "residents:staff_notice": "no notice",
    "residents:staff_self_test_photo": "no self-test",
    "my-notice-detail": "no notice",
    "my-notice-read": "no notice",
    "resident-notice-detail": "no notice",
    "resident-notice-unread": "no notice",
    "resident-self-test-detail": "no self-test",
}


class InlineScriptFinder(HTMLParser):
    """Collects what a script-src 'self' policy refuses, one line each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        kind = (values.get("type") or "").lower()
        if tag == "script" and not values.get("src") and kind not in JSON_TYPES:
            self.found.append(f"inline <script {self.get_starttag_text()}>")
        for name, value in attrs:
            if HANDLER.match(name):
                self.found.append(f"handler {name}= on <{tag}>")
            if HX_ON.match(name):
                self.found.append(f"{name} on <{tag}>")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {name}= on <{tag}>")

    handle_startendtag = handle_starttag


def offences(markup: str) -> list[str]:
    finder = InlineScriptFinder()
    finder.feed(markup)
    finder.close()
    return finder.found


def _patterns(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    """(namespaced name, pattern) of every named URL pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _patterns(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name, pattern


def _first(label: str) -> int | None:
    model: type[Model] = apps.get_model(label)
    return model._default_manager.order_by("pk").values_list("pk", flat=True).first()


def _kwargs(name: str, parameters: set[str]) -> dict[str, Any] | None:
    """The path parameters of one URL from real objects, or None when one has no object."""
    values: dict[str, Any] = dict(VALUES.get(name, {}))
    for parameter, label in OBJECTS.get(name, {}).items():
        values[parameter] = _first(label)
    if None in values.values() or set(values) != parameters:
        return None
    return values


def _admin_kwargs(name: str) -> dict[str, Any] | None:
    """admin:<app>_<model>_<view>: the first object of that model."""
    app_model = name.removeprefix("admin:").rsplit("_", 1)[0]
    for model in apps.get_models():
        if f"{model._meta.app_label}_{model._meta.model_name}" == app_model:
            pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            return None if pk is None else {"object_id": pk}
    return None


@dataclass
class Sweep:
    pages: list[str] = field(default_factory=list)
    drf_pages: list[str] = field(default_factory=list)
    admin_pages: list[str] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)


def urls() -> Sweep:
    """Every URL, filled: our pages; those of Django REST framework views (the API and its
    docs), drawn by DRF's own templates; the admin's; and the names skipped for want of an
    object. The admin's pages of a model without objects are left out without a name."""
    sweep = Sweep()
    for name, pattern in _patterns(get_resolver().url_patterns):
        parameters = set(pattern.pattern.regex.groupindex)
        if "format" in parameters:
            continue  # a format suffix (.json, .api) of a route swept without it
        if name.startswith("admin:"):
            if parameters and parameters != {"object_id"}:
                continue  # the admin's app index, password change and shortcut views
            kwargs = _admin_kwargs(name) if parameters else {}
            if kwargs is not None:
                sweep.admin_pages.append(reverse(name, kwargs=kwargs))
            continue
        kwargs = _kwargs(name, parameters) if parameters else {}
        if kwargs is None:
            sweep.skipped.add(name)
        elif hasattr(pattern.callback, "cls"):
            sweep.drf_pages.append(reverse(name, kwargs=kwargs))
        else:
            sweep.pages.append(reverse(name, kwargs=kwargs))
    return sweep


def _sweep(client: Client, pages: list[str], problems: list[str], who: str) -> None:
    for url in pages:
        response = client.get(url, HTTP_ACCEPT="text/html")
        if response.status_code >= 500:
            problems.append(f"{who} {url}: {response.status_code}")
        # the test client closes a streamed response once it has been read to the end
        body = (
            b"".join(response.streaming_content)
            if isinstance(response, StreamingHttpResponse)
            else response.content
        )
        if not response.get("Content-Type", "").startswith(MARKUP_TYPES):
            continue
        for found in offences(body.decode(response.charset or "utf-8")):
            problems.append(f"{who} {url}: {found}")


ROLES = ["admin", "alice", "carol", "gavin", "dora", "paul", "kim", "ian", "tracy"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="sweeps over every endpoint run on PostgreSQL only"
)
@pytest.mark.django_db
def test_no_page_of_any_role_carries_an_inline_script_handler_or_javascript_url(
    fuller_world,
) -> None:
    world = fuller_world
    # given the world, a few more objects, and every URL filled with real ids
    sweep = urls()
    assert sweep.skipped ^ set(SKIPPED) == set(), "name the object in OBJECTS or SKIPPED's reason"
    root = User.objects.create_superuser(username="root", password=None)
    problems: list[str] = []

    # when every role (one persona each) and a visitor render our pages, the admin persona the
    # DRF pages (the same templates for every role), and a superuser the Django admin
    for username in ROLES:
        client = Client()
        client.force_login(world.users[username])
        pages = sweep.pages + (sweep.drf_pages if username == "admin" else [])
        _sweep(client, pages, problems, username)
    _sweep(Client(), [*sweep.pages, reverse("admin:login")], problems, "visitor")
    superuser = Client()
    superuser.force_login(root)
    _sweep(superuser, sweep.admin_pages, problems, "root")

    # then nothing the policy would refuse was found, and no page failed
    assert problems == []


@pytest.mark.parametrize(
    ("markup", "found"),
    [
        ("<script>alert(1)</script>", 1),
        ('<script type="module">go()</script>', 1),
        ('<script type="application/json" id="d">{}</script>', 0),
        ('<script src="/static/js/wangge.js" defer></script>', 0),
        ('<select onchange="this.form.submit()"></select>', 1),
        ('<button ONCLICK="x()">', 1),
        ('<div hx-on:click="go()"></div>', 1),
        ('<div data-hx-on--after-request="go()"></div>', 1),
        ('<a href=" JavaScript:go()">', 1),
        ('<img src="x" onerror="go()"/>', 1),
        ("<details open><select data-autosubmit></select></details>", 0),
        ('<form data-confirm="确认？" action="/x/"></form>', 0),
    ],
)
def test_the_finder_flags_what_the_policy_refuses_and_nothing_else(markup: str, found: int) -> None:
    assert len(offences(markup)) == found


@pytest.mark.django_db
def test_the_resident_check_in_page_carries_no_inline_script(fuller_world, client) -> None:
    # given a measure and its resident's signed check-in link
    from wangge.measures.models import PersonMeasure
    from wangge.measures.services.checkins import checkin_link_token

    measure = PersonMeasure.objects.get()

    # when the resident (no account) opens the link, and a forged one
    pages = [
        reverse("measures:resident_checkin", args=[checkin_link_token(measure)]),
        reverse("measures:resident_checkin", args=["forged"]),
    ]
    responses = [client.get(url) for url in pages]

    # then both pages render, and neither carries an inline script
    assert [r.status_code for r in responses] == [200, 404]
    assert [offences(r.content.decode()) for r in responses] == [[], []]
