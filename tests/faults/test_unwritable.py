"""A lake or a raw store that cannot be written: on a read-only file system (a read-only
bind mount in a mount namespace of its own) or in a folder without write permission (the
command run without the capability that lets root write anywhere). `xxgk load`, `xxgk
crawl` and the nightly flow end with one line and leave everything as it was. (A file
system turning read-only under a running load: test_lake.py, beside a full disk.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.test_lake import digest
from tests.lake_loads import built
from xxgk.crawler.registry import write_registry
from xxgk.samples.portal import build_sites
from xxgk.samples.portal_server import DemoPortal
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.load import load_many

pytestmark = pytest.mark.slow  # every test runs the command in a fresh interpreter

# root passes every permission check (CAP_DAC_OVERRIDE): without it, a folder's mode holds
UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []


def xxgk(*argv: str, read_only: Path | None = None, unprivileged: bool = False) -> subprocess.CompletedProcess:
    """`xxgk argv…` in a fresh interpreter; with `read_only`, that folder is mounted
    read-only for it alone."""
    command = [sys.executable, "-m", "xxgk", *argv]
    if unprivileged:
        command = UNPRIVILEGED + command
    if read_only is not None:
        command = ["unshare", "-m", "sh", "-c", 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"',
                   str(read_only), *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def one_line(run: subprocess.CompletedProcess) -> str:
    err = run.stderr.strip()
    assert run.returncode == 1 and "Traceback" not in err and "\n" not in err, err
    return err


@pytest.fixture(scope="module")
def mountable(tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("probe")
    probe = subprocess.run(["unshare", "-m", "sh", "-c", 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" '
                            '&& ! touch "$0/x"', str(folder)], capture_output=True, text=True)
    if shutil.which("unshare") is None or probe.returncode != 0:
        pytest.skip(f"no read-only bind mount here (unshare -m, mount -o remount,bind,ro): {probe.stderr.strip()}")


@pytest.fixture(scope="module")
def deniable(tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("denied")
    folder.chmod(0o555)
    probe = subprocess.run([*UNPRIVILEGED, "touch", str(folder / "x")], capture_output=True, text=True)
    folder.chmod(0o755)
    if probe.returncode == 0:
        pytest.skip("a folder's permission does not stop this process from writing into it")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    lake = tmp_path_factory.mktemp("template") / "lake"
    with open_warehouse(str(lake)) as con:
        load_many(con, [built(0), built(1)])
    return lake


@pytest.fixture
def lake(template, tmp_path) -> Path:
    """A lake of two reports, in a folder of its own (the one made read-only)."""
    return Path(shutil.copytree(template, tmp_path / "vault" / "lake"))


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Iterator[Path]:
    """A registry of one small portal on loopback, served for the module."""
    path = tmp_path_factory.mktemp("registry") / "portals.json"
    with DemoPortal(build_sites(sites=(("海东市乐都区人民政府", "630202", "plain"),), legacy_years=())) as portal:
        write_registry(path, portal.registry())
        yield path


def test_a_load_into_a_lake_on_a_read_only_file_system_is_one_line(mountable, lake, document):
    before = digest(lake)
    err = one_line(xxgk("load", str(document), "--warehouse", str(lake), read_only=lake.parent))
    assert err == f"xxgk: cannot write the warehouse {lake}: Read-only file system ({lake}); nothing was written"
    assert digest(lake) == before


def test_a_load_into_a_lake_folder_without_write_permission_is_one_line(deniable, lake, document):
    before = digest(lake)
    lake.chmod(0o555)
    try:
        err = one_line(xxgk("load", str(document), "--warehouse", str(lake), unprivileged=True))
    finally:
        lake.chmod(0o755)
    assert err == f"xxgk: cannot write the warehouse {lake}: Permission denied ({lake}); nothing was written"
    assert digest(lake) == before


def test_a_load_into_table_folders_without_write_permission_keeps_nothing_and_says_so(deniable, lake, document):
    tables = [folder for folder in (lake / "data" / "main").iterdir()]
    data_before = digest(lake / "data")
    for folder in tables:
        folder.chmod(0o555)
    try:
        err = one_line(xxgk("load", str(document), "--warehouse", str(lake), unprivileged=True))
    finally:
        for folder in tables:
            folder.chmod(0o755)
    assert err.startswith("xxgk: the warehouse cannot be written and this write was not kept") and \
        "Permission denied" in err and "no earlier batch of this run was committed" in err, err
    assert digest(lake / "data") == data_before
    with open_warehouse(str(lake), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports").fetchall() == [(2,)]


@pytest.mark.parametrize("command", ["crawl", "run"], ids=["xxgk crawl", "the nightly flow"])
def test_a_crawl_into_a_lake_on_a_read_only_file_system_is_one_line_before_anything_is_fetched(
        mountable, lake, registry, tmp_path, command):
    before = digest(lake)
    run = xxgk(command, "--registry", str(registry), "--allow-private", "--years", "2023", "--warehouse", str(lake),
               "--store", str(tmp_path / "store"), read_only=lake.parent)
    assert one_line(run) == (f"xxgk: cannot write the warehouse {lake}: Read-only file system ({lake}); "
                             "nothing was written")
    assert digest(lake) == before and not (tmp_path / "store").exists()


@pytest.mark.parametrize("command", ["crawl", "run"], ids=["xxgk crawl", "the nightly flow"])
def test_a_crawl_into_a_store_on_a_read_only_file_system_is_one_line_and_loads_nothing(
        mountable, lake, registry, tmp_path, command):
    store = tmp_path / "shelf" / "store"
    store.mkdir(parents=True)
    before = digest(lake)
    run = xxgk(command, "--registry", str(registry), "--allow-private", "--years", "2023", "--warehouse", str(lake),
               "--store", str(store), read_only=store.parent)
    assert one_line(run) == (f"xxgk: cannot write the raw store file://{store}: Read-only file system; "
                             "nothing was crawled")
    assert digest(lake) == before and not any(store.iterdir())
