"""Loads for the lake's concurrency tests, built straight from generated figures (no
rendering or extraction: the tests are about the warehouse). Report i is organ i // 4's
report of year 2020 + i % 4, so loaders given alternate reports share every organ's
cross-year checks.

    python -m tests.lake_loads WAREHOUSE FIRST STOP STEP BATCH
"""

from __future__ import annotations

import random
import sys

from xxgk import config
from xxgk.samples.figures import random_report
from xxgk.schemas.records import Cell, Extraction
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.load import DocumentInfo, load_many


def built(i: int) -> tuple[Extraction, DocumentInfo]:
    year = 2020 + i % 4
    spec = random_report(random.Random(i), organ=f"机关{i // 4}", year=year, jurisdiction_code="630200")
    extraction = Extraction(
        source=f"lake/{i}.html", sha256=f"{i:064x}", kind="html", title=spec.title, organ=spec.organ,
        jurisdiction_code="630200", year=year, format=spec.template,
        cells=[Cell(t, r, c, v, "" if v is None else str(v)) for (t, r, c), v in spec.values.items()])
    return extraction, DocumentInfo(url=f"https://example.gov.cn/{i}.html", size=1000 + i)


def load(warehouse: str, indices: range, batch: int) -> None:
    with open_warehouse(warehouse, storage=config.object_storage()) as con:
        for start in range(0, len(indices), batch):
            load_many(con, [built(i) for i in indices[start:start + batch]])


if __name__ == "__main__":
    where, first, stop, step, size = sys.argv[1], *map(int, sys.argv[2:])
    load(where, range(first, stop, step), size)
