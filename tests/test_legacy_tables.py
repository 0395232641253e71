"""The legacy statistics table in every shape it is printed in: one column headed 年末统计,
the running total first, the year column headed with another year, and the table carried
in a page's text, its cells separated by a space or run together."""

import random
import re

import pytest

from xxgk.extractors.extract import extract
from xxgk.extractors.grid import Paragraph
from xxgk.extractors.legacy import read_legacy
from xxgk.samples.legacy import (
    LegacySpec,
    TableShape,
    build_legacy_layout,
    national_table_layout,
    random_legacy,
    random_national_table,
    table_text,
)
from xxgk.samples.render import SUFFIX, render_layout
from xxgk.schemas.legacy import LEGACY, LEGACY_KEYS
from xxgk.schemas.records import Extraction

SHAPES = {
    "year, then running total": TableShape(),
    "running total, then year": TableShape(("cumulative", "year_value")),
    "one column headed 年末统计": TableShape(("year_value",), header_year=0),
    "year column headed with another year": TableShape(header_year=2009),
    "no header, year first": TableShape(headed=False),
    "no header, running total first": TableShape(("cumulative", "year_value"), headed=False),
}


def extracted(spec: LegacySpec, kind: str, **layout) -> Extraction:
    return extract(render_layout(build_legacy_layout(spec, **layout), kind), f"report{SUFFIX[kind]}")


def differences(extraction: Extraction, spec: LegacySpec) -> dict:
    got = {(c.row, c.col): c.value for c in extraction.cells if c.table == LEGACY}
    return {(key, col): (spec.value(key, col), got.get((key, col)))
            for key in LEGACY_KEYS for col in ("year_value", "cumulative")
            if spec.value(key, col) != got.get((key, col))}


@pytest.mark.parametrize("kind", ["html", "text"])
@pytest.mark.parametrize("name", SHAPES)
def test_a_statistics_table_is_read_in_every_shape(name, kind):
    spec, shape = random_legacy(random.Random(7)), SHAPES[name]
    extraction = extracted(spec, kind, shape=shape, parts_apart=True)
    assert not differences(extraction, shape.printed(spec)) and not extraction.issues, extraction.issues


@pytest.mark.parametrize("kind", ["html", "text"])
@pytest.mark.parametrize("name", SHAPES)
@pytest.mark.parametrize("seed", range(3))
def test_a_table_carried_in_text_with_its_cells_apart_is_read_whole(name, kind, seed):
    spec, shape = random_legacy(random.Random(seed)), SHAPES[name]
    text_shape = TableShape(shape.columns, shape.header_year, separator=" ", headed=shape.headed)
    extraction = extracted(spec, kind, shape=text_shape, phrasing=seed)
    assert not differences(extraction, shape.printed(spec)) and not extraction.issues, extraction.issues


@pytest.mark.parametrize("name", SHAPES)
@pytest.mark.parametrize("seed", range(6))
def test_a_table_run_together_gives_no_wrong_figure(name, seed):
    """Cells run together (条4251516): every figure is right, or blank with a finding on its
    row or on the whole table."""
    spec, shape = random_legacy(random.Random(seed)), SHAPES[name]
    glued = TableShape(shape.columns, shape.header_year, separator="", headed=shape.headed)
    extraction = extracted(spec, "text", shape=glued, phrasing=seed)
    doubted = {i.row for i in extraction.issues if i.check == "legacy_split_ambiguous"}
    wrong = {cell: pair for cell, pair in differences(extraction, shape.printed(spec)).items()
             if pair[1] is not None or not doubted & {cell[0], None}}
    assert not wrong, extraction.issues


def glued(*sentences: str, **figures: tuple[int, int]) -> tuple[dict, list]:
    """read_legacy over a run-together table of `figures` (other rows blank) and sentences."""
    return in_text(table_text(LegacySpec("海东市人民政府", 2015, "630200", figures), TableShape(separator="")),
                   *sentences)


def in_text(table: str, *sentences: str) -> tuple[dict, list]:
    cells, issues = read_legacy([Paragraph(table), *(Paragraph(s) for s in sentences)])
    return {(c.row, c.col): c.value for c in cells}, issues


def test_a_digit_run_is_split_where_the_prose_states_the_years_figure():
    figures, _ = glued("全年主动公开政府信息425条。", active_total=(425, 1516))
    assert (figures[("active_total", "year_value")], figures[("active_total", "cumulative")]) == (425, 1516)


def test_a_part_is_split_so_that_it_stays_within_its_whole():
    figures, _ = glued("全年主动公开政府信息425条。", active_total=(425, 1516), active_website=(418, 1509))
    assert (figures[("active_website", "year_value")], figures[("active_website", "cumulative")]) == (418, 1509)


def test_a_digit_run_is_split_so_that_the_running_total_is_not_below_the_year():
    figures, issues = glued(reviews=(3, 15), lawsuits=(0, 2), complaints=(1, 1))
    assert [figures[(key, col)] for key in ("reviews", "lawsuits", "complaints")
            for col in ("year_value", "cumulative")] == [3, 15, 0, 2, 1, 1] and not issues


def test_a_digit_run_no_evidence_settles_is_left_blank_with_a_finding():
    figures, issues = glued(lawsuits=(1, 123))  # 1 / 123 or 11 / 23
    assert (figures[("lawsuits", "year_value")], figures[("lawsuits", "cumulative")]) == (None, None)
    assert [(i.check, i.row) for i in issues] == [("legacy_split_ambiguous", "lawsuits")]


def test_a_published_running_total_below_the_year_is_read_as_printed_and_flagged():
    """With the prose naming the year's figure, 10774 is 107 / 74, the table's own error."""
    figures, issues = glued("全年主动公开政府信息107条。", active_total=(107, 74))
    assert (figures[("active_total", "year_value")], figures[("active_total", "cumulative")]) == (107, 74)
    assert [i.check for i in issues] == ["legacy_cumulative"] or [i.check for i in issues] == []


def test_a_report_of_unknown_year_carrying_the_table_in_its_text_is_legacy():
    spec = random_legacy(random.Random(2))
    text = f"某局政府信息公开工作报告\n\n{table_text(spec, TableShape(separator=' '))}\n"
    extraction = extract(text.encode(), "report.txt")
    assert extraction.year is None and extraction.format == "legacy"
    assert not differences(extraction, spec)


@pytest.mark.parametrize("separator", [" ", ""], ids=["cells apart", "cells run together"])
def test_a_table_headed_with_two_columns_printing_one_figure_a_row_gives_this_years_figures(separator):
    """148 is not 1 / 48 where other rows print a lone 0: the running-total column is empty."""
    spec = LegacySpec("海东市人民政府", 2017, "350128", {"active_total": (148, None), "active_website": (148, None),
                                                   "active_gazette": (0, None), "reviews": (2, None)})
    figures, issues = in_text(table_text(spec, TableShape(separator=separator)))
    assert {key: figures[key] for key in figures if figures[key] is not None} == {
        ("active_total", "year_value"): 148, ("active_website", "year_value"): 148,
        ("active_gazette", "year_value"): 0, ("reviews", "year_value"): 2}
    assert [i.check for i in issues] == ["legacy_one_column"]


@pytest.mark.parametrize("mark", ["．", "、"], ids=["full stop", "enumeration comma"])
def test_a_row_number_glued_to_a_figure_printed_apart_is_the_next_rows(mark):
    spec = LegacySpec("海东市人民政府", 2015, "350128", {"active_total": (130, 349), "active_website": (130, 349),
                                                   "active_gazette": (0, 0)})
    table = table_text(spec, TableShape(separator=" ")).replace("349 2．", f"3492{mark}")  # 条 130 3492、政府公报公开数
    figures, issues = in_text(table)
    assert (figures[("active_website", "year_value")], figures[("active_website", "cumulative")]) == (130, 349)
    assert (figures[("active_gazette", "year_value")], figures[("active_gazette", "cumulative")]) == (0, 0)
    assert not issues


@pytest.mark.parametrize("mark", ["．", "、", "."])
@pytest.mark.parametrize("seed", range(4))
def test_a_zero_cell_touching_the_next_rows_number_is_the_cell_and_the_number(mark, seed):
    """件 0 02．同意部分公开答复数: the cell 0 and row 2, not a row numbered 02 with the cell lost."""
    rng = random.Random(seed)
    kinds = ("replies_granted", "replies_partially_granted", "replies_denied", "replies_other")
    year = {key: rng.choice((0, 0, 1, 4)) for key in kinds} | {"replies_denied": 0}
    running = {key: year[key] + rng.choice((0, 0, 2)) for key in kinds} | {"replies_denied": 0}
    figures = {key: (year[key], running[key]) for key in kinds}
    figures["replies_total"] = (sum(year.values()), sum(running.values()))
    spec = LegacySpec("海东市人民政府", 2015, "350128", figures)
    table = re.sub(r"(?<= 0) (?=\d．)", "", table_text(spec, TableShape(separator=" "))).replace("．", mark)
    read, issues = in_text(table)
    assert {key: (read[(key, "year_value")], read[(key, "cumulative")]) for key in figures} == figures
    assert not issues


@pytest.mark.parametrize("separator", [" ", ""], ids=["cells apart", "cells run together"])
def test_a_row_whose_label_names_no_indicator_is_skipped_with_a_finding_and_the_rows_after_it_read(separator):
    spec = LegacySpec("海东市人民政府", 2015, "350128", {"active_total": (4, 15), "reviews": (3, 15),
                                                   "lawsuits": (1, 4), "complaints": (2, 6)})
    table = table_text(spec, TableShape(separator=separator)).replace("行政复议数", "行政复试数")
    figures, issues = in_text(table)
    assert [figures[("lawsuits", col)] for col in ("year_value", "cumulative")] == [1, 4]
    assert (figures[("reviews", "year_value")], figures[("reviews", "cumulative")]) == (None, None)
    assert [(i.check, i.message.split(": ")[-1]) for i in issues] == [
        ("legacy_row_unknown", f"行政复试数{separator}件{separator}3{separator}15")]


def test_the_rows_a_table_skips_are_listed_in_one_finding():
    spec = LegacySpec("海东市人民政府", 2015, "350128", {"lawsuits": (1, 4), "complaints": (2, 6), "reviews": (3, 15),
                                                   "active_total": (40, 90)})
    table = table_text(spec, TableShape(separator=" "))
    figures, issues = in_text(table.replace("行政复议数", "行政复试数").replace("举报、投诉、申诉数", "群众来信数"))
    assert figures[("lawsuits", "year_value")] == 1 and [i.check for i in issues] == ["legacy_row_unknown"]
    assert all(row in issues[0].message for row in ("(2)", "行政复试数 件 3 15", "群众来信数 件 2 6"))


@pytest.mark.parametrize("separator", [" ", ""], ids=["cells apart", "cells run together"])
def test_a_row_whose_label_names_no_indicator_before_a_numbered_row_is_skipped_with_a_finding(separator):
    """受理依申请公开信总数 件 3 7 其中：1．当面申请数: the table goes on after the misprinted row,
    and the blank row before it (…微信公开数条受理…, run together) does not take its figures."""
    spec = LegacySpec("海东市人民政府", 2015, "350128", {"applications_total": (3, 7), "applications_in_person": (1, 2),
                                                   "applications_online": (2, 5), "reviews": (0, 1)})
    table = table_text(spec, TableShape(separator=separator)).replace("受理依申请公开信息总数", "受理依申请公开信总数")
    figures, issues = in_text(table)
    assert {cell: value for cell, value in figures.items() if value is not None} == {
        (key, col): spec.value(key, col) for key in ("applications_in_person", "applications_online", "reviews")
        for col in ("year_value", "cumulative")}
    assert [(i.check, i.message.split(": ")[-1]) for i in issues] == [
        ("legacy_row_unknown", f"受理依申请公开信总数{separator}件{separator}3{separator}7")]


@pytest.mark.parametrize("separator", [" ", ""], ids=["cells apart", "cells run together"])
@pytest.mark.parametrize("label", ["受理政府信息依申请公开总数", "政府信息依申请公开总数", "依申请公开总数"])
def test_the_requests_row_is_read_under_its_wordings(label, separator):
    spec = LegacySpec("海东市人民政府", 2015, "350128", {"applications_total": (3, 7), "applications_in_person": (3, 7),
                                                   "reviews": (0, 1)})
    table = table_text(spec, TableShape(separator=separator)).replace("受理依申请公开信息总数", label)
    figures, issues = in_text(table)
    assert (figures[("applications_total", "year_value")], figures[("applications_total", "cumulative")]) == (3, 7)
    assert not issues


def test_a_whole_run_together_is_split_so_that_it_is_the_sum_of_its_parts_printed_below_it():
    """1423 is 1 / 423 or 14 / 23; its reply kinds, read after it, add up to 14 and 23."""
    figures, issues = glued(replies_total=(14, 23), replies_granted=(1, 10), replies_partially_granted=(5, 5),
                            replies_denied=(0, 0), replies_other=(8, 8))
    assert (figures[("replies_total", "year_value")], figures[("replies_total", "cumulative")]) == (14, 23)
    assert not issues


@pytest.mark.parametrize(("printed", "as_"), [("其中：1．同意公开答复数", "其中：1同意公开答复数"),
                                              ("1 其中：1．同意公开答复数", "1同意公开答复数")],
                         ids=["after 其中", "after a figure"])
def test_a_row_number_printed_without_its_mark_is_no_figure_where_it_follows_a_filler(printed, as_):
    """其中：1同意公开答复数: the 1 is the row's number; 件 1 1同意公开答复数 (no 其中): a figure."""
    spec = LegacySpec("海东市人民政府", 2015, "350128", {"replies_total": (1, 1), "replies_granted": (1, 1),
                                                   "reviews": (0, 0), "lawsuits": (0, 0)})
    figures, issues = in_text(table_text(spec, TableShape(separator=" ")).replace(printed, as_))
    assert [figures[("replies_total", col)] for col in ("year_value", "cumulative")] == [1, 1]
    assert [figures[("replies_granted", col)] for col in ("year_value", "cumulative")] == [1, 1] and not issues


def test_a_table_and_prose_that_disagree_on_a_headline_figure_keep_the_table_with_a_warning():
    spec = LegacySpec("海东市人民政府", 2015, "350128",
                      {"active_total": (19, 58), "reviews": (0, 0), "lawsuits": (0, 0)})
    figures, issues = in_text(table_text(spec, TableShape(separator=" ")), "全年共主动公开政府信息18条。")
    assert figures[("active_total", "year_value")] == 19
    assert [(i.check, i.row, i.expected, i.actual) for i in issues] == [("narrative_mismatch", "active_total", 19, 18)]


@pytest.mark.parametrize(("kind", "separator"), [("html", None), ("docx", None), ("text", None), ("text", " "),
                                                 ("text", "")],
                         ids=["html grid", "docx grid", "text grid", "text, cells apart", "text, cells run together"])
@pytest.mark.parametrize("seed", range(4))
def test_the_national_2014_table_gives_its_keys_and_nothing_from_its_other_rows(kind, separator, seed):
    """统计指标/单位/统计数: 政务微博 + 政务微信, 传真 + 信函 and the reply kinds besides granted,
    partly and refused add up; 计1条 in a label is no figure; 专项经费 (万元) is no fee, 主要负责同志
    参加新闻发布会次数 no second press row, a refusal's grounds and a review's outcomes no key."""
    spec, rows = random_national_table(random.Random(seed))
    extraction = extract(render_layout(national_table_layout(spec, rows, separator), kind), f"report{SUFFIX[kind]}")
    assert extraction.format == "legacy"
    assert not differences(extraction, spec) and not extraction.issues, extraction.issues


@pytest.mark.parametrize("separator", [" ", ""], ids=["cells apart", "cells run together"])
@pytest.mark.parametrize("prefix", ["受理政府信息公开工作", "收到政府信息公开工作", "因政府信息公开"])
def test_a_row_label_opening_with_words_before_its_indicator_is_read(prefix, separator):
    """受理政府信息公开工作行政复议数 件 1: the words before 行政复议数 belong to the label."""
    spec = LegacySpec("海东市人民政府", 2013, "350128", {"active_total": (0, 40), "reviews": (1, 3), "lawsuits": (0, 2),
                                                   "complaints": (2, 2)})
    table = table_text(spec, TableShape(separator=separator))
    table = table.replace("行政复议数", f"{prefix}行政复议数").replace("行政诉讼数", f"{prefix}行政诉讼数")
    figures, issues = in_text(table)
    assert {cell: value for cell, value in figures.items() if value is not None} == {
        (key, col): spec.value(key, col) for key in spec.figures for col in ("year_value", "cumulative")}
    assert not issues


@pytest.mark.parametrize("seed", range(4))
def test_a_catalog_part_listed_under_a_row_the_catalog_lacks_is_that_rows_breakdown(seed):
    """拒绝提供 件 4 其中：1．信息不存在 件 2: a ground of the refusals, not 2 replies of another
    type; the row is skipped with a finding, the rows after the list read."""
    rng = random.Random(seed)
    active, granted, refused, missing = rng.randint(1, 90), rng.randint(0, 5), rng.randint(1, 5), 0
    missing = rng.randint(1, refused)
    requests, reviews, lawsuits = granted + refused, rng.randint(0, 2), rng.randint(0, 2)
    rows = [("主动公开信息数", "条", active), ("正式受理政府信息公开申请数", "件", requests),
            ("其中：1．在办", "件", 0), ("2．办结", "件", requests), ("其中：1．同意提供", "件", granted),
            ("2．拒绝提供", "件", refused), ("其中：1．信息不存在", "件", missing),
            ("2．信息涉密", "件", refused - missing), ("3．信息描述不清", "件", 0),
            ("受理政府信息公开工作行政复议数", "件", reviews), ("收到政府信息公开工作行政诉讼数", "件", lawsuits)]
    figures, issues = in_text("附表： 指标名称 单位 数量 " + " ".join(f"{a} {b} {c}" for a, b, c in rows))
    assert {cell: value for cell, value in figures.items() if value is not None} == {
        ("active_total", "year_value"): active, ("applications_total", "year_value"): requests,
        ("reviews", "year_value"): reviews, ("lawsuits", "year_value"): lawsuits}
    assert any(i.check == "legacy_row_unknown" and f"信息不存在 件 {missing}" in i.message for i in issues)
