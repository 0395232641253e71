"""Warehouse loading and query speed on generated reports.

    python bench/bench_warehouse.py [--reports 10000] [--batch 1000]

Extractions are built straight from generated figures (extraction is benchmarked in
bench_extract.py), spread over real jurisdictions and five years, and loaded in batches
as a backfill does. Targets (issue 3): ≥ 200,000 cells/s loaded; `SELECT * FROM
report_summary` and a province × year roll-up each under 0.5 s.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from xxgk.samples.figures import random_report
from xxgk.schemas.records import Cell, Extraction
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.jurisdictions import divisions
from xxgk.warehouse.load import DocumentInfo, load_many


def extractions(count: int) -> list[Extraction]:
    rng = random.Random(11)
    codes = list(divisions()["code"])
    built = []
    for i in range(count):
        code, year = rng.choice(codes), 2019 + i % 5
        spec = random_report(rng, organ=f"机关{i // 5}", year=year, jurisdiction_code=code)
        built.append(Extraction(
            source=f"bench/{i}", sha256=f"{i:064x}", kind="html", title=spec.title, organ=spec.organ,
            jurisdiction_code=code, year=year, format=spec.template,
            cells=[Cell(t, r, c, v, "" if v is None else str(v)) for (t, r, c), v in spec.values.items()]))
    return built


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    batch = extractions(args.reports)
    cells = sum(len(e.cells) for e in batch)
    with tempfile.TemporaryDirectory() as folder, open_warehouse(str(Path(folder) / "bench.lake")) as con:
        seconds = timed(lambda: [load_many(con, [(e, DocumentInfo()) for e in batch[i:i + args.batch]])
                                 for i in range(0, len(batch), args.batch)])
        summary = timed(lambda: con.execute("SELECT * FROM report_summary").fetchall())
        rollup = timed(lambda: con.execute("SELECT * FROM summary_by_province ORDER BY province_code, year").fetchall())
    print(f"{args.reports} reports, {cells:,} cells loaded in {seconds:.1f} s: {cells / seconds:,.0f} cells/s "
          f"(target 200,000: {'ok' if cells / seconds >= 200000 else 'BELOW TARGET'})")
    for name, value in (("SELECT * FROM report_summary", summary), ("province × year roll-up", rollup)):
        print(f"{name}: {value:.3f} s (target 0.5 s: {'ok' if value < 0.5 else 'ABOVE TARGET'})")


if __name__ == "__main__":
    main()
