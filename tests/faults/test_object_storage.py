"""The multi-machine lake as it runs: the catalog in PostgreSQL, the data on an
S3-compatible server (moto's, on loopback), two loader processes at once, one SIGKILLed
in the middle of a write. The lake ends as a sequential load would, its data on the
object storage, and a reader opened while a write is in flight does not wait for it."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from tests.test_warehouse_lake import REPO, REPORTS, _postgres_binaries, contents, finished
from xxgk import config, connect
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.integrity import verify
from xxgk.warehouse.location import parse
from xxgk.warehouse.sandbox import QueryLimits, query

pytestmark = pytest.mark.slow
BUCKET = "lake"

# A loader of every other report (lake_loads) that stops inside its second write, after
# the rows are written and before the commit, and says so.
_STALLED = """
import sys, time
from tests import lake_loads
from xxgk.warehouse import load

checked, writes = load.check_neighbours, []
def stall(*args, **kwargs):
    checked(*args, **kwargs)
    writes.append(1)
    if len(writes) == 2:
        print("mid-write", flush=True)
        time.sleep(300)
load.check_neighbours = stall
lake_loads.load(sys.argv[1], range(0, int(sys.argv[2]), 2), 2)
"""


@pytest.fixture(scope="module")
def object_storage():
    """moto's S3 server on loopback, in a process of its own (in this one, a DuckDB query
    holding the interpreter would starve it), with one bucket; yields its URL."""
    pytest.importorskip("moto.server", reason="moto[server] is not installed (the test extra has it)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.put(f"{url}/{BUCKET}", timeout=5).raise_for_status()
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield url
    finally:
        server.kill()
        server.wait()


@pytest.fixture
def lake(postgres, object_storage, monkeypatch, request):
    """A PostgreSQL catalog with its data in the bucket; the loaders started by the test
    inherit the credentials through the environment."""
    for name, value in {"AWS_ACCESS_KEY_ID": "xxgk", "AWS_SECRET_ACCESS_KEY": "xxgk", "AWS_REGION": "us-east-1",
                        "AWS_ENDPOINT_URL": object_storage}.items():
        monkeypatch.setenv(name, value)
    name = "s3_" + request.node.name.lower()[-40:]
    subprocess.run([str(_postgres_binaries() / "createdb"), "-h", "127.0.0.1", "-p", postgres.rsplit(":", 1)[1],
                    "-U", "xxgk", name], check=True)
    return f"{postgres}/{name}?data=s3://{BUCKET}/{name}/"


def loader(lake: str, first: int) -> subprocess.Popen:
    """A loader of every other report from `first` (tests/lake_loads.py), two a write."""
    return subprocess.Popen([sys.executable, "-m", "tests.lake_loads", lake, str(first), str(REPORTS), "2", "2"],
                            cwd=REPO, stderr=subprocess.PIPE, text=True)


def objects(object_storage: str, prefix: str) -> list[str]:
    listing = requests.get(f"{object_storage}/{BUCKET}", params={"list-type": "2", "prefix": prefix}, timeout=30)
    return re.findall(r"<Key>([^<]+)</Key>", listing.text)


def test_two_loaders_one_killed_mid_write_end_as_a_sequential_load_on_object_storage(lake, object_storage, sequential):
    open_warehouse(lake, storage=config.object_storage()).close()
    with connect(lake) as held:
        held.begin()
        assert held.execute("SELECT count(*) FROM reports").fetchone() == (0,)
        killed = subprocess.Popen([sys.executable, "-c", _STALLED, lake, str(REPORTS)], cwd=REPO,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        other = loader(lake, first=1)
        if killed.stdout.readline().strip() != "mid-write":
            other.kill()
            pytest.fail(f"the loader to kill: {killed.stderr.read()}\nthe other: {other.stderr.read()}")
        opened = time.monotonic()
        with connect(lake) as reader:  # while a write is in flight
            reader.execute("SELECT count(*) FROM cells").fetchone()
        assert time.monotonic() - opened < 60  # the stalled write holds on for 300 s
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        finished([other])
        assert held.execute("SELECT count(*) FROM reports").fetchone() == (0,)
        held.commit()
    finished([loader(lake, first=0)])  # the killed loader's reports, loaded again as the next run would
    with connect(lake) as con:
        assert contents(con) == sequential
    assert any(key.endswith(".parquet") for key in objects(object_storage, lake.rsplit("/", 2)[-2] + "/"))
    with open_warehouse(lake, read_only=True, storage=config.object_storage()) as con:
        assert verify(con, parse(lake)) == []  # every data file as the catalog and its checksum say
        [(reports,)] = con.execute("SELECT count(*) FROM reports").fetchall()
    # `xxgk query`'s own process reads the data with the credentials it is handed
    limits = QueryLimits(seconds=120, memory=1024 ** 3, rows=10, result_bytes=1024 ** 2)
    _, rows = query(lake, "SELECT count(*) FROM reports", limits=limits, storage=config.object_storage())
    assert rows == [(reports,)] and reports > 0
