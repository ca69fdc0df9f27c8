"""An importer supplies only its format; `register_importer` runs it as a job.

`parse(job)` reads the job's file into rows, `plan(job, rows)` decides what to write without
writing, and `write(job, plan)` writes in one transaction that begins by locking the batch and
returns its counts without writing when the batch is already done (a job taken back from a dead
worker runs again from the start: ADR 0012). The handler beats after each step.
"""

from typing import Any, Protocol, TypeVar

from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat, Handler, register

STEPS = 3
Rows = TypeVar("Rows")
Plan = TypeVar("Plan")


class Importer(Protocol[Rows, Plan]):
    def parse(self, job: Job) -> Rows: ...

    def plan(self, job: Job, rows: Rows) -> Plan: ...

    def write(self, job: Job, plan: Plan) -> dict[str, Any]: ...


def register_importer(kind: str, importer: Importer[Rows, Plan]) -> Handler:
    """The job handler of `kind`: parse, plan, write, with a beat after each (progress in thirds
    of the job's total, which stays the importer's own measure)."""

    def handler(job: Job, beat: Beat) -> dict[str, Any]:
        rows = importer.parse(job)
        beat(job.total // STEPS, job.total)
        plan = importer.plan(job, rows)
        beat(2 * job.total // STEPS, job.total)
        return importer.write(job, plan)

    return register(kind)(handler)
