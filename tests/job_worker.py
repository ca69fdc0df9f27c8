"""A job worker in a process of its own, for the tests that kill one (tests/test_job_sigkill.py).

    python tests/job_worker.py run JOB_ID [--stall MODULE:FUNCTION MARKER]
    python tests/job_worker.py reap

`run` claims and runs one job as the task worker would (wangge.core.jobs.runner.run_job). With
`--stall`, the named function is replaced by one that creates MARKER and then waits for ever: put
inside an import's write transaction, it holds the worker there, mid-write, for the test to kill.
`reap` runs the reaper once with the queue in immediate mode, so each job it takes back is run
again right here, by this other worker. The database and MEDIA_ROOT come from the environment
(DATABASE_URL, JOB_WORKER_MEDIA_ROOT).
"""

import importlib
import os
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from huey.contrib.djhuey import HUEY  # noqa: E402

from wangge.core.jobs.runner import reap_and_wake, run_job  # noqa: E402


def _stall(marker: Path):
    def stalled(*args, **kwargs):
        marker.write_text(str(os.getpid()))
        while True:
            time.sleep(60)

    return stalled


def main(argv: list[str]) -> None:
    settings.MEDIA_ROOT = os.environ["JOB_WORKER_MEDIA_ROOT"]
    if argv[0] == "reap":
        HUEY.immediate = True
        reap_and_wake()
        return
    job_id = int(argv[1])
    if len(argv) > 2 and argv[2] == "--stall":
        module, function = argv[3].split(":")
        with mock.patch.object(importlib.import_module(module), function, _stall(Path(argv[4]))):
            run_job(job_id)
        return
    run_job(job_id)


if __name__ == "__main__":
    main(sys.argv[1:])
