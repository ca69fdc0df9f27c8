"""The colour recompute on the job record (core.jobs): each run is recorded with who asked, its
counts and the colours it corrected, under a lease like every long job. The recompute is idempotent,
so a run taken back by the reaper simply checks again."""

from typing import Any

from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat, JobFailed, register, run_job
from wangge.regions.colours import household_colours_recompute
from wangge.regions.models import Street

RECOMPUTE = "colours.recompute"


@register(RECOMPUTE)
def _recompute(job: Job, beat: Beat) -> dict[str, Any]:
    street_id = job.params.get("street")
    street = None if street_id is None else Street.objects.filter(pk=street_id).first()
    if street_id is not None and street is None:
        raise JobFailed("街道已不存在 / the street no longer exists")
    result = household_colours_recompute(street=street, by=job.owner)
    beat(result.households, result.households)
    return {
        "households": result.households,
        "corrected": len(result.corrected),
        "changes": [list(change) for change in result.corrected],
    }


def colours_recompute_run(*, street: Street | None = None, by: Any = None) -> Job:
    """Recompute the stored colours (of `street`) now, in this process, as a recorded job."""
    job = Job.objects.create(
        kind=RECOMPUTE, owner=by, params={"street": street.pk if street else None}
    )
    ran = run_job(job.pk)
    assert ran is not None  # a job made here is claimed by nobody else
    return ran
