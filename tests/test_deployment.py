"""End to end on a real Prefect server started here on loopback: deploy from
deploy/prefect.yaml, check the nightly schedule, trigger the nightly deployment, and let
a process worker run it against the demo portal."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import DEMO_RATE
from xxgk import connect
from xxgk.crawler.registry import write_registry

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
PREFECT = [sys.executable, "-m", "prefect"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`prefect server start` on a free loopback port, with its own PREFECT_HOME."""
    home = tmp_path_factory.mktemp("prefect-server")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    process = subprocess.Popen([*PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    api = f"http://127.0.0.1:{port}/api"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{api}/health", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(1)
        else:
            pytest.fail("the Prefect server did not start within 120 s")
        yield {**env, "PREFECT_API_URL": api}
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def deployed(server, demo_portal, tmp_path_factory):
    """The work pool, the deployments of deploy/prefect.yaml, and the environment a
    worker runs flows in (the pipeline's paths, and private addresses allowed)."""
    home = tmp_path_factory.mktemp("xxgk-home")
    write_registry(home / "portals.json", demo_portal.registry(rate=DEMO_RATE))
    env = {**server, "XXGK_HOME": str(home), "XXGK_REGISTRY": str(home / "portals.json"),
           "XXGK_WAREHOUSE": str(home / "xxgk.lake"), "XXGK_STORE": str(home / "store"), "XXGK_ALLOW_PRIVATE": "1"}
    _run([*PREFECT, "work-pool", "create", "xxgk", "--type", "process"], env)
    _run([*PREFECT, "--no-prompt", "deploy", "--all"], env, cwd=DEPLOY)
    return env, home


def _run(command: list[str], env: dict, cwd: Path | None = None, timeout: float = 300) -> str:
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _deployment(env: dict, name: str) -> dict:
    script = ("import asyncio, json\nfrom prefect.client.orchestration import get_client\n"
              "async def main():\n    async with get_client() as client:\n"
              f"        d = await client.read_deployment_by_name({name!r})\n"
              "        print(json.dumps({'schedules': [{'cron': s.schedule.cron, 'timezone': s.schedule.timezone,"
              " 'active': s.active} for s in d.schedules], 'pool': d.work_pool_name, 'parameters': d.parameters}))\n"
              "asyncio.run(main())")
    return json.loads(_run([sys.executable, "-c", script], env).strip().splitlines()[-1])


@pytest.mark.slow
def test_the_nightly_deployment_runs_at_2_am_shanghai_time_on_the_process_pool(deployed):
    env, _ = deployed
    nightly = _deployment(env, "nightly/nightly")
    assert nightly["schedules"] == [{"cron": "0 2 * * *", "timezone": "Asia/Shanghai", "active": True}]
    assert nightly["pool"] == "xxgk"


@pytest.mark.slow
def test_the_backfill_deployment_takes_a_range_of_years(deployed):
    env, _ = deployed
    assert _deployment(env, "backfill/backfill")["parameters"] == {"years": "2019-2024", "force": False}


@pytest.mark.slow
def test_a_worker_runs_the_triggered_nightly_deployment_into_the_warehouse(deployed, demo_portal):
    """The years are given so that the expectation does not move with the calendar."""
    env, home = deployed
    _run([*PREFECT, "deployment", "run", "nightly/nightly", "--param", "years=2023-2024"], env)
    _run([*PREFECT, "worker", "start", "--pool", "xxgk", "--run-once"], env, timeout=600)
    expected = {m["key"] for m in demo_portal.manifest() if m["readable"] and m["year"] in (2023, 2024)}
    with connect(str(home / "xxgk.lake")) as con:
        loaded = {key for (key,) in con.execute("SELECT report_key FROM reports").fetchall()}
    assert expected and loaded == expected
