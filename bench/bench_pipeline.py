"""End-to-end backfill benchmark: ~2,000 generated reports served by the demo portal
(HTML inline, PDF and DOCX attachments), crawled, extracted, validated and loaded by the
real `backfill` flow with extraction on a local 2-process Dask cluster.

Why this shape: it is the national backfill in miniature, with every stage real (HTTP on
loopback, the raw store, the extractors, pandera, DuckDB). The portal runs in two other
processes, its documents rendered before the clock starts, so the figures are the
pipeline's and not the generator's. Stage shares come from the run's own timings (crawl;
extraction with the loads overlapping it; the loads) plus an in-process pass over a
sample of the stored documents that splits extraction from validation.

Target (issue 12, after issue 5's 10): >= 25 reports/s end to end on this 2-core
machine, peak memory < 2 GiB (resident memory of the flow process and its Dask workers,
sampled every 0.2 s).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from xxgk.samples.portal import YEARS, build_sites

STYLES = ("trs", "hanweb", "plain")
TARGET = 25  # reports/s


def sites_for(count: int, seed: int) -> tuple[tuple[str, str, str], ...]:
    """`count` real counties (cpca's division data), each its county government's column."""
    from xxgk.warehouse.jurisdictions import divisions

    frame = divisions()
    counties = frame[(frame.level == "county") & frame.name.str.endswith(("县", "区", "市")) & (frame.name != "市辖区")]
    counties = counties.drop_duplicates("name", keep=False)  # a name two counties share is ambiguous
    chosen = counties.sample(n=count, random_state=seed).itertuples(index=False)
    return tuple((f"{row.name}人民政府", row.code, STYLES[i % 3]) for i, row in enumerate(chosen))


def serve(sites: tuple, seed: int, rate: float, ready: multiprocessing.Queue, stop: multiprocessing.Event) -> None:
    """A portal process: render every document, report the registry entries, serve."""
    from xxgk.samples.portal_server import DemoPortal

    portal = DemoPortal(build_sites(seed, None, sites, legacy_years=()))  # template reports only, as in earlier runs
    for site in portal.sites:
        for page in site.pages.values():
            page.body()
    portal.start(warm=False)
    ready.put([p.to_json() for p in portal.registry(rate=rate)])
    stop.wait()
    portal.close()


class PeakMemory:
    """Peak resident memory of this process and its children (the Dask workers)."""

    def __init__(self, exclude: set[int]):
        self.peak, self._exclude, self._done = 0, exclude, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._done.wait(0.2):
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += 0 if process.pid in self._exclude else process.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)


def validation_share(store: str, sample: int) -> tuple[float, float]:
    """Seconds in extraction (reading + normalizing) and in validation, over a sample of the
    stored report documents, in this process."""
    import xxgk.extractors.extract as extract_module
    from xxgk.crawler.store import RawStore

    raw = RawStore(store)
    shas = [Path(p).name for p in raw.fs.find(raw.root) if not p.endswith(".json")]
    documents = [raw.get(sha) for sha in random.Random(0).sample(shas, min(sample, len(shas)))]
    spent = {"validate": 0.0}
    original = extract_module.validate

    def timed(cells, template):
        started = time.perf_counter()
        try:
            return original(cells, template)
        finally:
            spent["validate"] += time.perf_counter() - started

    extract_module.validate = timed
    started = time.perf_counter()
    try:
        for data in documents:
            extract_module.extract(data, "sample")
    finally:
        extract_module.validate = original
    total = time.perf_counter() - started
    return total - spent["validate"], spent["validate"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=2000, help="about this many reports (sites × 6 years)")
    parser.add_argument("--rate", type=float, default=10.0, help="requests/s per demo host (our own server)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="xxgk-bench-prefect-"))
    from xxgk.crawler.registry import parse_registry, write_registry
    from xxgk.flows.prefect_flows import backfill, prefect_api, task_runner

    sites = sites_for(-(-args.reports // len(YEARS)), args.seed)
    halves = (sites[: len(sites) // 2], sites[len(sites) // 2:])
    ready, stop = multiprocessing.Queue(), multiprocessing.Event()
    servers = [multiprocessing.Process(target=serve, args=(half, args.seed + i, args.rate, ready, stop), daemon=True)
               for i, half in enumerate(halves)]
    started = time.perf_counter()
    for server in servers:
        server.start()
    entries = [entry for _ in servers for entry in ready.get(timeout=1800)]
    print(f"{len(sites)} portals × {len(YEARS)} years served on 127.0.0.1 "
          f"(documents rendered in {time.perf_counter() - started:.0f} s, not counted)", flush=True)

    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-pipeline-"))
    registry = work / "portals.json"
    write_registry(registry, parse_registry({"portals": entries}))
    flow = backfill.with_options(task_runner=task_runner("dask"))
    with prefect_api(), PeakMemory(exclude={s.pid for s in servers}) as memory:
        started = time.perf_counter()
        summary = flow(years=f"{min(YEARS)}-{max(YEARS)}", registry=str(registry), warehouse=str(work / "w.duckdb"),
                       store=str(work / "store"), allow_private=True)
        wall = time.perf_counter() - started
    stop.set()
    extract_seconds, validate_seconds = validation_share(str(work / "store"), 200)

    loaded = summary.loaded.loaded
    rate = loaded / wall
    crawl, extract_wall, load = (summary.seconds[k] for k in ("crawl", "extract", "load"))
    other = max(0.0, wall - extract_wall)  # the crawl overlaps extraction: jobs stream out of it
    split = validate_seconds / (extract_seconds + validate_seconds)
    print(summary.line())
    print(f"\nwall time                  {wall:8.1f} s   ({loaded} reports loaded, {summary.found} found)")
    print(f"reports/s end to end       {rate:8.1f}     target >= {TARGET}: "
          f"{'ok' if rate >= TARGET else 'BELOW TARGET'}")
    print(f"peak memory                {memory.peak / 2**30:8.2f} GiB target < 2: "
          f"{'ok' if memory.peak < 2 * 2**30 else 'OVER'}")
    print("\nshare of wall time")
    print(f"  crawl (overlaps extract) {crawl / wall:8.0%}   ({crawl:.1f} s)")
    print(f"  extract                  {extract_wall * (1 - split) / wall:8.0%}   "
          f"(extraction and validation on 2 Dask workers: {extract_wall:.1f} s)")
    print(f"  validate                 {extract_wall * split / wall:8.0%}   "
          f"(validation is {split:.0%} of extraction CPU, measured on 200 documents in-process)")
    print(f"  load (overlaps extract)  {load / wall:8.0%}   ({load:.1f} s of single-writer DuckDB transactions)")
    print(f"  flow start and finish    {other / wall:8.0%}   ({other:.1f} s: Prefect, Dask cluster start-up)")
    return 0 if rate >= TARGET and memory.peak < 2 * 2**30 else 1


if __name__ == "__main__":
    sys.exit(main())
