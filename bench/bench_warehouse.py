"""Warehouse loading and query speed on generated reports.

    python bench/bench_warehouse.py [--reports 10000] [--batch 1000] [--nights 365] [--per-night 5]

Extractions are built straight from generated figures (extraction is benchmarked in
bench_extract.py), spread over real jurisdictions and five years, and loaded in batches
as a backfill does. Targets (issues 3, 13): ≥ 200,000 cells/s loaded; `SELECT * FROM
report_summary` and a province × year roll-up each under 0.5 s. Then a year of nightly
runs (`--nights` small loads of `--per-night` reports) leaves many small files: the
queries are timed after them, and again after compaction (warehouse/maintenance.py).
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
from xxgk.warehouse.maintenance import compact, data_files


def extractions(count: int, first: int = 0) -> list[Extraction]:
    rng = random.Random(11 + first)
    codes = list(divisions()["code"])
    built = []
    for i in range(first, first + count):
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


def queries(con, when: str) -> None:
    for name, sql in (("SELECT * FROM report_summary", "SELECT * FROM report_summary"),
                      ("province × year roll-up", "SELECT * FROM summary_by_province ORDER BY province_code, year")):
        value = timed(lambda sql=sql: con.execute(sql).fetchall())
        print(f"{when}: {name}: {value:.3f} s (target 0.5 s: {'ok' if value < 0.5 else 'ABOVE TARGET'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--nights", type=int, default=365)
    parser.add_argument("--per-night", type=int, default=5)
    args = parser.parse_args()
    batch = extractions(args.reports)
    cells = sum(len(e.cells) for e in batch)
    with tempfile.TemporaryDirectory() as folder, open_warehouse(str(Path(folder) / "bench.lake")) as con:
        seconds = timed(lambda: [load_many(con, [(e, DocumentInfo()) for e in batch[i:i + args.batch]])
                                 for i in range(0, len(batch), args.batch)])
        print(f"{args.reports} reports, {cells:,} cells loaded in {seconds:.1f} s: {cells / seconds:,.0f} cells/s "
              f"(target 200,000: {'ok' if cells / seconds >= 200000 else 'BELOW TARGET'})")
        queries(con, "after the backfill")
        nightly = extractions(args.nights * args.per_night, first=args.reports)
        seconds = timed(lambda: [load_many(con, [(e, DocumentInfo()) for e in nightly[i:i + args.per_night]])
                                 for i in range(0, len(nightly), args.per_night)])
        print(f"{args.nights} nightly loads of {args.per_night} reports: {seconds / max(args.nights, 1):.2f} s each, "
              f"{data_files(con)} data files")
        queries(con, f"after {args.nights} nights")
        seconds = timed(lambda: compact(con, keep_days=0))
        print(f"compaction: {seconds:.1f} s, {data_files(con)} data files")
        queries(con, "after compaction")


if __name__ == "__main__":
    main()
