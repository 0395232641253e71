"""`xxgk serve`: the warehouse in Datasette, started as a user starts it (on a free loopback
port, with the static site beside it), read over HTTP; and in headless Chromium, a facet
clicked and a canned query run."""

from __future__ import annotations

import csv
import io
import json
import random
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psutil
import pytest
from lxml import html

from tests.site_warehouse import CITY, load, make_warehouse
from tests.test_site_browser import CHROMIUM, chromium
from xxgk.publish import paths
from xxgk.publish.snapshot import write_snapshot
from xxgk.samples.figures import random_report
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.dictionary import described

STARTUP_SECONDS = 180


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return make_warehouse(tmp_path_factory.mktemp("warehouse"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(warehouse, tmp_path_factory):
    """(base URL, the process, the site folder) of `xxgk serve --site`, stopped at the end."""
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "xxgk", "serve", "--warehouse", warehouse.path, "--port", str(port),
         "--site", str(folder / "site"), "--snapshot", str(folder / "snapshot")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                urllib.request.urlopen(base + "-/versions.json", timeout=5).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"xxgk serve did not start: {process.stdout.read() if process.poll() else ''}") from None
                time.sleep(0.5)
        yield base, process, folder / "site"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def get_json(url: str):
    return json.loads(get(url))


def rows(base: str, path: str, **params: str) -> list[dict]:
    query = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in {"_shape": "array", **params}.items())
    return get_json(f"{base}{paths.DATASETTE_DATABASE}/{path}.json?{query}")


# ── the server ──────────────────────────────────────────────────────────────────────


@pytest.mark.slow
def test_serve_listens_on_loopback_only_by_default(served):
    _, process, _ = served
    listening = {c.laddr.ip for c in psutil.Process(process.pid).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN}
    assert listening == {"127.0.0.1"}


def test_every_table_and_view_of_the_warehouse_is_browsable(served, warehouse):
    base, _, _ = served
    with open_warehouse(warehouse.path, read_only=True) as con:
        names = {o.name for o in described(con)}
    tables = {t["name"] for t in get_json(f"{base}{paths.DATASETTE_DATABASE}.json")["tables"]}
    assert names | {"findings"} <= tables


def test_the_metadata_describes_columns_from_the_warehouse_comments_with_chinese_labels(served, warehouse):
    base, _, _ = served
    tables = get_json(base + "-/metadata.json")["databases"][paths.DATASETTE_DATABASE]["tables"]
    with open_warehouse(warehouse.path, read_only=True) as con:
        [(comment,)] = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'cells' "
                                   "AND column_name = 'value'").fetchall()
        [(about,)] = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'reports'").fetchall()
    assert tables["cells"]["columns"]["value"] == comment and tables["reports"]["description"] == about
    assert "自然人" in tables["applications_wide"]["columns"]["natural_person"]
    assert "万元" in tables["active_disclosure_wide"]["columns"]["amount_10k_yuan"]
    assert tables["cells"]["columns"]["row_label"]


def test_findings_are_faceted_by_check_severity_year_and_place(served):
    base, _, _ = served
    facets = get_json(f"{base}{paths.DATASETTE_DATABASE}/findings.json")["facet_results"]
    assert {"check_name", "severity", "year", "jurisdiction_code", "province_name"} <= set(facets)
    checks = {item["value"]: item["count"] for item in facets["check_name"]["results"]}
    assert checks["legacy_channels"] == 1 and checks["row_total"] >= 1


def test_cells_carry_their_chinese_labels_and_units(served, warehouse):
    base, _, _ = served
    [cell] = rows(base, "cells", report_key=warehouse.key(warehouse.legacy[0]), row_key="fees_yuan",
                  col_key="year_value")
    assert (cell["row_label"], cell["col_label"], cell["unit"]) == ("政府信息公开收费减免金额", "本年度", "yuan")
    assert cell["amount"] == warehouse.legacy[0].value("fees_yuan") and cell["year"] == 2017


def test_the_national_series_query_runs_from_the_first_legacy_year(served, warehouse):
    base, _, _ = served
    series = {row["year"]: row for row in rows(base, "national_series")}
    first = warehouse.legacy[0]
    assert min(series) == 2017 and series[2017]["requests_received"] == first.value("applications_total")


def test_a_canned_query_takes_its_parameter(served, warehouse):
    base, _, _ = served
    found = rows(base, "jurisdiction_series", jurisdiction_code=CITY)
    assert sorted(row["year"] for row in found) == [2017, 2018, 2020, 2021, 2022]


def test_any_table_downloads_as_csv(served, warehouse):
    base, _, _ = served
    text = get(f"{base}{paths.DATASETTE_DATABASE}/report_summary.csv?_size=max").decode("utf-8")
    table = list(csv.DictReader(io.StringIO(text)))
    broken = next(row for row in table if row["report_key"] == warehouse.key(warehouse.broken))
    assert int(broken["errors"]) >= 1 and broken["requests_received"].isdigit()


def test_a_report_key_links_to_its_page_on_the_site_and_the_page_links_back(served, warehouse):
    base, _, site = served
    spec = warehouse.broken
    key = warehouse.key(spec)
    page = paths.report_stem(key, spec.jurisdiction_code, spec.year) + ".html"
    table = html.fromstring(get(f"{base}{paths.DATASETTE_DATABASE}/reports"))
    assert f"/{paths.SITE_MOUNT}/{page}" in table.xpath("//td//a/@href")
    report = html.fromstring(get(f"{base}{paths.SITE_MOUNT}/{page}"))
    back = [href for href in report.xpath("//a[@class='browse']/@href") if "/findings?" in href]
    assert back and {row["check_name"] for row in get_json(base + back[0].lstrip("/").replace(
        "findings?", "findings.json?_shape=array&")) if row["severity"] == "error"} == {"row_total", "results_sum"}


def test_a_port_in_use_is_one_line_and_exit_1(warehouse, capsys):
    from xxgk.cli import main

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        taken.listen()
        assert main(["serve", "--warehouse", warehouse.path, "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"xxgk: cannot listen on 127.0.0.1:{port}") and err.count("\n") == 1


# ── the snapshot ────────────────────────────────────────────────────────────────────


@pytest.mark.slow
def test_the_snapshot_is_rewritten_only_when_the_lake_has_changed(tmp_path, warehouse):
    lake = tmp_path / "warehouse.lake"
    load(str(lake), warehouse.district)
    target = tmp_path / "snapshot" / "xxgk.db"
    with open_warehouse(str(lake), read_only=True) as con:
        assert write_snapshot(con, target).written and not write_snapshot(con, target).written
    load(str(lake), random_report(random.Random(3), year=2022, jurisdiction_code=CITY))
    with open_warehouse(str(lake), read_only=True) as con:
        assert write_snapshot(con, target).written
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM reports").fetchone() == (2,)
    db.close()


def test_a_snapshot_folder_that_cannot_be_written_is_one_line(tmp_path, warehouse, capsys):
    from xxgk.cli import main

    (tmp_path / "file").write_text("in the way")
    assert main(["serve", "--warehouse", warehouse.path, "--port", str(free_port()),
                 "--snapshot", str(tmp_path / "file" / "snapshot")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("xxgk: cannot write the snapshot") and err.count("\n") == 1


def test_the_snapshot_keeps_counts_integers_and_money_numbers(served):
    base, _, _ = served
    [count] = rows(base, "cells", col_key="total", table_name="applications", _size="1")
    [money] = rows(base, "cells", col_key="amount_10k_yuan", _where="amount is not null", _size="1")
    assert isinstance(count["value"], int) and isinstance(money["amount"], float)


# ── in a browser ────────────────────────────────────────────────────────────────────

# Loads a Datasette page in a frame, does one thing there (clicks a facet, or fills and
# submits a form), then writes what the next page shows as JSON.
PROBE = """<!doctype html><meta charset="utf-8"><pre id="probe">waiting</pre>
<iframe id="page" width="1280" height="2000"></iframe>
<script>
var params = new URLSearchParams(location.search), frame = document.getElementById("page"), step = 0;
frame.onload = function () {
  var doc = frame.contentDocument;
  step += 1;
  if (step === 1) {
    if (params.get("facet")) {
      var link = Array.from(doc.querySelectorAll(".facet-info a")).find(function (a) {
        return a.textContent.trim() === params.get("facet"); });
      link.click();
    } else {
      var form = doc.querySelector("form.sql");
      form.elements[params.get("field")].value = params.get("value");
      form.querySelector("input[type=submit]").click();
    }
    return;
  }
  var out = {url: frame.contentWindow.location.href,
    header: Array.from(doc.querySelectorAll("table.rows-and-columns th"))
    .map(function (th) { return th.getAttribute("data-column") || th.textContent.trim(); }),
    rows: Array.from(doc.querySelectorAll("table.rows-and-columns tbody tr")).map(function (tr) {
      return Array.from(tr.querySelectorAll("td")).map(function (td) { return td.textContent.trim(); }); })};
  document.getElementById("probe").textContent = JSON.stringify(out);
};
frame.src = params.get("page");
</script>"""


def browse(served, tmp_path: Path, **params: str) -> dict:
    base, _, site = served
    (site / "probe.html").write_text(PROBE, encoding="utf-8")
    query = "&".join(f"{k}={quote(v)}" for k, v in params.items())
    dom = chromium(f"{base}{paths.SITE_MOUNT}/probe.html?{query}", tmp_path / "profile",
                   "--virtual-time-budget=30000", "--dump-dom")
    return json.loads(html.fromstring(dom).xpath("//pre[@id='probe']")[0].text)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)")
def test_clicking_a_facet_in_datasette_filters_the_findings(served, tmp_path):
    shown = browse(served, tmp_path, page=f"/{paths.DATASETTE_DATABASE}/findings", facet="legacy_channels")
    assert "check_name=legacy_channels" in shown["url"]
    checks = [row[shown["header"].index("check_name")] for row in shown["rows"]]
    assert checks == ["legacy_channels"]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)")
def test_a_canned_query_runs_from_its_form_in_the_browser(served, tmp_path):
    shown = browse(served, tmp_path, page=f"/{paths.DATASETTE_DATABASE}/jurisdiction_series",
                   field="jurisdiction_code", value=CITY)
    years = sorted(row[shown["header"].index("year")] for row in shown["rows"])
    assert years == ["2017", "2018", "2020", "2021", "2022"]
