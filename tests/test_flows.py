"""The Prefect flows against the demo portal: idempotent backfills, failures recorded,
the Dask task runner, and `xxgk demo` from the command line."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import time
from datetime import date

import psutil
import pytest

from tests.conftest import DEMO_RATE
from tests.faults import bombs
from tests.faults.servers import answer, scripted_server
from xxgk import connect
from xxgk.config import SHARED_ENV
from xxgk.crawler.registry import Portal, write_registry
from xxgk.samples.portal import LEGACY_YEARS, SITES

YEARS = "2023-2024"


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    """A temporary Prefect server for this module's flow runs (Prefect's test harness)."""
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def registry(demo_portal, tmp_path):
    path = tmp_path / "portals.json"
    write_registry(path, demo_portal.registry(rate=DEMO_RATE))
    return str(path)


def backfill(registry: str, warehouse, store, **options) -> str:
    """The run's summary line."""
    from xxgk.flows.prefect_flows import backfill as flow

    return flow(years=YEARS, registry=registry, warehouse=str(warehouse), store=str(store), allow_private=True,
                **options).line()


def snapshot(warehouse) -> dict[str, list]:
    with connect(str(warehouse)) as con:
        # every run has its own id; the rest must be the same
        return {table: con.execute(f"SELECT COLUMNS(c -> c <> 'run_id') FROM {table} ORDER BY ALL").fetchall()
                for table in ("reports", "cells", "quality_issues", "documents")}


def expected_reports(demo_portal) -> set[str]:
    return {m["key"] for m in demo_portal.manifest() if m["readable"] and m["year"] in (2023, 2024)}


def test_the_nightly_crawl_looks_for_the_current_and_previous_reporting_year():
    from xxgk.config import reporting_years

    assert reporting_years(date(2026, 11, 29)) == {2024, 2025}


@pytest.mark.slow
def test_a_backfill_loads_every_readable_report_of_its_years(prefect_server, demo_portal, registry, tmp_path):
    backfill(registry, tmp_path / "w.lake", tmp_path / "store")
    with connect(str(tmp_path / "w.lake")) as con:
        keys = {key for (key,) in con.execute("SELECT report_key FROM reports").fetchall()}
    assert keys == expected_reports(demo_portal)


@pytest.mark.slow
def test_a_second_backfill_loads_nothing_new_and_changes_nothing(prefect_server, registry, tmp_path):
    warehouse, store = tmp_path / "w.lake", tmp_path / "store"
    backfill(registry, warehouse, store)
    before = snapshot(warehouse)
    line = backfill(registry, warehouse, store)
    assert "0 new, 0 changed" in line and "extracted 0" in line
    assert snapshot(warehouse) == before


@pytest.mark.slow
def test_a_failing_portal_and_an_unreadable_document_are_recorded_and_the_run_completes(
        prefect_server, demo_portal, tmp_path):
    registry = tmp_path / "portals.json"
    dead = Portal("dead portal", "630000", "青海省人民政府", "http://127.0.0.1:9/ndbg/index.html", ("127.0.0.1",))
    write_registry(registry, demo_portal.registry(rate=DEMO_RATE) + [dead])
    line = backfill(str(registry), tmp_path / "w.lake", tmp_path / "store")
    assert "(1 failed)" in line and "1 unreadable" in line
    with connect(str(tmp_path / "w.lake")) as con:
        [(status, reason)] = con.execute("SELECT status, reason FROM documents WHERE url LIKE '%.doc'").fetchall()
        logged = dict(con.execute("SELECT url, error FROM crawl_log WHERE url LIKE 'http://127.0.0.1:9/%'").fetchall())
    assert status == "unreadable" and "Word 97-2003 (.doc)" in reason
    assert logged["http://127.0.0.1:9/robots.txt"] == "NewConnectionError after 4 attempts"
    assert "could not be read" in logged["http://127.0.0.1:9/ndbg/index.html"]


@pytest.mark.slow
def test_a_run_with_a_failed_portal_is_completed_with_failures_and_emits_an_event(
        prefect_server, demo_portal, tmp_path, monkeypatch):
    from xxgk.flows import prefect_flows

    emitted = []
    monkeypatch.setattr(prefect_flows, "emit_event", lambda **event: emitted.append(event))
    registry = tmp_path / "portals.json"
    dead = Portal("dead portal", "630000", "青海省人民政府", "http://127.0.0.1:9/ndbg/index.html", ("127.0.0.1",))
    write_registry(registry, [dead])
    state = prefect_flows.backfill(years=YEARS, registry=str(registry), warehouse=str(tmp_path / "w.lake"),
                                   store=str(tmp_path / "store"), allow_private=True, return_state=True)
    assert state.is_completed() and state.name == "Completed with failures"
    assert [event["resource"]["prefect.resource.id"] for event in emitted] == ["xxgk.portal.dead portal"]


@pytest.mark.slow
def test_a_nightly_run_with_a_stalled_portal_and_a_bomb_loads_every_healthy_portal(
        prefect_server, demo_portal, tmp_path, monkeypatch):
    from xxgk.crawler.http import Settings
    from xxgk.flows import prefect_flows

    monkeypatch.setattr(prefect_flows, "Settings", functools.partial(Settings, deadline=3.0, retries=0))
    listing = ('<html><body><ul><li><a href="/ndbg/bomb.docx">某某县人民政府2024年政府信息公开工作年度报告</a></li>'
               "</ul></body></html>").encode()
    bomb = bombs.docx_bomb(64 * 1024 * 1024)
    with scripted_server({"/ndbg/index.html": answer("200 OK", {"Content-Type": "text/html; charset=utf-8"}, listing),
                          "/ndbg/bomb.docx": answer("200 OK", {"Content-Length": str(len(bomb))}, bomb)}) as bombing, \
            scripted_server({"/robots.txt": answer("200 OK", {"Content-Length": "100"}, b"#" * 100, pause=1.0,
                                                   trickle=True)}) as stalling:
        registry = tmp_path / "portals.json"
        write_registry(registry, demo_portal.registry(rate=DEMO_RATE) + [
            Portal("stalled", "630000", "青海省人民政府", stalling.url("/ndbg/index.html"), ("127.0.0.1",)),
            Portal("bomb", "630202", "乐都区人民政府", bombing.url("/ndbg/index.html"), ("127.0.0.1",))])
        state = prefect_flows.nightly(years=YEARS, registry=str(registry), warehouse=str(tmp_path / "w.lake"),
                                      store=str(tmp_path / "store"), allow_private=True, return_state=True)
    assert state.name == "Completed with failures"
    with connect(str(tmp_path / "w.lake")) as con:
        keys = {key for (key,) in con.execute("SELECT report_key FROM reports").fetchall()}
        [(reason,)] = con.execute("SELECT reason FROM documents WHERE url LIKE '%bomb.docx'").fetchall()
        [(stalled,)] = con.execute("SELECT error FROM crawl_log WHERE url = ?",
                                   [stalling.url("/robots.txt")]).fetchall()
    assert keys == expected_reports(demo_portal)
    assert "decompression bomb" in reason and "deadline" in stalled


@pytest.mark.slow
def test_the_nightly_run_is_named_in_the_runs_table_and_leaves_the_warehouse_compacted(
        prefect_server, registry, tmp_path):
    from xxgk.flows import prefect_flows
    from xxgk.warehouse.connect import open_warehouse
    from xxgk.warehouse.maintenance import compact, data_files

    warehouse = str(tmp_path / "w.lake")
    prefect_flows.nightly(years=YEARS, registry=registry, warehouse=warehouse, store=str(tmp_path / "store"),
                          allow_private=True)
    with connect(warehouse) as con:
        commands = [c for (c,) in con.execute("SELECT command FROM runs").fetchall()]
        after_night = data_files(con)
    with open_warehouse(warehouse) as con:  # compacting again finds nothing left to do
        compact(con)
        assert data_files(con) == after_night
    assert commands == ["nightly"]


@pytest.mark.slow
def test_the_dask_task_runner_gives_the_same_warehouse_as_threads(prefect_server, registry, tmp_path):
    from xxgk.flows.prefect_flows import backfill as flow
    from xxgk.flows.prefect_flows import prefect_api, task_runner

    backfill(registry, tmp_path / "threads.lake", tmp_path / "store")
    with prefect_api():
        flow.with_options(task_runner=task_runner("dask"))(
            years=YEARS, registry=registry, warehouse=str(tmp_path / "dask.lake"), store=str(tmp_path / "store"),
            allow_private=True)
    threads, dask = snapshot(tmp_path / "threads.lake"), snapshot(tmp_path / "dask.lake")
    assert dask["cells"] == threads["cells"] and dask["quality_issues"] == threads["quality_issues"]
    drop_time = [(r[:8] + r[9:]) for r in threads["reports"]], [(r[:8] + r[9:]) for r in dask["reports"]]
    assert drop_time[0] == drop_time[1]


@pytest.mark.slow
def test_a_killed_run_leaves_no_prefect_server_behind(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "XXGK_"))}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    run = psutil.Popen([sys.executable, "-m", "xxgk", "demo"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    deadline, servers = time.monotonic() + 120, []
    while not servers and time.monotonic() < deadline and run.poll() is None:
        servers = [p for p in run.children(recursive=True) if "uvicorn" in " ".join(p.cmdline())]
        time.sleep(0.2)
    assert servers, "the run started no temporary server"
    run.kill()
    run.wait()
    gone, alive = psutil.wait_procs(servers, timeout=15)
    assert alive == []


@pytest.mark.slow
def test_xxgk_demo_in_a_plain_clone_shows_its_findings_and_leaves_a_warehouse_xxgk_query_reads(tmp_path):
    """Without the shared material (XXGK_SHARED names a folder that is not there), the
    demo's own misprinted reports give the findings; its traps are named as such."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "XXGK_"))}
    env["PREFECT_HOME"], env[SHARED_ENV] = str(tmp_path / "prefect-home"), str(tmp_path / "no-shared")
    demo = subprocess.run([sys.executable, "-m", "xxgk", "demo"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600)
    assert demo.returncode == 0, demo.stderr[-2000:]
    findings = demo.stdout.split("Errors the checks found")[1].split("Next:")[0]
    assert "杭州市人民政府 2022 row_total applications.granted.total" in findings
    assert "成都市人民政府 2021 results_sum applications.total_processed.total" in findings
    assert "海东市人民政府 2023" not in findings  # a generated report stands in for the seed
    assert "carry_chain" not in findings  # every other series of figures runs on from year to year
    assert "Not loaded: the traps the demo portal plants" in demo.stdout and "P0missing.pdf: HTTP 404" in demo.stdout
    assert "View at http" not in demo.stderr  # the temporary Prefect server is gone when the demo ends
    assert f"  {min(LEGACY_YEARS)}: {len(SITES)} reports (0 with errors), legacy format" in demo.stdout
    query = subprocess.run([sys.executable, "-m", "xxgk", "query", "SELECT count(*) AS n FROM reports",
                            "--format", "csv"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert query.returncode == 0 and int(query.stdout.split()[-1]) >= 54
