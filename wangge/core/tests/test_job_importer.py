"""An importer supplies parse, plan and write; register_importer runs them in that order as the
kind's job, with a beat after each of the first two, and the write's counts are the job's."""

import pytest

from wangge.core.jobs.importer import register_importer
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import run_job
from wangge.core.jobs.services import job_create
from wangge.core.origin import Origin

pytestmark = pytest.mark.django_db


class Steps:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def parse(self, job: Job) -> list[str]:
        self.calls.append(("parse", Job.objects.get(pk=job.pk).done))
        return ["a", "b"]

    def plan(self, job: Job, rows: list[str]) -> list[str]:
        self.calls.append(("plan", Job.objects.get(pk=job.pk).done, rows))
        return [row.upper() for row in rows]

    def write(self, job: Job, plan: list[str]) -> dict[str, int]:
        self.calls.append(("write", Job.objects.get(pk=job.pk).done, plan))
        return {"created": len(plan)}


def test_an_importer_runs_parse_plan_write_with_beats():
    steps = Steps()
    register_importer("test.importer", steps)
    job = job_create(kind="test.importer", owner=None, total=30)

    finished = run_job(job.pk)

    assert steps.calls == [("parse", 0), ("plan", 10, ["a", "b"]), ("write", 20, ["A", "B"])]
    assert finished is not None and finished.status == Job.Status.DONE
    assert finished.counts == {"created": 2} and finished.total == 30


def test_a_job_keeps_its_requests_origin_and_the_system_stores_none():
    asked = job_create(kind="test.importer", owner=None, origin=Origin("203.0.113.9", "Firefox"))
    system = job_create(kind="test.importer", owner=None)

    assert Job.objects.get(pk=asked.pk).origin == Origin("203.0.113.9", "Firefox")
    assert Job.objects.get(pk=system.pk).origin == Origin.SYSTEM and system.params == {}
