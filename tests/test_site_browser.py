"""The site in a real browser: headless Chromium (Debian's package) opens the built pages
over a loopback HTTP server, and a probe page beside them measures what was rendered."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from lxml import html
from PIL import Image

from tests.site_warehouse import CITY, built_site, make_warehouse
from xxgk.publish import paths
from xxgk.schemas.catalog import TEMPLATES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")

# Loads a page of the site in a frame, then writes what the browser laid out as JSON.
PROBE = """<!doctype html><meta charset="utf-8"><pre id="probe">waiting</pre>
<iframe id="page" width="1280" height="3000"></iframe>
<script>
var params = new URLSearchParams(location.search), frame = document.getElementById("page");
function size(e) { var b = e.getBoundingClientRect(); return [b.width, b.height]; }
frame.onload = function () {
  var doc = frame.contentDocument, out = {};
  out.svgs = Array.from(doc.querySelectorAll("svg.chart")).map(function (s) {
    return {kind: s.getAttribute("class"), size: size(s), marks: s.querySelectorAll("rect, circle").length}; });
  out.cells = Array.from(doc.querySelectorAll("td[data-cell]")).map(function (td) {
    return {cell: td.dataset.cell, size: size(td)}; });
  out.markers = Array.from(doc.querySelectorAll("td a.marker")).map(function (a) {
    return {cell: a.closest("td").dataset.cell, size: size(a), colour: getComputedStyle(a).backgroundColor}; });
  if (params.get("search")) {
    var box = doc.getElementById("search");
    box.value = params.get("search");
    box.dispatchEvent(new Event("input"));
    out.results = Array.from(doc.querySelectorAll("#search-results a")).map(function (a) {
      return a.getAttribute("href"); });
  }
  if (params.get("filter")) {  // name=value&name=value, chosen in the findings page's filters
    var form = doc.getElementById("filters");
    new URLSearchParams(params.get("filter")).forEach(function (value, name) { form.elements[name].value = value; });
    form.elements.check.dispatchEvent(new Event("change", {bubbles: true}));
    out.rows = Array.from(doc.querySelectorAll("#rows tr")).map(function (tr) {
      return Array.from(tr.querySelectorAll("td")).map(function (td) { return td.textContent; }); });
    out.shown = doc.getElementById("shown").textContent;
  }
  document.getElementById("probe").textContent = JSON.stringify(out);
};
frame.src = params.get("page");
</script>"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return make_warehouse(tmp_path_factory.mktemp("warehouse"))


@pytest.fixture(scope="module")
def site(warehouse, tmp_path_factory):
    out = built_site(warehouse, tmp_path_factory.mktemp("site"))
    (out / "probe.html").write_text(PROBE, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        httpd.shutdown()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def chromium(url: str, profile: Path, *options: str) -> str:
    """Chromium's output for one URL, with a fresh profile; bounded in time."""
    done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *options, url],
                          capture_output=True, text=True, timeout=120)
    return done.stdout


def probe(base: str, tmp_path: Path, page: str, *options: str, **params: str) -> dict:
    query = "&".join(f"{k}={quote(v)}" for k, v in {"page": page, **params}.items())
    dom = chromium(f"{base}probe.html?{query}", tmp_path / "profile", "--virtual-time-budget=15000", "--dump-dom",
                   *options)
    return json.loads(html.fromstring(dom).xpath("//pre[@id='probe']")[0].text)


def report_page(warehouse, spec) -> str:
    return paths.report_stem(warehouse.key(spec), spec.jurisdiction_code, spec.year) + ".html"


@pytest.mark.slow
def test_the_national_pages_charts_render_with_a_size(server, tmp_path):
    svgs = probe(server, tmp_path, paths.NATIONAL)["svgs"]
    kinds = sorted(s["kind"] for s in svgs)
    assert kinds == ["chart heatmap"] * 2 + ["chart series"] * 6 + ["chart tiles"] * 2
    assert all(s["size"][0] > 100 and s["size"][1] > 100 and s["marks"] > 0 for s in svgs), svgs


def test_a_report_pages_tables_render_every_cell(server, tmp_path, warehouse):
    spec = warehouse.city[1]
    cells = probe(server, tmp_path, report_page(warehouse, spec))["cells"]
    template = TEMPLATES[spec.template]
    assert sorted(c["cell"] for c in cells) == sorted(f"{t.key}/{r}/{c}" for t in template.tables for r, c in t.cells())
    assert all(c["size"][0] > 20 and c["size"][1] > 10 for c in cells)


def test_a_findings_marker_shows_on_its_cell(server, tmp_path, warehouse):
    markers = probe(server, tmp_path, report_page(warehouse, warehouse.broken))["markers"]
    on_granted = [m for m in markers if m["cell"] == "applications/granted/total"]
    assert on_granted and all(m["size"][0] > 5 and m["size"][1] > 5 for m in on_granted)
    assert on_granted[0]["colour"] == "rgb(192, 57, 43)"  # the error red


def test_the_search_box_finds_an_organ(server, tmp_path):
    found = probe(server, tmp_path, paths.NATIONAL, search="杭州市人民政府")["results"]
    assert found == [paths.jurisdiction_page(CITY)]


def test_the_search_box_works_from_file_urls(site, tmp_path):
    found = probe(site.as_uri() + "/", tmp_path, paths.province_page("330000"), "--allow-file-access-from-files",
                  search="杭州")["results"]
    assert "../" + paths.jurisdiction_page(CITY) in found


@pytest.mark.slow
def test_the_national_pages_screenshot_shows_the_heatmap_colours(server, tmp_path):
    shot = tmp_path / "national.png"
    chromium(server + paths.NATIONAL, tmp_path / "profile", "--window-size=1280,2400", f"--screenshot={shot}")
    colours = {colour for _, colour in Image.open(shot).convert("RGB").getcolors(1 << 24)}
    assert (8, 81, 156) in colours  # the header
    assert (165, 15, 21) in colours  # the quality heatmap's province-year whose every report has errors


@pytest.mark.slow
def test_the_findings_page_filters_by_check_province_and_year(server, tmp_path, warehouse):
    everything = probe(server, tmp_path, paths.FINDINGS, filter="check=")
    chosen = probe(server, tmp_path, paths.FINDINGS, filter="check=row_total&province=浙江省&year=2022")
    assert len(chosen["rows"]) == 1 < len(everything["rows"])
    province, jurisdiction, organ, year, severity, check = chosen["rows"][0][:6]
    assert ((province, jurisdiction, organ, year, severity, check)
            == ("浙江省", "杭州市", "杭州市人民政府", "2022", "错误", "row_total"))
    assert chosen["shown"] == "共 1 条"
    assert probe(server, tmp_path, paths.FINDINGS, filter="check=legacy_channels&year=2022")["rows"] == []
