"""Static site build speed: a full build, then the nightly case of a few reloaded reports.

    python bench/bench_site.py [--reports 10000] [--changed 100]

The warehouse is bench_warehouse.py's (generated reports over real jurisdictions and five
years). A full build writes every page and download; an incremental build after
reloading `--changed` reports rewrites their organs' pages, their jurisdictions and
provinces, and the national page. Target (issue 13): the nightly rebuild is incremental,
so it costs a small fraction of a full build (printed as the ratio of the same run).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench_warehouse import extractions

from xxgk.publish.build import build_site
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.load import DocumentInfo, load_many


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--changed", type=int, default=100)
    args = parser.parse_args()
    batch = extractions(args.reports)
    with tempfile.TemporaryDirectory() as folder:
        path, out = str(Path(folder) / "bench.duckdb"), Path(folder) / "site"
        with open_warehouse(path) as con:
            for i in range(0, len(batch), 1000):
                load_many(con, [(e, DocumentInfo()) for e in batch[i:i + 1000]])

        def build() -> tuple[float, object]:
            cpu = time.process_time()
            with open_warehouse(path, read_only=True) as con:
                summary = build_site(con, out)
            print(f"  (CPU {time.process_time() - cpu:.2f} s of {summary.seconds:.2f} s wall)")
            return summary.seconds, summary

        full, summary = build()
        files = sum(1 for p in out.rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        print(f"full build, {args.reports} reports: {full:.1f} s ({args.reports / full:,.0f} reports/s), "
              f"{files:,} files, {size / 1e6:,.0f} MB; {summary}")
        unchanged, summary = build()
        print(f"incremental build, nothing changed: {unchanged:.2f} s ({unchanged / full:.1%} of full); {summary}")
        with open_warehouse(path) as con:
            load_many(con, [(e, DocumentInfo()) for e in batch[-args.changed:]])
        changed, summary = build()
        print(f"incremental build, {args.changed} reports reloaded: {changed:.2f} s ({changed / full:.1%} of full); "
              f"{summary}")


if __name__ == "__main__":
    main()
