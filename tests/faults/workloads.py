"""What a worker can be asked to do besides extracting: hog memory, hang, crash. Module
level, since the worker processes import them by name."""

from __future__ import annotations

import os
import time
from pathlib import Path

from xxgk.flows.pipeline import Job, Result, extract_job


def misbehave(job: Job) -> Result:
    """Extract the document, unless its file's name says to misbehave."""
    name = Path(job.source).stem
    if name == "hog":
        hoard = [bytearray(64 * 1024 * 1024) for _ in range(1024)]  # 64 GiB, if the limit let it
        return hoard
    if name == "hang":
        time.sleep(3600)
    if name == "crash":
        os.abort()
    return extract_job(job)


def hoard_between_jobs(document: str, step_mib: int, steps: int, pause: float, stall: float) -> None:
    """A command whose own process grows by `step_mib` before each of `steps` jobs (of
    `document`, `pause` seconds apart) extracted under the default limits, then stalls
    `stall` seconds outside any step (its main thread busy elsewhere): what the bound on
    the command's own processes is tested against. Run as `python -m tests.faults.workloads …`."""
    from xxgk.flows.executors import worker_processes
    from xxgk.flows.isolation import Limits

    hoard: list[bytes] = []

    def jobs():
        for _ in range(steps):
            hoard.append(b"x" * (step_mib * 1024 * 1024))  # written, so resident
            yield Job(document)
            time.sleep(pause)
        time.sleep(stall)

    for _ in worker_processes(Limits.configured(workers=1))(jobs()):
        pass


if __name__ == "__main__":
    import sys

    from xxgk.schemas.errors import XxgkError

    try:  # as the CLI ends a command: one line
        hoard_between_jobs(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))
    except XxgkError as error:
        sys.exit(f"xxgk: {error}")
