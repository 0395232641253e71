"""Text whose table cells ran together: split by the table's own identities, never guessed."""

import random
from decimal import Decimal

import pytest

from xxgk.extractors.extract import extract
from xxgk.extractors.grid import Paragraph
from xxgk.extractors.normalize import normalize
from xxgk.samples.figures import random_report, with_other_handling_as_one_row
from xxgk.samples.layout import Traits
from xxgk.samples.render import render
from xxgk.schemas.catalog import TEMPLATE_2019, TEMPLATE_2021

T3 = ("三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
      "一、本年新收政府信息公开申请数量{new}二、上年结转政府信息公开申请数量0000000"
      "三、本年度办理结果（一）予以公开{granted}（二）部分公开（区分处理的，只计这一情形，不计其他情形）{partial}"
      "（七）总计{processed}四、结转下年度继续办理0000000")
T4 = ("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
      "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计{line}五、存在的主要问题")


def read(text):
    cells, issues = normalize([Paragraph(text)], TEMPLATE_2021)
    return {(c.table, c.row, c.col): c for c in cells}, issues


def figures(cells, row, table="applications"):
    return [c.value for (t, r, _), c in cells.items() if t == table and r == row]


def test_a_row_is_split_where_its_figures_add_up_to_its_total():
    cells, issues = read(T3.format(new="21710000218", granted="21700000217", partial="1000001",
                                   processed="21710000218"))
    assert figures(cells, "new_received") == [217, 1, 0, 0, 0, 0, 218]
    assert not [i for i in issues if i.check in ("ambiguous_alignment", "unreadable_value")]


def test_the_next_items_number_glued_to_a_run_is_not_a_figure():
    text = ("二、主动公开政府信息情况规章000行政规范性文件000"
            + T3.format(new="3000003", granted="0000000", partial="0000000", processed="3000003")
            .replace("（七）总计", "（三）不予公开1.属于国家秘密30000032.其他法律行政法规禁止公开0000000（七）总计"))
    cells, _ = read(text)
    assert figures(cells, "denied_state_secret") == [3, 0, 0, 0, 0, 0, 3]
    assert figures(cells, "denied_law_prohibited") == [0] * 7


@pytest.mark.parametrize("fee", ["0", "52", "16220.85"])
@pytest.mark.parametrize("year", ["2025年", "2025 年"])
def test_a_year_opening_the_paragraph_after_a_rows_last_figure_is_not_that_figure(fee, year):
    """行政事业性收费02025年，我局…: the year is the next paragraph's, the cell's figure ends before it."""
    cells, issues = read("二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000"
                         f"行政规范性文件000第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费{fee}{year}，"
                         "我局依法做好政府信息公开工作。三、")
    assert figures(cells, "fees", "active_disclosure") == [Decimal(fee)]
    assert not [i for i in issues if i.row == "fees"]


def test_a_run_with_several_plausible_splits_is_left_blank_and_lists_them():
    cells, issues = read("二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
                         "规章000行政规范性文件1234三、")
    assert figures(cells, "normative_documents", "active_disclosure") == [None, None, None]
    assert cells[("active_disclosure", "normative_documents", "issued")].raw == "1234"
    [flagged] = [i for i in issues if i.check == "ambiguous_alignment"]
    assert flagged.row == "normative_documents" and "1 | 2 | 34" in flagged.message and "12 | 3 | 4" in flagged.message


def test_a_run_no_split_of_which_adds_up_is_unreadable():
    cells, issues = read(T3.format(new="50000091", granted="0000000", partial="0000000", processed="0000000"))
    assert figures(cells, "new_received") == [None] * 7
    assert [(i.check, i.row) for i in issues if i.severity == "error" and i.table == "applications"] == [
        ("unreadable_value", "new_received")]


def test_a_run_of_one_digit_a_column_is_read_as_printed_even_where_its_total_breaks():
    """3000000 can only be 3 | 0 | 0 | 0 | 0 | 0 | 0: the publisher's total of 0 is
    validation's finding, not a reason to leave the row blank."""
    cells, issues = read(T3.format(new="3000000", granted="0000000", partial="0000000", processed="0000000"))
    assert figures(cells, "new_received") == [3, 0, 0, 0, 0, 0, 0]
    assert not [i for i in issues if i.row == "new_received"]


def test_a_row_printing_a_blank_as_nothing_leaves_open_only_the_rows_that_could_hide_one():
    """`0 00000` is six zeros for seven columns: a blank cell hides in it. `0000000` can
    hide none (a figure never opens with 0), nor can any row of seven zeros."""
    cells, issues = read(T3.format(new="0 00000", granted="0000000", partial="1000001", processed="1000001"))
    assert figures(cells, "new_received") == [None] * 7
    assert figures(cells, "granted") == [0] * 7
    assert ("ambiguous_alignment", "new_received") in [(i.check, i.row) for i in issues]
    assert ("ambiguous_alignment", "granted") not in [(i.check, i.row) for i in issues]


def test_leading_zeros_are_never_a_count():
    cells, _ = read("二、主动公开政府信息情况规章0012行政许可05三、")
    assert figures(cells, "regulations", "active_disclosure") == [0, 0, 12]
    assert figures(cells, "licensing", "active_disclosure") == [None]


def test_rows_in_doubt_are_settled_together_by_the_column_identities():
    # 110000011 is 1 | 10 | 0 | 0 | 0 | 0 | 11 or 11 | 0 | 0 | 0 | 0 | 0 | 11, as received and as
    # processed; only the second makes the results (10 + 1 from natural persons) add up.
    cells, issues = read(T3.format(new="110000011", granted="100000010", partial="1000001", processed="110000011"))
    assert figures(cells, "new_received") == [11, 0, 0, 0, 0, 0, 11]
    assert not [i for i in issues if i.check == "ambiguous_alignment"]


def test_a_row_in_doubt_that_no_identity_settles_is_flagged():
    cells, issues = read(T3.format(new="110000011", granted="0000000", partial="0000000", processed="0000000"))
    assert figures(cells, "new_received") == [None] * 7
    assert [i.row for i in issues if i.check == "ambiguous_alignment"] == ["new_received"]


def test_table_4_as_one_run_of_fifteen_figures_is_split_by_its_row_totals():
    cells, issues = read(T4.format(line="21317000001324019"))
    assert figures(cells, "review", "review_litigation") == [2, 1, 3, 1, 7]
    assert figures(cells, "litigation_after_review", "review_litigation") == [13, 2, 4, 0, 19]


def test_figures_in_the_narrative_before_a_tables_heading_are_never_cells():
    cells, _ = read("本年度制发行政规范性文件62件，行政许可4529件。"
                    "二、主动公开政府信息情况规章000行政规范性文件000三、")
    assert figures(cells, "normative_documents", "active_disclosure") == [0, 0, 0]
    assert figures(cells, "licensing", "active_disclosure") == [None]


def test_a_hostile_run_is_bounded_and_reported():
    cells, issues = read(T3.format(new="1" * 400, granted="0000000", partial="0000000", processed="0000000"))
    assert figures(cells, "new_received") == [None] * 7
    assert ("unreadable_value", "new_received") in [(i.check, i.row) for i in issues]


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("traits", [Traits(), Traits(table4="three_rows", section2_tables="one")],
                         ids=["template layout", "table 4 as three rows, section 2 as one table"])
@pytest.mark.parametrize("scale", [20, 300])
def test_run_together_dumps_give_every_cell_back_or_flag_the_row_with_its_figures_among_the_candidates(
        template, traits, scale):
    for seed in range(4):
        spec = random_report(random.Random(seed), template=template, year=2020 if template == "2019" else 2023,
                             blank_zeros=0, scale=scale)
        extraction = extract(render(spec, "text", traits, style="run_together"), "dump.txt")
        assert (extraction.title, extraction.organ, extraction.year) == (spec.title, spec.organ, spec.year)
        flagged = {i.row: i.message for i in extraction.issues if i.check == "ambiguous_alignment"}
        got = {(c.table, c.row, c.col): c.value for c in extraction.cells}
        for (table, row, col), want in spec.values.items():
            if row in flagged:
                truth = " | ".join(str(spec.value(table, row, c)) for c in spec.catalog.table(table).row(row).columns)
                assert truth in flagged[row] or "more" in flagged[row], (row, truth, flagged[row])
            else:
                assert got[(table, row, col)] == want, (table, row, col)
        assert not [i for i in extraction.errors()], extraction.errors()


def test_a_2021_dump_printing_other_handling_as_one_row_gives_it_its_figures():
    spec = with_other_handling_as_one_row(random_report(random.Random(3), blank_zeros=0, scale=20))
    extraction = extract(render(spec, "text", style="run_together"), "dump.txt")
    got = {(c.table, c.row, c.col): c.value for c in extraction.cells}
    columns = spec.catalog.table("applications").row("other_handling").columns
    assert [got[("applications", "other_handling", c)] for c in columns] == [
        spec.value("applications", "other_handling", c) for c in columns]
    assert not [i for i in extraction.issues if i.check == "row_missing"]


def test_a_space_between_figures_always_separates_two_cells():
    cells, issues = read("二、主动公开政府信息情况规章 3 0 12 行政规范性文件000三、")
    assert figures(cells, "regulations", "active_disclosure") == [3, 0, 12]
    assert figures(cells, "normative_documents", "active_disclosure") == [0, 0, 0]
    assert not [i for i in issues if i.check in ("unreadable_value", "ambiguous_alignment")]


def test_tokens_with_figures_run_together_beside_single_spaces_are_cut_by_the_row_total():
    cells, issues = read(T3.format(new="10 0 0 0 01", granted="10 0 0 0 01", partial="0 0 0 0 0 00",
                                   processed="10 0 0 0 01"))
    assert figures(cells, "new_received") == [1, 0, 0, 0, 0, 0, 1]
    assert not [i for i in issues if i.check in ("unreadable_value", "ambiguous_alignment")]


def test_unit_words_printed_after_figures_separate_them():
    cells, _ = normalize([Paragraph("二、主动公开政府信息情况政府集中采购1个246900元三、")], TEMPLATE_2019)
    got = {(c.table, c.row, c.col): c.value for c in cells}
    assert [got[("active_disclosure", "procurement", c)] for c in ("items", "amount_yuan")] == [1, 246900]


def test_a_table_heading_misprinted_by_one_character_is_still_found():
    text = T3.format(new="3000003", granted="3000003", partial="0000000", processed="3000003")
    cells, issues = read(text.replace("收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请情"))
    assert figures(cells, "new_received") == [3, 0, 0, 0, 0, 0, 3]
    assert "table_missing" not in [i.check for i in issues if i.table == "applications"]


def test_table_4_as_one_line_of_single_spaced_and_run_together_figures():
    cells, _ = read(T4.format(line=" 10 0 01 0 0 0 00 0 0 0 00"))
    assert figures(cells, "review", "review_litigation") == [1, 0, 0, 0, 1]
    assert figures(cells, "litigation_direct", "review_litigation") == [0, 0, 0, 0, 0]



def test_a_run_the_narrative_settles_is_cut_as_the_narrative_states_it():
    # 1020012020111310001 is 10 2 0 0 12 | 0 2 0 11 13 | 1 0 0 0 1, or 1 0 200 1 202 | …: 12 reviews decide.
    cells, issues = read("一、总体情况 本年度共发生政府信息公开行政复议12件。" + T4.format(line="1020012020111310001"))
    assert figures(cells, "review", "review_litigation") == [10, 2, 0, 0, 12]
    assert figures(cells, "litigation_direct", "review_litigation") == [0, 2, 0, 11, 13]
    assert "narrative_settled" in {i.check for i in issues}
    assert not [i for i in issues if i.check == "ambiguous_alignment"]


def test_a_run_no_narrative_figure_settles_stays_blank_with_its_cuts():
    cells, issues = read("一、总体情况 本年度共发生政府信息公开行政复议7件。" + T4.format(line="1020012020111310001"))
    assert figures(cells, "review", "review_litigation") == [None] * 5
    assert "ambiguous_alignment" in {i.check for i in issues} and "narrative_settled" not in {i.check for i in issues}


def test_a_hostile_run_of_many_spaced_figures_is_cut_short_and_reported():
    cells, issues = read(T3.format(new="1 " * 100_000, granted="0000000", partial="0000000", processed="0000000"))
    assert figures(cells, "new_received") == [None] * 7
    assert ("unreadable_value", "new_received") in [(i.check, i.row) for i in issues]


def test_a_hostile_run_of_digits_ending_in_a_date_is_read_once_not_once_per_digit():
    """A date is no figure (the row stands printed blank); refused, the run is not tried
    again from each of its digits, which took minutes."""
    cells, _ = read(T3.format(new="1" * 100_000 + "年", granted="0000000", partial="0000000", processed="0000000"))
    assert figures(cells, "new_received") == [None] * 7
    assert figures(cells, "granted") == [0] * 7


def test_a_label_printed_many_times_far_from_any_figure_costs_no_rescan_of_the_text():
    """其他 printed 50,000 times before a figure: each is no label of a row with figures
    (the figure is too far on), found without searching on to that figure each time."""
    cells, _ = read(T3.format(new="0000000", granted="0000000", partial="0000000", processed="0000000")
                    .replace("（七）总计", "其他" * 50_000 + "（七）总计"))
    assert figures(cells, "total_processed") == [0] * 7


def test_table_2_figures_the_narrative_restates_settle_a_run_together():
    table2 = ("二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
              "规章000行政规范性文件5125三、")
    cells, issues = read("一、总体情况 本年度制发行政规范性文件5件，现行有效行政规范性文件25件。" + table2)
    assert figures(cells, "normative_documents", "active_disclosure") == [5, 1, 25]
    assert "narrative_settled" in {i.check for i in issues}
    cells, issues = read("一、总体情况 本年度制发行政规范性文件5件。" + table2)  # 5 | 1 | 25 or 5 | 12 | 5
    assert figures(cells, "normative_documents", "active_disclosure") == [None, None, None]
    assert "ambiguous_alignment" in {i.check for i in issues}


def test_a_misprinted_label_of_a_tables_first_or_last_row_is_read_by_its_place_with_a_warning():
    text = (T3.format(new="3000003", granted="3000003", partial="0000000", processed="3000003")
            .replace("本年新收", "本年新受").replace("结转下年度继续办理0000000", "结转下一年度继续办理1000001")
            + "四、政府信息公开行政复议、行政诉讼情况")
    cells, issues = read(text)
    assert figures(cells, "new_received") == [3, 0, 0, 0, 0, 0, 3]
    assert figures(cells, "carried_forward") == [1, 0, 0, 0, 0, 0, 1]
    variants = {i.row: i.message for i in issues if i.check == "label_variant"}
    assert set(variants) == {"new_received", "carried_forward"}
    assert "'一、本年新受政府信息公开申请数量'" in variants["new_received"]
