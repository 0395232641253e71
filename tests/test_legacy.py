"""Legacy reports (2008–2018): the statistics table and the prose, read into `legacy_summary`."""

import random

import pytest

from xxgk.extractors.extract import extract
from xxgk.extractors.grid import Paragraph
from xxgk.extractors.legacy import PROSE_SUBJECTS, read_legacy
from xxgk.extractors.prose import read_statements, sentences
from xxgk.samples.legacy import LegacySpec, build_legacy_layout, random_legacy, without_cumulative
from xxgk.samples.render import SUFFIX, render_layout
from xxgk.schemas.legacy import LEGACY, LEGACY_KEYS
from xxgk.schemas.records import Cell, Extraction


def legacy(seed: int = 1, year: int = 2015) -> LegacySpec:
    return random_legacy(random.Random(seed), year=year)


def extracted(spec: LegacySpec, kind: str, **layout) -> Extraction:
    return extract(render_layout(build_legacy_layout(spec, **layout), kind), f"report{SUFFIX[kind]}")


def figures(extraction: Extraction) -> dict[tuple[str, str], object]:
    return {(c.row, c.col): c.value for c in extraction.cells if c.table == LEGACY}


def assert_figures(extraction: Extraction, spec: LegacySpec) -> None:
    assert extraction.format == "legacy", extraction.issues
    got = figures(extraction)
    wrong = {(key, col): (spec.value(key, col), got.get((key, col)))
             for key in LEGACY_KEYS for col in ("year_value", "cumulative")
             if spec.value(key, col) != got.get((key, col))}
    assert not wrong, f"(want, got): {wrong}; issues: {extraction.issues}"
    assert not extraction.issues, extraction.issues


def prose(*sentences: str) -> dict[str, Cell]:
    cells, _ = read_legacy([Paragraph(sentence) for sentence in sentences])
    return {c.row: c for c in cells if c.col == "year_value"}


@pytest.mark.parametrize("kind", ["html", "pdf", "docx", "text"])
@pytest.mark.parametrize("phrasing", [0, 1, 2])
def test_the_statistics_table_comes_back_with_its_running_totals(kind, phrasing):
    spec = legacy(phrasing)
    assert_figures(extracted(spec, kind, phrasing=phrasing, parts_apart=phrasing == 1), spec)


@pytest.mark.parametrize("kind", ["html", "pdf", "docx", "text"])
@pytest.mark.parametrize("phrasing", [0, 1, 2])
def test_a_report_without_the_table_gives_the_same_figures_from_its_prose(kind, phrasing):
    spec = legacy(phrasing + 10)
    assert_figures(extracted(spec, kind, table=False, phrasing=phrasing), without_cumulative(spec))


def test_a_figure_from_prose_keeps_its_sentence():
    cell = prose("全年共受理政府信息公开申请12件，其中当面申请5件、网上申请7件。")["applications_online"]
    assert (cell.value, cell.raw) == (7, "全年共受理政府信息公开申请12件，其中当面申请5件、网上申请7件。")


def test_a_figure_from_the_table_keeps_its_cell():
    cell = next(c for c in extracted(legacy(), "html").cells if (c.row, c.col) == ("reviews", "year_value"))
    assert cell.raw == str(legacy().value("reviews")) and "row" in cell.position


@pytest.mark.parametrize("sentence, keys", [
    ("全年未收到政府信息公开申请。", ["applications_total"]),
    ("本年度未发生因政府信息公开引起的行政复议、行政诉讼。", ["reviews", "lawsuits"]),
    ("本年度未收取任何费用。", ["fees_yuan"]),
])
def test_a_sentence_saying_none_gives_zero(sentence, keys):
    cells = prose(sentence)
    assert {key: cells[key].value for key in keys} == dict.fromkeys(keys, 0)


def test_chinese_numerals_are_read():
    assert prose("全年共受理政府信息公开申请十二件。")["applications_total"].value == 12


def test_fees_in_ten_thousand_yuan_are_converted_to_yuan():
    assert prose("全年收取检索、复制等费用1.5万元。")["fees_yuan"].value == 15000


@pytest.mark.parametrize("sentence, key", [
    ("全年共受理政府信息公开申请约30件。", "applications_total"),
    ("全年共受理政府信息公开申请30余件。", "applications_total"),
    ("发生行政复议、行政诉讼共3件。", "reviews"),
    ("对政府信息公开申请予以公开及部分公开258件。", "replies_granted"),
])
def test_ambiguous_phrasing_is_reported_not_guessed(sentence, key):
    cells, issues = read_legacy([Paragraph(sentence)])
    assert next(c for c in cells if (c.row, c.col) == (key, "year_value")).value is None
    assert [i.check for i in issues if i.row == key] == ["prose_ambiguous"]


def test_one_figure_for_each_of_several_subjects_is_read_for_each():
    cells = prose("全年因政府信息公开发生行政复议和行政诉讼各1件。")
    assert (cells["reviews"].value, cells["lawsuits"].value) == (1, 1)


def test_two_different_figures_for_one_subject_keep_the_first_and_say_so():
    cells, issues = read_legacy([Paragraph("全年共受理政府信息公开申请12件。"),
                                 Paragraph("共收到政府信息公开申请15件。")])
    assert next(c.value for c in cells if (c.row, c.col) == ("applications_total", "year_value")) == 12
    assert [(i.check, i.expected, i.actual) for i in issues] == [("prose_ambiguous", 12, 15)]


def test_a_narrowing_phrase_is_not_read_as_the_wider_one():
    statements = read_statements(sentences([Paragraph("不同意公开3件，同意部分公开2件。")]), PROSE_SUBJECTS)
    assert [(s.key, s.value) for s in statements] == [("replies_denied", 3), ("replies_partially_granted", 2)]


def test_the_table_wins_over_the_prose():
    spec = legacy()
    extraction = extracted(spec, "html",
                           extra=(f"全年共受理政府信息公开申请{spec.value('applications_total') + 1}件。",))
    assert figures(extraction)[("applications_total", "year_value")] == spec.value("applications_total")


def test_channels_that_do_not_add_up_are_a_warning_in_each_column():
    spec = legacy()
    year, cumulative = spec.figures["applications_online"]
    broken = LegacySpec(spec.organ, spec.year, spec.jurisdiction_code,
                        {**spec.figures, "applications_online": (year + 1, cumulative + 1)})
    issues = extracted(broken, "html").issues
    assert [(i.check, i.severity, i.col) for i in issues] == [("legacy_channels", "warning", "year_value"),
                                                              ("legacy_channels", "warning", "cumulative")]


def test_a_running_total_below_the_year_is_a_warning():
    spec = legacy()
    year, _ = spec.figures["reviews"]
    broken = LegacySpec(spec.organ, spec.year, spec.jurisdiction_code,
                        {**spec.figures, "reviews": (year + 2, year + 1)})
    assert [(i.check, i.row) for i in extracted(broken, "text").issues] == [("legacy_cumulative", "reviews")]


@pytest.mark.parametrize("year", [2008, 2012, 2018])
def test_every_legacy_year_is_a_reporting_year(year):
    extraction = extracted(legacy(year=year), "html")
    assert (extraction.year, extraction.format) == (year, "legacy")


def test_a_legacy_report_stating_no_figures_says_so():
    text = "海东市人民政府2012年政府信息公开工作年度报告\n\n本年度继续推进政务公开，完善公开制度。\n"
    extraction = extract(text.encode(), "report.txt")
    assert extraction.format == "legacy" and "legacy_figures_missing" in [i.check for i in extraction.issues]


@pytest.mark.slow
def test_the_warehouse_puts_legacy_and_template_headlines_side_by_side(tmp_path):
    from tests.roundtrip import report
    from xxgk.samples.render import render
    from xxgk.warehouse.connect import open_warehouse
    from xxgk.warehouse.load import load_extraction

    old, new = legacy(year=2016), report("2021")
    with open_warehouse(str(tmp_path / "warehouse.duckdb")) as con:
        load_extraction(con, extracted(old, "html"))
        load_extraction(con, extract(render(new, "html"), "report.html"))
        series = con.execute("SELECT year, requests_received, granted_or_partly, reviews, lawsuits "
                             "FROM headline_series ORDER BY year").fetchall()
    granted = old.value("replies_granted") + old.value("replies_partially_granted")
    template_granted = (new.value("applications", "granted", "total") or 0) + \
        (new.value("applications", "partially_granted", "total") or 0)
    lawsuits = sum(new.value("review_litigation", row, "total") or 0
                   for row in ("litigation_direct", "litigation_after_review"))
    assert [tuple(int(v) for v in row) for row in series] == [
        (2016, old.value("applications_total"), granted, old.value("reviews"), old.value("lawsuits")),
        (2023, new.value("applications", "new_received", "total"), template_granted,
         new.value("review_litigation", "review", "total"), lawsuits)]


@pytest.mark.slow
def test_a_legacy_reports_summary_carries_its_replies_and_shares(tmp_path):
    from xxgk.warehouse.connect import open_warehouse
    from xxgk.warehouse.load import load_extraction

    old = legacy(year=2016)
    with open_warehouse(str(tmp_path / "warehouse.duckdb")) as con:
        load_extraction(con, extracted(old, "html"))
        [summary] = con.execute("SELECT requests_received, requests_processed, granted_share, denied_share, reviews, "
                                "lawsuits FROM report_summary").fetchall()
    replies = old.value("replies_total")
    granted = old.value("replies_granted") + old.value("replies_partially_granted")
    assert summary == (old.value("applications_total"), replies, round(granted / replies, 4) if replies else None,
                       round(old.value("replies_denied") / replies, 4) if replies else None,
                       old.value("reviews"), old.value("lawsuits"))


def test_requests_to_other_services_are_not_disclosure_requests():
    cells = prose("建立窗口服务大厅，开设窗口24个，共受理申请136437件。", "三、依申请公开情况",
                  "全年未收到政府信息公开申请。")
    assert cells["applications_total"].value == 0


def test_a_request_figure_under_a_heading_about_requests_is_read():
    assert prose("三、政府信息依申请公开工作情况", "全年共受理申请12件，已全部答复。")["applications_total"].value == 12


def test_a_fee_not_charged_is_zero():
    assert prose("依申请提供政府信息暂不收费。")["fees_yuan"].value == 0


def test_complaints_printed_as_a_report_of_litigation_are_complaints():
    from xxgk.extractors.grid import Grid, GridCell
    row = [GridCell(text) for text in ("接受行政诉讼、举报数", "件", "3", "9")]
    cells, _ = read_legacy([Grid([row])])
    values = {(c.row, c.col): c.value for c in cells}
    assert (values[("complaints", "year_value")], values[("lawsuits", "year_value")]) == (3, None)


def test_a_breakdown_of_a_figure_is_not_a_second_statement_of_it():
    cells, issues = read_legacy([Paragraph("全年主动公开政府信息2949条。"
                                           "其中，区直各部门主动公开政府信息2275条，占77%。"),
                                 Paragraph("各乡镇主动公开政府信息674条，占23%。")])
    assert next(c.value for c in cells if (c.row, c.col) == ("active_total", "year_value")) == 2949 and not issues


@pytest.mark.parametrize("kind", ["text", "html"])
@pytest.mark.parametrize("ending", ["政府信息公开报告", "政务信息公开报告", "政府信息公开年度报告"])
def test_a_legacy_report_titled_in_any_form_is_read(kind, ending):
    title = f"海东市教育局2013年度{ending}"
    body = "全年主动公开政府信息12条。全年未收到政府信息公开申请。"
    data = (f"{title}\n\n{body}\n" if kind == "text" else
            f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{body}</p></body></html>")
    extraction = extract(data.encode(), f"report{SUFFIX[kind]}")
    assert (extraction.format, extraction.organ, extraction.year) == ("legacy", "海东市教育局", 2013)
    assert {k: v for k, v in figures(extraction).items() if v is not None} == {
        ("active_total", "year_value"): 12, ("applications_total", "year_value"): 0}
