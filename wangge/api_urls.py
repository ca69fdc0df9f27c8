"""The REST API: one router for every app's viewsets (see docs/api.md)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from wangge.accounts.api import MeView
from wangge.checkpoints.api.doors import DoorViewSet
from wangge.checkpoints.api.views import (
    CheckpointViewSet,
    PassViewSet,
    ScanViewSet,
    ShiftViewSet,
)
from wangge.colours.api import (
    AreaColourViewSet,
    HouseholdColourViewSet,
    OverrideViewSet,
    ZoneViewSet,
)
from wangge.command.api.events import EventViewSet, PlaybookRunViewSet, PlaybookViewSet
from wangge.command.api.tasks import TaskKindViewSet, TaskViewSet
from wangge.command.api.verification import VerificationListViewSet, VerificationRowViewSet
from wangge.devices.api import DeviceAlertViewSet, DeviceViewSet
from wangge.measures.api.cases import CaseViewSet
from wangge.measures.api.intake import ArrivalReportViewSet, HealthCodeViewSet, RiskAreaViewSet
from wangge.measures.api.measures import (
    CheckInViewSet,
    MeasureTestViewSet,
    MeasureTypeViewSet,
    PersonMeasureViewSet,
)
from wangge.notify.api import MessageViewSet
from wangge.people.api import PersonViewSet, TagViewSet
from wangge.people.area_api import (
    BuildingViewSet,
    CommunityViewSet,
    CompoundViewSet,
    GridViewSet,
    HouseholdViewSet,
)
from wangge.reports.api.approvals import ApprovalViewSet
from wangge.reports.api.snapshots import DistrictViewSet, FiguresViewSet, SnapshotViewSet
from wangge.reports.api.upstream import FillViewSet, ReceivedViewSet, TemplateViewSet
from wangge.residents.api.household import MyHouseholdViewSet
from wangge.residents.api.notices import MyNoticeViewSet, NoticeViewSet
from wangge.residents.api.registration import MyRegistrationViewSet, RegistrationViewSet
from wangge.residents.api.reports import (
    MyArrivalViewSet,
    MyCheckInViewSet,
    MySelfTestViewSet,
    SelfTestViewSet,
)
from wangge.residents.api.requests import MyRequestViewSet, RequestViewSet
from wangge.residents.api.session import MySessionViewSet
from wangge.residents.api.tenancy import MyTenancyViewSet
from wangge.supplies.api.donations import DonationViewSet
from wangge.supplies.api.needs import NeedViewSet
from wangge.supplies.api.stock import BatchViewSet, ItemViewSet, MoveViewSet, PlaceViewSet
from wangge.sweeps.api.campaigns import CampaignViewSet, SweepSyncViewSet, SweepVisitViewSet
from wangge.sweeps.api.progress import SweepProgressViewSet
from wangge.sweeps.api.proposals import SweepProposalViewSet
from wangge.teams.api.baobao import AssignmentViewSet
from wangge.teams.api.calls import CallAnswerViewSet, CallViewSet
from wangge.teams.api.care import CarePlanViewSet, WelfareCallViewSet
from wangge.teams.api.duties import PositionViewSet
from wangge.teams.api.units import CobuildingUnitViewSet
from wangge.teams.api.views import TeamMemberViewSet, TeamViewSet
from wangge.testing.api.groups import DoseViewSet, KeyGroupViewSet
from wangge.testing.api.results import ImportViewSet, ResultViewSet, UnmatchedViewSet
from wangge.testing.api.rounds import RoundViewSet
from wangge.tracing.api.candidates import TraceCandidateViewSet
from wangge.tracing.api.cases import TraceCaseViewSet
from wangge.venues.api.disinfection import DisinfectionLogViewSet
from wangge.venues.api.inspections import CardViewSet, ChecklistViewSet, InspectionViewSet
from wangge.venues.api.register import VenueKindViewSet, VenueViewSet
from wangge.venues.api.visits import VisitViewSet

router = DefaultRouter()
# The busiest endpoint first: URL resolution tries the patterns in order.
router.register("checkpoints/scans", ScanViewSet, basename="scan")
router.register("communities", CommunityViewSet, basename="community")
router.register("grids", GridViewSet, basename="grid")
router.register("compounds", CompoundViewSet, basename="compound")
router.register("buildings", BuildingViewSet, basename="building")
router.register("households", HouseholdViewSet, basename="household")
router.register("persons", PersonViewSet, basename="person")
router.register("colours/households", HouseholdColourViewSet, basename="household-colour")
router.register("colours/overrides", OverrideViewSet, basename="colour-override")
router.register("colours/zones", ZoneViewSet, basename="zone")
router.register("colours/area-colours", AreaColourViewSet, basename="area-colour")
router.register("tags", TagViewSet, basename="tag")
router.register("testing/rounds", RoundViewSet, basename="test-round")
router.register("testing/results", ResultViewSet, basename="test-result")
router.register("testing/imports", ImportViewSet, basename="test-import")
router.register("testing/unmatched", UnmatchedViewSet, basename="test-unmatched")
router.register("testing/keygroups", KeyGroupViewSet, basename="key-group")
router.register("testing/doses", DoseViewSet, basename="vaccination-dose")

router.register("teams/teams", TeamViewSet, basename="team")
router.register("teams/members", TeamMemberViewSet, basename="team-member")

router.register("command/task-kinds", TaskKindViewSet, basename="task-kind")
router.register("command/tasks", TaskViewSet, basename="task")
router.register("command/verification-lists", VerificationListViewSet, basename="verification-list")
router.register("command/verification-rows", VerificationRowViewSet, basename="verification-row")
router.register("command/events", EventViewSet, basename="event")
router.register("command/playbooks", PlaybookViewSet, basename="playbook")
router.register("command/playbook-runs", PlaybookRunViewSet, basename="playbook-run")
router.register("measures/types", MeasureTypeViewSet, basename="measure-type")
router.register("measures/person-measures", PersonMeasureViewSet, basename="person-measure")
router.register("measures/check-ins", CheckInViewSet, basename="check-in")
router.register("measures/tests", MeasureTestViewSet, basename="measure-test")
router.register("measures/cases", CaseViewSet, basename="case")
router.register("measures/risk-areas", RiskAreaViewSet, basename="risk-area")
router.register("measures/arrival-reports", ArrivalReportViewSet, basename="arrival-report")
router.register("measures/health-codes", HealthCodeViewSet, basename="health-code")
router.register("checkpoints/checkpoints", CheckpointViewSet, basename="checkpoint")
router.register("checkpoints/doors", DoorViewSet, basename="door")
router.register("checkpoints/passes", PassViewSet, basename="pass")
router.register("venues/visits", VisitViewSet, basename="visit")
router.register("venues/checklists", ChecklistViewSet, basename="venue-checklist")
router.register("venues/inspections", InspectionViewSet, basename="venue-inspection")
router.register("venues/cards", CardViewSet, basename="venue-card")
router.register("checkpoints/shifts", ShiftViewSet, basename="shift")
router.register("devices/devices", DeviceViewSet, basename="device")
router.register("devices/alerts", DeviceAlertViewSet, basename="device-alert")
router.register("notify/messages", MessageViewSet, basename="message")
router.register("venues/venues", VenueViewSet, basename="venue")
router.register("venues/kinds", VenueKindViewSet, basename="venue-kind")
router.register("venues/disinfection", DisinfectionLogViewSet, basename="disinfection-log")
router.register("teams/calls", CallViewSet, basename="team-call")
router.register("teams/call-answers", CallAnswerViewSet, basename="team-call-answer")
router.register("teams/positions", PositionViewSet, basename="team-position")
router.register("teams/units", CobuildingUnitViewSet, basename="cobuilding-unit")
router.register("my/household", MyHouseholdViewSet, basename="my-household")
router.register("my/session", MySessionViewSet, basename="my-session")
router.register("my/tenancies", MyTenancyViewSet, basename="my-tenancy")
router.register("my/check-ins", MyCheckInViewSet, basename="my-check-in")
router.register("my/arrivals", MyArrivalViewSet, basename="my-arrival")
router.register("my/self-tests", MySelfTestViewSet, basename="my-self-test")
router.register("my/notices", MyNoticeViewSet, basename="my-notice")
router.register("residents/notices", NoticeViewSet, basename="resident-notice")
router.register("residents/self-tests", SelfTestViewSet, basename="resident-self-test")
router.register("my/requests", MyRequestViewSet, basename="my-request")
router.register("residents/requests", RequestViewSet, basename="resident-request")
router.register("my/registrations", MyRegistrationViewSet, basename="my-registration")
router.register("residents/registrations", RegistrationViewSet, basename="resident-registration")
router.register("teams/assignments", AssignmentViewSet, basename="team-assignment")
router.register("teams/care-plans", CarePlanViewSet, basename="care-plan")
router.register("teams/welfare-calls", WelfareCallViewSet, basename="welfare-call")
router.register("supplies/needs", NeedViewSet, basename="supply-need")
router.register("sweeps/campaigns", CampaignViewSet, basename="sweep-campaign")
router.register("sweeps/visits", SweepVisitViewSet, basename="sweep-visit")
router.register("sweeps/sync", SweepSyncViewSet, basename="sweep-sync")
router.register("sweeps/progress", SweepProgressViewSet, basename="sweep-progress")
router.register("sweeps/proposals", SweepProposalViewSet, basename="sweep-proposal")
router.register("supplies/donations", DonationViewSet, basename="supply-donation")
router.register("supplies/items", ItemViewSet, basename="supply-item")
router.register("supplies/places", PlaceViewSet, basename="supply-place")
router.register("supplies/batches", BatchViewSet, basename="supply-batch")
router.register("supplies/moves", MoveViewSet, basename="supply-move")
router.register("tracing/cases", TraceCaseViewSet, basename="trace-case")
router.register("tracing/candidates", TraceCandidateViewSet, basename="trace-candidate")
router.register("reports/figures", FiguresViewSet, basename="report-figures")
router.register("reports/snapshots", SnapshotViewSet, basename="report-snapshot")
router.register("reports/districts", DistrictViewSet, basename="report-district")
router.register("reports/approvals", ApprovalViewSet, basename="report-approval")
router.register("reports/templates", TemplateViewSet, basename="report-template")
router.register("reports/fills", FillViewSet, basename="report-fill")
router.register("reports/received", ReceivedViewSet, basename="report-received")

urlpatterns = [path("me/", MeView.as_view(), name="api-me"), *router.urls]
