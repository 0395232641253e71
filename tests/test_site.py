"""The static site (`xxgk site`): what its pages show, read from the generated HTML."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest
from lxml import html

from tests.shared import needs_shared
from tests.site_warehouse import BROKEN_GRANTED, CITY, DISTRICT, built_site, load, make_warehouse
from xxgk.cli import main
from xxgk.publish import paths
from xxgk.publish.build import build_site
from xxgk.publish.charts import series
from xxgk.publish.reference import FINDING_FIELDS
from xxgk.publish.tiles import PROVINCE_TILES
from xxgk.samples.figures import random_report
from xxgk.schemas.catalog import TEMPLATES
from xxgk.schemas.records import Extraction
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.dictionary import described
from xxgk.warehouse.load import DocumentInfo, load_extraction


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return make_warehouse(tmp_path_factory.mktemp("warehouse"))


@pytest.fixture(scope="module")
def site(warehouse, tmp_path_factory):
    return built_site(warehouse, tmp_path_factory.mktemp("site"))


def page(site: Path, relative: str):
    return html.fromstring((site / relative).read_text(encoding="utf-8"))


def report_page(site: Path, warehouse, spec) -> str:
    return paths.report_stem(warehouse.key(spec), spec.jurisdiction_code, spec.year) + ".html"


def heatmap_rows(svg) -> dict[str, list[str]]:
    """Row label → texts of its cells, from a heatmap's SVG."""
    rows: dict[str, list[str]] = {}
    labels = svg.xpath(".//text[@class='label']")
    cells = svg.xpath(".//g[@class='cell']/text")
    years = len(svg.xpath(".//text[@class='axis']"))
    for i, label in enumerate(labels):
        rows[label.text] = [c.text or "" for c in cells[i * years:(i + 1) * years]]
    return rows


# ── the national page ───────────────────────────────────────────────────────────────


@pytest.mark.slow
def test_the_national_heatmaps_have_a_row_per_province_and_a_column_per_year_without_gaps(site):
    coverage, quality = page(site, "index.html").xpath("//svg[contains(@class, 'heatmap')]")
    years = [t.text for t in coverage.xpath(".//text[@class='axis']")]
    assert years[:6] == [str(year) for year in range(2017, 2023)]  # 2019 has no report
    for svg in (coverage, quality):
        assert len(heatmap_rows(svg)) == len(PROVINCE_TILES)


def test_coverage_is_the_share_of_a_provinces_divisions_with_a_report(site):
    coverage = page(site, "index.html").xpath("//svg[contains(@class, 'heatmap')]")[0]
    tips = [t.text for t in coverage.xpath(".//rect/title") if t.text.startswith("浙江省 2022")]
    assert len(tips) == 1 and re.fullmatch(r"浙江省 2022: 1/\d+ 个地区有年报", tips[0])


def test_quality_is_the_share_of_reports_with_errors(site):
    quality = page(site, "index.html").xpath("//svg[contains(@class, 'heatmap')]")[1]
    assert heatmap_rows(quality)["浙江"][3:6] == ["0%", "0%", "100%"]


def test_the_tile_map_has_a_tile_per_province_linking_to_its_page(site):
    tiles = page(site, "index.html").xpath("//svg[contains(@class, 'tiles')]")[0]
    links = tiles.xpath(".//a/@href")
    assert len(links) == len(PROVINCE_TILES) and paths.province_page("330000") in links


# ── a report page ───────────────────────────────────────────────────────────────────


def test_a_report_page_shows_every_cell_of_its_template_as_published(site, warehouse):
    spec = warehouse.city[1]
    cells = {td.get("data-cell"): td.text_content().strip()
             for td in page(site, report_page(site, warehouse, spec)).xpath("//td[@data-cell]")}
    template = TEMPLATES[spec.template]
    assert set(cells) == {f"{t.key}/{r}/{c}" for t in template.tables for r, c in t.cells()}
    assert all(cells[f"{t}/{r}/{c}"] == ("" if v is None else str(v)) for (t, r, c), v in spec.values.items())


def test_the_tables_carry_the_templates_chinese_labels(site, warehouse):
    text = page(site, report_page(site, warehouse, warehouse.city[1])).text_content()
    for label in ("收到和处理政府信息公开申请情况", "（三）不予公开", "1.属于国家秘密", "法人或其他组织",
                  "未经复议直接起诉", "本年制发件数"):
        assert label in text


def test_a_finding_is_marked_on_its_cell_with_expected_and_actual(site, warehouse):
    doc = page(site, report_page(site, warehouse, warehouse.broken))
    [cell] = doc.xpath("//td[@data-cell='applications/granted/total']")
    assert "finding" in cell.get("class") and "error" in cell.get("class")
    [marker] = cell.xpath(".//a[contains(@class, 'marker') and contains(@class, 'error')]")
    expected = sum(warehouse.broken.value("applications", "granted", c) for c in
                   ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org"))
    assert cell.xpath(".//span[@class='fx']")[0].text == f"应为 {expected} · 公布 {BROKEN_GRANTED}"
    [listed] = doc.xpath(f"//tr[@id='{marker.get('href')[1:]}']")
    assert "row_total" in listed.text_content()


def test_a_report_without_findings_marks_no_cell(site, warehouse):
    doc = page(site, report_page(site, warehouse, warehouse.city[1]))
    assert not doc.xpath("//*[contains(@class, 'finding')]") and "没有发现问题" in doc.text_content()


def test_a_report_page_gives_its_source_and_provenance(site, warehouse):
    doc = page(site, report_page(site, warehouse, warehouse.district))
    assert doc.xpath("//a[@class='source']/@href") == ["https://www.example.gov.cn/510107/2021.pdf"]
    identity = doc.xpath("//dl[@class='identity']")[0].text_content()
    assert "pdf · sha256" in identity and re.search(r"第 1(–\d+)? 页", identity)
    assert doc.xpath("//td[@data-cell='applications/new_received/total']/@title") == ["第1页"]


@needs_shared
def test_the_seed_reports_findings_are_on_its_page(site):
    [stem] = [p for p in (site / "report" / "630200").glob("*.html")]
    doc = html.fromstring(stem.read_text(encoding="utf-8"))
    assert doc.xpath("//table[@class='findings']//tr[@id]") and doc.xpath("//td[contains(@class, 'finding')]")


# ── legacy reports (2008–2018) ─────────────────────────────────────────────────────


def legacy_rows(site: Path, warehouse, spec) -> dict[str, list[str]]:
    """Row key → the texts of its line (指标, 单位, 本年度, 历年累计, 出处) on a legacy report's page."""
    doc = page(site, report_page(site, warehouse, spec))
    rows = {}
    for tr in doc.xpath("//section[@id='table-legacy_summary']//tr[td]"):
        key = tr.xpath("td/@data-cell")[0].split("/")[1]
        rows[key] = [c.xpath("string(.)").strip() for c in tr.xpath("th|td")]
    return rows


def test_a_legacy_report_page_shows_its_statistics_table(site, warehouse):
    spec = warehouse.legacy[0]
    rows = legacy_rows(site, warehouse, spec)
    assert rows["reviews"][:4] == ["行政复议数", "件/条/次", str(spec.value("reviews")),
                                   str(spec.value("reviews", "cumulative"))]
    assert rows["fees_yuan"][1] == "元" and rows["reviews"][4] == "统计表"
    assert not page(site, report_page(site, warehouse, spec)).xpath("//section[@id='table-applications']")


def test_a_figure_read_from_prose_shows_the_sentence_it_came_from(site, warehouse):
    spec = warehouse.legacy[1]
    rows = legacy_rows(site, warehouse, spec)
    figure, cumulative, sentence = rows["lawsuits"][2:]
    assert figure == str(spec.value("lawsuits")) and cumulative == "—"
    assert "行政诉讼" in sentence and f"{spec.value('lawsuits')}件" in sentence


def test_a_legacy_finding_is_marked_on_its_figure(site, warehouse):
    doc = page(site, report_page(site, warehouse, warehouse.legacy[0]))
    [cell] = doc.xpath("//td[@data-cell='legacy_summary/applications_total/year_value']")
    assert "finding" in cell.get("class") and "warning" in cell.get("class")
    assert "0 个错误、1 个警告" in doc.xpath("string(//p[contains(@class, 'summary')])")
    assert "legacy_channels" in doc.xpath("string(//table[@class='findings'])")


def test_a_legacy_report_downloads_its_statistics_table(site, warehouse):
    spec = warehouse.legacy[1]
    relative = report_page(site, warehouse, spec)
    links = page(site, relative).xpath("//a[@download]/@href")
    assert [Path(link).suffix for link in links] == [".csv", ".xlsx"]
    text = (site / relative).parent.joinpath(links[0]).read_text(encoding="utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text))}
    assert rows["row_key"][1:5] == ["指标", "单位", "本年度", "历年累计"]
    assert rows["applications_total"][3:5] == [str(spec.value("applications_total")), ""]
    assert "申请" in rows["applications_total"][5]


def test_the_series_run_through_the_legacy_years(site, warehouse):
    for relative in (paths.NATIONAL, paths.province_page("330000"), paths.jurisdiction_page(CITY)):
        doc = page(site, relative)
        rows = {r.xpath("th")[0].text: [td.text for td in r.xpath("td")]
                for r in doc.xpath("//table[@class='figures']/tbody/tr")}
        for spec in warehouse.legacy:
            replies = spec.value("replies_total")
            granted = spec.value("replies_granted") + spec.value("replies_partially_granted")
            assert (rows[str(spec.year)][:3]
                    == ["1", f"{spec.value('applications_total'):,}", f"{granted / replies:.1%}"])
            assert rows[str(spec.year)][4] == "—"  # legacy reports state no requests carried forward


# ── the data dictionary and the national findings ──────────────────────────────────


def test_the_dictionary_page_describes_every_table_view_and_column_from_the_warehouse(site, warehouse):
    doc = page(site, paths.DICTIONARY)
    with open_warehouse(warehouse.path, read_only=True) as con:
        objects = described(con)
    assert {s.get("id") for s in doc.xpath("//section[@class='object']")} == {o.name for o in objects}
    reports = next(o for o in objects if o.name == "reports")
    listed = {tr.get("id"): [td.text_content() for td in tr.xpath("td")]
              for tr in doc.xpath("//section[@id='reports']//tbody/tr")}
    assert listed == {f"reports.{c.name}": [c.name, c.type, c.comment or "—"] for c in reports.columns}
    assert "自然人" in doc.xpath("//section[@id='keys']")[0].text_content()


@pytest.mark.slow
def test_a_comment_added_in_the_warehouse_shows_on_the_dictionary_page(tmp_path, warehouse):
    lake = str(tmp_path / "warehouse.lake")
    load(lake, warehouse.district)
    with open_warehouse(lake) as con:
        con.execute("COMMENT ON COLUMN reports.title IS 'the title, as its first line prints it'")
        build_site(con, tmp_path / "site")
    [row] = page(tmp_path / "site", paths.DICTIONARY).xpath("//tr[@id='reports.title']")
    assert row.xpath("td")[2].text == "the title, as its first line prints it"


def findings_rows(site: Path) -> list[list]:
    text = (site / paths.FINDINGS_DATA).read_text(encoding="utf-8")
    return json.loads(text.removeprefix("window.XXGK_FINDINGS = ").rstrip().removesuffix(";"))


def test_the_findings_page_carries_every_finding_with_its_place_and_report_page(site, warehouse):
    with open_warehouse(warehouse.path, read_only=True) as con:
        [(count,)] = con.execute("SELECT count(*) FROM quality_issues").fetchall()
    found = [dict(zip(FINDING_FIELDS, row, strict=True)) for row in findings_rows(site)]
    assert len(found) == count
    [channels] = [f for f in found if f["check"] == "legacy_channels"]
    assert (channels["province"], channels["jurisdiction"], channels["year"]) == ("浙江省", "杭州市", 2017)
    assert channels["where"] == "政府信息公开情况统计表 · 受理依申请公开信息总数 · 本年度"
    assert channels["page"] == report_page(site, warehouse, warehouse.legacy[0]) and (site / channels["page"]).exists()


def test_the_findings_pages_filters_offer_every_check_province_and_year(site):
    doc = page(site, paths.FINDINGS)
    options = {s.get("name"): [o.text for o in s.xpath("option")][1:]
               for s in doc.xpath("//form[@id='filters']//select")}
    rows = [dict(zip(FINDING_FIELDS, row, strict=True)) for row in findings_rows(site)]
    assert options["check"] == sorted({r["check"] for r in rows})
    assert options["province"] == sorted({r["province"] for r in rows}) and "浙江省" in options["province"]
    assert options["year"] == [str(y) for y in sorted({r["year"] for r in rows})]


def test_every_page_links_the_dictionary_and_the_findings(site, warehouse):
    for relative in (paths.NATIONAL, report_page(site, warehouse, warehouse.city[0])):
        links = page(site, relative).xpath("//nav[@class='pages']/a/@href")
        assert [Path(link).name for link in links] == [paths.FINDINGS, paths.DICTIONARY]


def test_report_pages_link_their_rows_in_datasette_when_told_where_it_runs(site, warehouse, tmp_path):
    relative = report_page(site, warehouse, warehouse.broken)
    assert not page(site, relative).xpath("//a[@class='browse']")
    with open_warehouse(warehouse.path, read_only=True) as con:
        build_site(con, tmp_path, browse_url="http://127.0.0.1:8001/")
    links = page(tmp_path, relative).xpath("//a[@class='browse']/@href")
    assert "http://127.0.0.1:8001/xxgk/findings?report_key=" + quote(warehouse.key(warehouse.broken), safe="") in links


def test_the_site_command_takes_where_datasette_runs(warehouse, tmp_path, capsys):
    assert main(["site", str(tmp_path), "--warehouse", warehouse.path, "--browse-url", "http://127.0.0.1:8001"]) == 0
    links = page(tmp_path, paths.DICTIONARY).xpath("//section[@id='reports']//a[@class='browse']/@href")
    assert links == ["http://127.0.0.1:8001/xxgk/reports"]


# ── downloads ───────────────────────────────────────────────────────────────────────


def test_each_table_downloads_as_csv_with_the_published_figures(site, warehouse):
    spec = warehouse.city[1]
    stem = site / paths.report_stem(warehouse.key(spec), CITY, spec.year)
    rows = list(csv.reader(io.StringIO(Path(f"{stem}-applications.csv").read_text(encoding="utf-8-sig"))))
    header = rows[0]
    new_received = next(r for r in rows if r[0] == "new_received")
    assert header[:3] == ["row_key", "项目", "自然人"]
    want = spec.value("applications", "new_received", "total")
    assert new_received[header.index("总计")] == ("" if want is None else str(want))


def test_the_xlsx_download_has_a_sheet_per_table(site, warehouse):
    spec = warehouse.city[1]
    stem = site / paths.report_stem(warehouse.key(spec), CITY, spec.year)
    with zipfile.ZipFile(f"{stem}.xlsx") as book:
        workbook = book.read("xl/workbook.xml").decode()
    assert re.findall(r'<sheet name="([^"]+)"', workbook) == ["表二", "表三", "表四"]


def test_the_report_page_links_its_downloads(site, warehouse):
    spec = warehouse.city[1]
    relative = report_page(site, warehouse, spec)
    links = page(site, relative).xpath("//a[@download]/@href")
    assert len(links) == 4 and all((site / relative).parent.joinpath(link).exists() for link in links)


# ── provinces, jurisdictions, search ────────────────────────────────────────────────


def test_a_jurisdiction_page_shows_its_series_over_the_years(site, warehouse):
    doc = page(site, paths.jurisdiction_page(CITY))
    assert len(doc.xpath("//svg[contains(@class, 'series')]")) == 6
    rows = {r.xpath("th")[0].text: [td.text for td in r.xpath("td")]
            for r in doc.xpath("//table[@class='figures']/tbody/tr")}
    for spec in warehouse.city:
        assert rows[str(spec.year)][1] == f"{spec.value('applications', 'new_received', 'total'):,}"


def test_a_jurisdiction_page_links_each_organs_report_per_year(site, warehouse):
    doc = page(site, paths.jurisdiction_page(CITY))
    links = doc.xpath("//table[@class='coverage']//a/@href")
    assert sorted(links) == sorted("../" + report_page(site, warehouse, s) for s in warehouse.city + warehouse.legacy)


def test_a_province_page_lists_its_jurisdictions_with_reports(site):
    doc = page(site, paths.province_page("510000"))
    assert doc.xpath("//ul[@class='places']//a/@href") == ["../" + paths.jurisdiction_page(DISTRICT)]
    assert doc.xpath("//svg[contains(@class, 'heatmap')]")


def test_the_search_index_lists_jurisdictions_and_organs_with_their_pages(site):
    index = (site / paths.SEARCH_INDEX).read_text(encoding="utf-8")
    assert f'["杭州市人民政府","机关","{paths.jurisdiction_page(CITY)}","杭州市"]' in index
    assert f'["杭州市","地区","{paths.jurisdiction_page(CITY)}","浙江省"]' in index


def test_pages_fetch_nothing_from_outside_the_site(site):
    for file in site.rglob("*.html"):
        doc = html.fromstring(file.read_text(encoding="utf-8"))
        outside = [u for u in doc.xpath("//script/@src | //link/@href | //img/@src") if "://" in u]
        assert not outside, (file, outside)


# ── building incrementally ──────────────────────────────────────────────────────────


def written_since(site: Path, moment: float) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.stat().st_mtime_ns > moment}


def test_a_second_build_of_an_unchanged_warehouse_rewrites_no_report(warehouse, tmp_path):
    with open_warehouse(warehouse.path, read_only=True) as con:
        build_site(con, tmp_path)
        summary = build_site(con, tmp_path)
    assert not summary.full and summary.reports == 0 and summary.jurisdictions == 0
    assert summary.line().startswith("incremental build: 0 report pages")


@pytest.mark.slow
def test_a_new_year_redraws_every_places_series(warehouse, tmp_path):
    warehouse = copy_of(warehouse, tmp_path)
    with open_warehouse(warehouse.path, read_only=True) as con:
        build_site(con, tmp_path / "site")
    load(warehouse.path, random_report(random.Random(9), organ="成都市武侯区人民政府", year=2024,
                                       jurisdiction_code=DISTRICT))
    with open_warehouse(warehouse.path, read_only=True) as con:
        summary = build_site(con, tmp_path / "site")
    city = page(tmp_path / "site", paths.jurisdiction_page(CITY))
    assert summary.reports == 2 and "2024" in [t.text for t in city.xpath("//svg[contains(@class, 'series')]//text")]


def copy_of(warehouse, folder: Path):
    copy = folder / "copy.lake"
    shutil.copytree(warehouse.path, copy)
    return replace(warehouse, path=str(copy))


@pytest.mark.slow
def test_a_reloaded_report_rewrites_its_organs_pages_and_places_only(warehouse, tmp_path):
    warehouse = copy_of(warehouse, tmp_path)
    with open_warehouse(warehouse.path, read_only=True) as con:
        build_site(con, tmp_path / "site")
    before = max(p.stat().st_mtime_ns for p in (tmp_path / "site").rglob("*"))
    load(warehouse.path, warehouse.district.with_values({("applications", "granted", "total"): 1}), "pdf")
    with open_warehouse(warehouse.path, read_only=True) as con:
        summary = build_site(con, tmp_path / "site")
    district_page = paths.report_stem(warehouse.key(warehouse.district), DISTRICT, 2021) + ".html"
    assert written_since(tmp_path / "site", before) == {
        paths.NATIONAL, paths.DICTIONARY, paths.FINDINGS, paths.province_page("510000"),
        paths.jurisdiction_page(DISTRICT), district_page}
    assert (summary.reports, summary.jurisdictions, summary.provinces) == (1, 1, 1)


def test_since_rewrites_the_reports_extracted_after_it(warehouse, tmp_path):
    with open_warehouse(warehouse.path, read_only=True) as con:
        build_site(con, tmp_path)
        [(city_loaded,)] = con.execute("SELECT max(extracted_at) FROM reports WHERE jurisdiction_code = ?",
                                       [CITY]).fetchall()
        summary = build_site(con, tmp_path, since=city_loaded)
    loaded_later = len(list(tmp_path.glob("report/*/*.html"))) - len(warehouse.city) - len(warehouse.legacy)
    assert summary.reports == loaded_later


def test_integer_counts_read_as_decimal_ones_do(warehouse, tmp_path):
    """Counts may be stored as BIGINT: the pages and downloads do not change."""
    copy = copy_of(warehouse, tmp_path).path
    with open_warehouse(copy) as con:
        con.execute("DELETE FROM cells WHERE value <> trunc(value)")
        con.execute("ALTER TABLE cells ALTER value TYPE BIGINT")
    with open_warehouse(copy, read_only=True) as con:
        build_site(con, tmp_path / "site")
    spec = warehouse.city[1]
    stem = tmp_path / "site" / paths.report_stem(warehouse.key(spec), CITY, spec.year)
    text = Path(f"{stem}-applications.csv").read_text(encoding="utf-8-sig")
    assert ".0000" not in text and str(spec.value("applications", "total_processed", "total")) in text


# ── charts ──────────────────────────────────────────────────────────────────────────


def test_a_share_over_one_is_drawn_hollow_on_the_charts_top_edge():
    svg = html.fromstring(str(series([2020, 2021], [0.5, 591.8], share=True, caption="予以公开占比")))
    normal, over = svg.xpath("//circle")
    assert over.get("class") == "point over" and float(over.get("cy")) < float(normal.get("cy"))
    assert float(over.get("cy")) >= 0 and over.xpath("title")[0].text == "2021: 59180%"


def test_names_from_documents_are_shown_as_text_never_as_markup(warehouse, tmp_path):
    warehouse = copy_of(warehouse, tmp_path)
    spec = replace(warehouse.district, organ='武侯区<script>alert("x")</script>局')
    with open_warehouse(warehouse.path) as con:
        load_extraction(con, Extraction(source="x", sha256="f" * 64, kind="html", organ=spec.organ,
                                        jurisdiction_code=DISTRICT, year=2021, format="2021"))
    with open_warehouse(warehouse.path, read_only=True) as con:
        build_site(con, tmp_path / "site")
    for relative in (paths.jurisdiction_page(DISTRICT), report_page(tmp_path / "site", warehouse, spec)):
        doc = page(tmp_path / "site", relative)
        assert spec.organ in doc.text_content() and not [s for s in doc.xpath("//script") if "alert" in (s.text or "")]


def test_a_report_loaded_from_a_local_file_shows_no_local_path_as_its_source(warehouse, tmp_path):
    warehouse = copy_of(warehouse, tmp_path)
    spec = replace(warehouse.district, organ="成都市武侯区财政局")
    local = "/home/analyst/年报/武侯区财政局2021.html"
    with open_warehouse(warehouse.path) as con:
        load_extraction(con, Extraction(source=local, sha256="e" * 64, kind="html", organ=spec.organ,
                                        jurisdiction_code=DISTRICT, year=2021, format="2021"), DocumentInfo(url=local))
    with open_warehouse(warehouse.path, read_only=True) as con:
        build_site(con, tmp_path / "site")
    identity = page(tmp_path / "site", report_page(tmp_path / "site", warehouse, spec)).xpath(
        "//dl[@class='identity']")[0].text_content()
    assert "/home/analyst" not in identity and "本地文件载入" in identity


@pytest.mark.slow
def test_an_empty_warehouse_builds_a_national_page_that_says_so(tmp_path):
    path = str(tmp_path / "empty.lake")
    open_warehouse(path).close()
    with open_warehouse(path, read_only=True) as con:
        build_site(con, tmp_path / "site")
    doc = page(tmp_path / "site", paths.NATIONAL)
    assert doc.xpath("//p[@class='empty']") and not doc.xpath("//svg")


# ── the command ─────────────────────────────────────────────────────────────────────


def test_xxgk_site_builds_the_site_and_says_where(warehouse, tmp_path, capsys):
    status = main(["site", str(tmp_path / "site"), "--warehouse", warehouse.path])
    out = capsys.readouterr().out
    assert status == 0 and (tmp_path / "site" / paths.NATIONAL).exists()
    assert out.startswith("full build: ") and str(tmp_path / "site" / paths.NATIONAL) in out


def test_xxgk_site_says_in_one_line_when_it_cannot_write(warehouse, tmp_path, capsys):
    (tmp_path / "taken").write_text("a file where the folder should be")
    status = main(["site", str(tmp_path / "taken"), "--warehouse", warehouse.path])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith(f"xxgk: cannot write the site to {tmp_path / 'taken'}") and err.count("\n") == 1
