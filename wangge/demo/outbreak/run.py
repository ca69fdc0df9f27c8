"""outbreak_create: day 6 of an outbreak on the freshly loaded demo street, in the seed's
transaction. Day by day, each capability's part goes through its services with the clock set to
the moment it happened, so every record carries its true date."""

import random

from django.utils import timezone

from wangge.demo.outbreak import (
    cases,
    checkpoints,
    command,
    devices,
    doors,
    measures,
    notify,
    reports,
    residents,
    residents_code,
    residents_registration,
    residents_reports,
    residents_requests,
    supplies,
    sweeps,
    teams,
    teams_calls,
    teams_care,
    teams_duties,
    testing,
    tracing,
    upstream,
    venues,
)
from wangge.demo.outbreak.cast import cast_of
from wangge.demo.outbreak.clock import DAYS, Calendar, moment
from wangge.regions.colours import household_colours_refresh_started
from wangge.regions.models import Community, Grid, Household, Street


def outbreak_create(
    *, street: Street, community: Community, grid: Grid, persons: int, seed: int
) -> None:
    rng = random.Random(seed)
    calendar = Calendar(timezone.now())
    cast = cast_of(street=street, community=community, grid=grid, calendar=calendar)
    patients = dict(zip(cases.CASE_DAYS, cases.case_persons(cast), strict=False))
    returnees = measures.returnees_choose(cast, rng, persons, list(patients.values()))
    for day in range(1, DAYS + 1):
        if day in patients:
            case = cases.case_report_on(cast, day, patients[day])
            if day == 1:
                cases.zones_declare(cast)
            measures.contacts_assign(cast, day, case)
        measures.returnees_assign(cast, day, returnees)
        measures.checkins_record(cast, rng, day)
    with moment(calendar.now):
        household_colours_refresh_started(now=calendar.now)
    # its own stream of chances, so that the capabilities after it draw as they did before teams
    volunteer_team = teams.teams_seed(cast, random.Random(seed))
    posts = checkpoints.checkpoints_create(cast, volunteer_team)
    checkpoints.scans_record(cast, rng, posts)
    doors.doors_seed(cast, posts)
    testing.round_run(cast, rng)
    testing.doses_record(cast, rng)
    command.tasks_run(cast)
    command.calls_run(cast, rng)
    command.verification_run(cast, rng)
    with moment(calendar.now):
        devices.seed_devices(
            by=cast.commander,
            households=Household.objects.filter(grid__community__street=street),
            today=calendar.today,
        )
    notify.notify_seed(cast, rng)
    venue_list = venues.venues_seed(cast, rng)
    # its own stream of chances, so that the capabilities after it draw as they did
    tracing.tracing_seed(cast, random.Random(seed), posts[0], venue_list)
    residents.residents_seed(cast, rng)
    residents_reports.residents_reports_seed(cast, rng)
    residents_code.demo_codes_issue(cast)
    residents_requests.requests_seed(cast, rng)
    residents_registration.registrations_seed(cast, rng)
    teams_calls.call_seed(cast, rng)
    teams_care.teams_care_seed(cast, rng)
    teams_duties.teams_duties_seed(cast, rng)
    sweeps.sweep_seed(cast, rng)
    supplies.supplies_seed(cast, rng)
    reports.reports_seed(cast)
    upstream.upstream_seed(cast)
