"""Reading a roster file alone, as the importer reads it (open_roster, every row), in one tree.

    .venv/bin/python bench/read_roster.py . FILE
    .venv/bin/python bench/read_roster.py /tmp/old-tree FILE     # the same from another checkout

Prints one JSON object: rows, wall seconds, CPU seconds of this process and of the parsing child
processes it waited for. Benchmarks assert nothing.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path


def main() -> None:
    root, path = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    os.environ.setdefault("WANGGE_VAR_DIR", str(root / "bench" / "out" / "read-roster"))
    import django

    django.setup()
    from wangge.people.importing.reader import open_roster

    started, cpu = time.perf_counter(), time.process_time()
    rows = sum(1 for _ in open_roster(path, path.name).rows)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "tree": str(root),
                "rows": rows,
                "seconds": round(time.perf_counter() - started, 2),
                "cpu_seconds": round(time.process_time() - cpu, 2),
                "child_cpu_seconds": round(children.ru_utime + children.ru_stime, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
