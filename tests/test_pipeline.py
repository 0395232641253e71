"""The one pipeline every entry point runs: what it keeps when a portal stalls, and what it
does with inputs it cannot read."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import DEMO_RATE
from xxgk import connect
from xxgk.crawler.crawl import PortalCrawl
from xxgk.crawler.registry import Portal, write_registry
from xxgk.flows.executors import in_process
from xxgk.flows.pipeline import RunSummary, load_files
from xxgk.samples.figures import random_report
from xxgk.samples.render import render
from xxgk.warehouse.connect import WarehouseUnavailable


@pytest.fixture
def stalled_host():
    """A host that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    yield f"127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    for connection in held:
        connection.close()
    server.close()


def reports_loaded(warehouse) -> int:
    try:
        with connect(str(warehouse)) as con:
            return con.execute("SELECT count(*) FROM reports").fetchone()[0]
    except WarehouseUnavailable:  # not created yet
        return 0


@pytest.mark.slow
def test_a_stalled_portal_does_not_hold_back_the_reports_of_the_others(demo_portal, stalled_host, tmp_path):
    registry, warehouse = tmp_path / "portals.json", tmp_path / "w.lake"
    stalled = Portal("stalled", "630000", "青海省人民政府", f"http://{stalled_host}/ndbg/index.html", ("127.0.0.1",))
    write_registry(registry, demo_portal.registry(rate=DEMO_RATE) + [stalled])
    expected = sum(m["readable"] for m in demo_portal.manifest() if m["year"] == 2024)
    crawl = subprocess.Popen([sys.executable, "-m", "xxgk", "crawl", "--registry", str(registry), "--warehouse",
                              str(warehouse), "--store", str(tmp_path / "store"), "--allow-private", "--years", "2024"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={k: v for k, v in os.environ.items() if not k.startswith("XXGK_")})
    try:
        deadline = time.monotonic() + 90
        while reports_loaded(warehouse) < expected and time.monotonic() < deadline and crawl.poll() is None:
            time.sleep(0.5)
        assert crawl.poll() is None, "the crawl ended: the stalled host did not stall it"
        assert reports_loaded(warehouse) == expected
    finally:
        crawl.kill()
        crawl.wait()


@pytest.mark.slow
def test_a_file_that_is_not_regular_is_recorded_and_the_others_load(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "report.html").write_bytes(render(random_report(random.Random(3)), "html"))
    os.mkfifo(folder / "pipe.html")
    summary = load_files([str(folder)], warehouse=str(tmp_path / "w.lake"), map_extract=in_process)
    assert summary.loaded.loaded == 1
    assert [f.split(": ", 1)[1] for f in summary.failures] == ["not a regular file"]


def test_a_column_short_of_its_declared_size_is_named_in_the_run_summary():
    summary = RunSummary()
    summary.count_portal(PortalCrawl("某某县", declared_total=20, reached=12, reports_listed=9, others_named=1))
    short = "某某县: column declares 20 records, 9 read as reports and 1 as other pages (12 list items reached)"
    assert summary.shortfalls == [short]
    assert short in summary.markdown()
