"""The job lifecycle: claimed once under a lease, kept by its heartbeat, taken back by the reaper,
run in the caller's process or by the worker as its kind's setting decides."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from wangge.core.jobs import runner
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import JobFailed, job_start, reap_and_wake, register, run_job
from wangge.core.jobs.services import (
    job_beat,
    job_claim,
    job_create,
    job_finish,
)

pytestmark = pytest.mark.django_db

RUNS: list[int] = []


@register("test.count")
def _count(job: Job, beat: runner.Beat) -> dict:
    RUNS.append(job.pk)
    beat(3, 4)
    if job.total == 99:
        raise JobFailed("无法读取 / unreadable")
    return {"rows": 4}


@pytest.fixture(autouse=True)
def _runs():
    RUNS.clear()


def test_a_job_is_claimed_once():
    job = job_create(kind="test.count", owner=None)

    assert job_claim(job.pk, worker="a")
    assert not job_claim(job.pk, worker="b")

    job.refresh_from_db()
    assert (job.status, job.worker, job.attempts) == (Job.Status.RUNNING, "a", 1)
    assert job.lease_until > timezone.now()


def test_only_the_holder_beats_or_finishes_and_a_beat_renews_the_lease():
    job = job_create(kind="test.count", owner=None)
    job_claim(job.pk, worker="a")
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now())

    assert not job_beat(job.pk, worker="b", done=1)
    assert job_beat(job.pk, worker="a", done=2, total=10)
    assert not job_finish(job.pk, worker="b")

    job.refresh_from_db()
    assert (job.done, job.total) == (2, 10)
    assert job.lease_until > timezone.now() + timedelta(seconds=60)


def test_an_expired_lease_goes_to_another_worker_through_the_reaper():
    job = job_create(kind="test.count", owner=None)
    job_claim(job.pk, worker="dead")
    later = timezone.now() + timedelta(hours=1)

    with mock.patch("wangge.core.jobs.runner.job_run_task") as wake:
        assert reap_and_wake(now=later) == [job.pk]

    wake.assert_called_once_with(job.pk)
    job.refresh_from_db()
    assert (job.status, job.worker) == (Job.Status.QUEUED, "")
    assert run_job(job.pk, worker="alive").status == Job.Status.DONE
    assert [job.pk] == RUNS


def test_a_live_lease_is_not_reaped_and_a_finished_job_is_not_run_again():
    running = job_create(kind="test.count", owner=None)
    job_claim(running.pk, worker="a")
    done = job_create(kind="test.count", owner=None)
    run_job(done.pk)

    with mock.patch("wangge.core.jobs.runner.job_run_task") as wake:
        assert reap_and_wake() == []

    wake.assert_not_called()
    assert run_job(done.pk) is None
    assert [done.pk] == RUNS


def test_a_job_whose_runs_all_died_fails_after_the_last_attempt(settings):
    job = job_create(kind="test.count", owner=None)
    later = timezone.now()
    for _attempt in range(settings.WANGGE["JOB_MAX_ATTEMPTS"]):
        later += timedelta(hours=1)
        assert job_claim(job.pk, worker="dying", now=later)
        with mock.patch("wangge.core.jobs.runner.job_run_task"):
            reap_and_wake(now=later + timedelta(hours=1))
        later += timedelta(hours=1)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "several tries" in job.message


def test_a_queued_job_whose_wake_up_was_lost_is_woken_again():
    job = job_create(kind="test.count", owner=None)

    with mock.patch("wangge.core.jobs.runner.job_run_task") as wake:
        assert reap_and_wake() == []
        assert reap_and_wake(now=timezone.now() + timedelta(hours=1)) == [job.pk]

    wake.assert_called_once_with(job.pk)


def test_the_kinds_setting_decides_inline_or_worker(settings):
    settings.WANGGE = {**settings.WANGGE, "JOB_INLINE_MAX": {"test.count": 10}}
    small = job_create(kind="test.count", owner=None)
    large = job_create(kind="test.count", owner=None)

    with mock.patch("wangge.core.jobs.runner.job_run_task") as wake:
        assert job_start(small, size=10)
        assert not job_start(large, size=11)

    wake.assert_called_once_with(large.pk)
    small.refresh_from_db()
    assert (small.status, small.counts, small.done, small.total) == (
        Job.Status.DONE,
        {"rows": 4},
        4,
        4,
    )


def test_a_job_that_cannot_be_done_fails_with_why():
    job = job_create(kind="test.count", owner=None, total=99)

    ran = run_job(job.pk)

    assert ran.status == Job.Status.FAILED and ran.message == "无法读取 / unreadable"
    assert ran.lease_until is None and ran.finished_at is not None
