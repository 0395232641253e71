"""The normalizer on grids written by hand: each test pins one reading rule."""

from decimal import Decimal

from tests.grids import grid, heading
from xxgk.extractors.normalize import detect_template, normalize
from xxgk.schemas.catalog import TEMPLATE_2019, TEMPLATE_2021, TEMPLATES

T3_HEADER = (
    "说明|~说明|~说明|申请人情况|~申请人情况|~申请人情况|~申请人情况|~申请人情况|~申请人情况|总计",
    "~说明|~说明|~说明|自然人|法人或其他组织|~法人或其他组织|~法人或其他组织|~法人或其他组织|~法人或其他组织|~总计",
    "~说明|~说明|~说明|~自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他|~总计",
)


def read(*blocks, template=TEMPLATE_2021):
    cells, issues = normalize(list(blocks), template)
    return {(c.table, c.row, c.col): c for c in cells}, issues


def value(cells, row, col, table="applications"):
    return cells[(table, row, col)].value


def checks(issues):
    return sorted(i.check for i in issues)


def test_a_row_is_its_labels_then_a_block_of_figures():
    cells, _ = read(grid(*T3_HEADER, "一、本年新收政府信息公开申请数量|~一、本年新收政府信息公开申请数量"
                                     "|~一、本年新收政府信息公开申请数量|5|1|||||6"))
    assert ([value(cells, "new_received", c) for c in ("natural_person", "commercial", "research", "total")]
            == [5, 1, None, 6])


def test_blank_cells_are_null_and_keep_their_raw_text():
    cells, _ = read(grid(*T3_HEADER, "一、本年新收政府信息公开申请数量|~一、本年新收政府信息公开申请数量"
                                     "|~一、本年新收政府信息公开申请数量|—|||||| "))
    assert cells[("applications", "new_received", "natural_person")].value is None
    assert cells[("applications", "new_received", "natural_person")].raw == "—"


def test_sub_items_are_found_by_their_text_not_their_number():
    cells, _ = read(grid(*T3_HEADER,
                         "三、本年度办理结果|（四）无法提供|1.本机关不掌握相关政府信息|2||||||2",
                         "~三、本年度办理结果|（五）不予处理|1.信访举报投诉类申请|3||||||3"))
    assert value(cells, "unavailable_not_held", "total") == 2 and value(cells, "rejected_petition", "total") == 3


def test_a_generic_label_is_read_through_its_group():
    cells, _ = read(grid(*T3_HEADER,
                         "三、本年度办理结果|（六）其他处理|1.申请人无正当理由逾期不补正|1||||||1",
                         "~三、本年度办理结果|~（六）其他处理|3.其他|4||||||4"))
    assert value(cells, "other_other", "natural_person") == 4


def test_group_context_survives_a_page_break_with_an_empty_first_cell():
    page_one = grid(*T3_HEADER, "三、本年度办理结果|（六）其他处理|1.申请人无正当理由逾期不补正|1||||||1")
    page_two = grid("||3.其他|7||||||7")
    cells, _ = read(page_one, page_two)
    assert value(cells, "other_other", "total") == 7


def test_column_order_is_read_from_the_header():
    header = "说明|总计|自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他"
    cells, _ = read(grid(header, "一、本年新收政府信息公开申请数量|9|8|1|||||"))
    assert value(cells, "new_received", "total") == 9 and value(cells, "new_received", "natural_person") == 8


def test_in_a_text_dump_figures_shift_right_only_as_far_as_they_must():
    dump = grid("|申请人情况|||||||总计", "一、本年新收政府信息公开申请数量||107||||12|9|128",
                "（七）总计|107||||12|9|128||", loose=True)
    cells, issues = read(heading("三、收到和处理政府信息公开申请情况"), dump)
    assert value(cells, "new_received", "natural_person") == 107 and value(cells, "new_received", "total") == 128
    assert value(cells, "total_processed", "natural_person") == 107 and value(cells, "total_processed", "total") == 128
    assert "ambiguous_alignment" not in checks(issues)


def test_a_text_dump_row_that_could_sit_in_two_places_is_flagged():
    dump = grid("一、本年新收政府信息公开申请数量||5|||||||", loose=True)
    _, issues = read(heading("三、收到和处理政府信息公开申请情况"), grid(*T3_HEADER), dump)
    assert "ambiguous_alignment" in checks(issues)


def test_narrative_figures_are_never_cells():
    cells, _ = read(heading("全年行政许可32510件。"), grid("信息内容|本年处理决定数量", "行政许可|12"))
    assert value(cells, "licensing", "decisions", "active_disclosure") == 12


def test_table_2_sub_headers_give_each_row_its_columns():
    cells, _ = read(grid("信息内容|本年制发件数|本年废止件数|现行有效件数", "规章|9|0|53",
                         "信息内容|本年处理决定数量|~本年处理决定数量|~本年处理决定数量",
                         "行政许可|32510|~32510|~32510"))
    assert value(cells, "regulations", "in_force", "active_disclosure") == 53
    assert value(cells, "licensing", "decisions", "active_disclosure") == 32510


def test_a_fee_column_stated_in_yuan_is_converted_to_10k_yuan():
    cells, _ = read(grid("信息内容|本年收费金额（单位：元）", "行政事业性收费|251000"))
    assert value(cells, "fees", "amount_10k_yuan", "active_disclosure") == Decimal("25.1")


def test_table_4_as_one_line_of_15_figures():
    header = ("行政复议|~行政复议|~行政复议|~行政复议|~行政复议|行政诉讼" + "|~行政诉讼" * 9,
              "结果维持|结果纠正|其他结果|尚未审结|总计|未经复议直接起诉" + "|~未经复议直接起诉" * 4
              + "|复议后起诉" + "|~复议后起诉" * 4)
    cells, _ = read(grid(*header, "|".join(str(n) for n in range(1, 16))))
    review = [value(cells, "review", c, "review_litigation") for c in ("upheld", "total")]
    after = [value(cells, "litigation_after_review", c, "review_litigation") for c in ("upheld", "total")]
    assert review == [1, 5] and after == [11, 15]


def test_a_missing_table_yields_no_cells_and_an_error():
    cells, issues = read(grid("信息内容|本年处理决定数量", "行政许可|12"))
    assert not any(key[0] == "review_litigation" for key in cells)
    assert [i.table for i in issues if i.check == "table_missing"] == ["applications", "review_litigation"]


def test_a_header_without_figures_is_a_blank_table():
    cells, issues = read(grid("行政复议|||||行政诉讼", "结果维持|结果纠正|其他结果|尚未审结|总计", loose=True))
    assert cells[("review_litigation", "review", "total")].value is None
    assert "table_empty" in checks(issues)


def test_a_row_not_found_in_a_found_table_is_reported_and_null():
    cells, issues = read(grid("信息内容|本年制发件数|本年废止件数|现行有效件数", "规章|9|0|53"))
    missing = {i.row for i in issues if i.check == "row_missing"}
    assert "normative_documents" in missing
    assert cells[("active_disclosure", "normative_documents", "issued")].raw is None


def test_a_row_printed_twice_with_other_figures_keeps_the_first_and_says_so():
    cells, issues = read(grid("信息内容|本年处理决定数量", "行政许可|12", "行政许可|13"))
    assert value(cells, "licensing", "decisions", "active_disclosure") == 12 and "duplicate_row" in checks(issues)


def test_an_unreadable_figure_is_an_error_naming_the_cell():
    _, issues = read(grid("信息内容|本年处理决定数量", "行政许可|约30"))
    [issue] = [i for i in issues if i.check == "unreadable_value"]
    assert (issue.row, issue.col) == ("licensing", "decisions")


def test_the_template_is_told_by_its_distinctive_labels():
    templates = list(TEMPLATES.values())
    assert detect_template([grid("信息内容|本年新制作数量|本年新公开数量|对外公开总数量")], templates) is TEMPLATE_2019
    assert detect_template([grid("信息内容|本年制发件数|本年废止件数|现行有效件数")], templates) is TEMPLATE_2021
    assert detect_template([grid("项目|数量")], templates) is None


def test_the_2019_template_has_one_other_handling_row():
    cells, _ = read(grid(*T3_HEADER, "三、本年度办理结果|（六）其他处理|~（六）其他处理|2||||||2"),
                    template=TEMPLATE_2019)
    assert value(cells, "other_handling", "total") == 2


def test_a_merged_total_label_is_one_label_not_a_header():
    cells, _ = read(grid(*T3_HEADER, "三、本年度办理结果|（七）总计|~（七）总计|3||||||3"))
    assert value(cells, "total_processed", "total") == 3


def test_a_2021_report_printing_other_handling_as_one_row_gives_its_figures_to_other_handling():
    cells, issues = read(grid(*T3_HEADER, "三、本年度办理结果|（五）不予处理|1.信访举报投诉类申请|3||||||3",
                              "~三、本年度办理结果|（六）其他处理|~（六）其他处理|2||||||2",
                              "~三、本年度办理结果|（七）总计|~（七）总计|5||||||5"))
    assert value(cells, "other_handling", "natural_person") == 2
    assert value(cells, "other_other", "natural_person") is None
    assert not [i for i in issues if i.row and i.row.startswith("other_")]


def test_other_handling_is_no_cell_of_a_2021_report_that_prints_the_sub_rows():
    cells, _ = read(grid(*T3_HEADER, "三、本年度办理结果|（六）其他处理|1.申请人无正当理由逾期不补正|1||||||1"))
    assert ("applications", "other_handling", "total") not in cells


T2_HEADER = "信息内容|本年制发件数|本年废止件数|~本年废止件数|现行有效件数"


def test_a_merged_figure_is_one_figure_under_the_header_column_it_shares_a_slot_with():
    cells, issues = read(grid(T2_HEADER, "规章|3|~3|5|8"))
    assert ([value(cells, "regulations", c, "active_disclosure") for c in ("issued", "repealed", "in_force")]
            == [3, 5, 8])
    assert not issues or "misaligned_values" not in checks(issues)


def test_a_figure_merged_across_a_header_boundary_takes_the_next_column_it_reaches():
    cells, issues = read(grid("信息内容|本年制发件数|~本年制发件数|本年废止件数|现行有效件数", "规章|3|5|~5|8"))
    assert ([value(cells, "regulations", c, "active_disclosure") for c in ("issued", "repealed", "in_force")]
            == [3, 5, 8])
    assert "misaligned_values" not in checks(issues)


def test_a_row_with_more_figures_than_columns_is_still_misaligned():
    cells, issues = read(grid(T2_HEADER, "规章|3|4|5|8"))
    assert "misaligned_values" in checks(issues)
