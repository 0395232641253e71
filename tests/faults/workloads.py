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
