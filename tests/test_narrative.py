"""Narrative checks: figures the prose restates, compared with the template tables."""

import pytest

from tests.roundtrip import report
from tests.shared import SEED, needs_shared
from xxgk.extractors.extract import extract
from xxgk.extractors.grid import Paragraph
from xxgk.extractors.narrative import check_narrative
from xxgk.samples.layout import build_layout
from xxgk.samples.narrative import headline, narrative, with_narrative
from xxgk.samples.render import SUFFIX, render_layout
from xxgk.schemas.records import Cell, Extraction, Issue


def extracted(kind: str, disagree: dict[str, int] | None = None, template: str = "2021") -> Extraction:
    spec = report(template)
    layout = with_narrative(build_layout(spec), narrative(spec, disagree))
    return extract(render_layout(layout, kind), f"report{SUFFIX[kind]}")


def mismatches(extraction: Extraction) -> list[tuple[str | None, object, object]]:
    return [(i.row, i.expected, i.actual) for i in extraction.issues if i.check == "narrative_mismatch"]


def check(sentence: str, cells: list[Cell]) -> list[str]:
    return [i.check for i in check_narrative([Paragraph(sentence)], cells)]


def received(total: int, natural_person: int | None = None) -> list[Cell]:
    return [Cell("applications", "new_received", "total", total, str(total)),
            Cell("applications", "new_received", "natural_person", natural_person, str(natural_person))]


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("kind", ["html", "pdf", "docx", "text"])
def test_a_narrative_that_agrees_with_the_tables_gives_no_warning(kind, template):
    assert mismatches(extracted(kind, template=template)) == []


@pytest.mark.parametrize("kind", ["html", "pdf", "text"])
def test_each_figure_the_narrative_misstates_is_one_warning_with_both_values(kind):
    spec = report("2021")
    found = mismatches(extracted(kind, {"granted": 1, "reviews": -1, "total_processed": 3}))
    assert found == [("total_processed", headline(spec, "total_processed"), headline(spec, "total_processed") + 3),
                     ("granted", headline(spec, "granted"), headline(spec, "granted") + 1),
                     ("review", headline(spec, "reviews"), headline(spec, "reviews") - 1)]


def test_the_warning_carries_the_sentence():
    issue = next(i for i in extracted("html", {"lawsuits": 2}).issues if i.check == "narrative_mismatch")
    assert "被提起行政诉讼" in issue.message and issue.severity == "warning"


@needs_shared
def test_the_seed_narrative_agrees_with_its_table():
    extraction = extract(SEED.read_bytes(), SEED.name)
    assert mismatches(extraction) == []


def test_a_figure_about_something_other_than_applications_is_not_compared():
    assert check("12345热线受理群众来电诉求68848件，已经办结68710件。", received(128)) == []


def test_an_approximate_figure_is_not_compared():
    assert check("全年共收到政府信息公开申请约130件。", received(128)) == []


def test_a_paragraph_about_natural_persons_may_give_their_figures():
    assert check("共收到申请128件，其中自然人提交107件。受理自然人政府信息公开申请107件。", received(128, 107)) == []


def test_a_figure_against_a_table_that_could_not_be_read_is_not_compared():
    assert check("全年共收到政府信息公开申请12件。", [Cell("applications", "new_received", "total", None, "")]) == []


def test_a_figure_about_a_row_the_reader_left_unread_is_not_compared():
    cells = [Cell("applications", "new_received", "total", None, ""),
             Cell("applications", "carried_over", "total", 3, "3")]
    unread = Issue("ambiguous_alignment", "warning", "which columns cannot be told", table="applications",
                   row="new_received")
    assert check("全年共收到政府信息公开申请12件。", cells) == ["narrative_mismatch"]
    assert [i.check for i in check_narrative([Paragraph("全年共收到政府信息公开申请12件。")], cells, [unread])] == []


def test_counting_carried_over_requests_into_the_received_ones_agrees():
    cells = received(10) + [Cell("applications", "carried_over", "total", 2, "2")]
    assert check("全年共受理政府信息公开申请12件。", cells) == []


def test_a_received_figure_that_differs_is_a_mismatch():
    assert check("全年共收到政府信息公开申请12件。", received(128)) == ["narrative_mismatch"]


def processed(total: int, **results: int) -> list[Cell]:
    return [Cell("applications", "total_processed", "total", total, str(total))] + [
        Cell("applications", row, "total", value, str(value)) for row, value in results.items()]


@pytest.mark.parametrize("result", ["同意公开答复数1件", "区分处理后公开数1件", "予以公开答复1件"])
def test_a_result_named_with_the_word_for_replies_is_that_result_not_the_total(result):
    sentence = f"全年共收到政府信息公开申请4件，{result}，其余无法提供。"
    assert check(sentence, processed(4, granted=1, partially_granted=1) + received(4)) == []


def test_a_total_of_replies_that_differs_is_still_a_mismatch():
    assert check("全年共答复政府信息公开申请5件。", processed(4, granted=1)) == ["narrative_mismatch"]


@pytest.mark.parametrize("ordinal", ["第二十条", "第20条", "第三次"])
def test_an_ordinal_is_no_figure(ordinal):
    sentence = f"本机关依申请处理的信息按照{ordinal}公开。"
    assert check(sentence, processed(4)) == []


def test_words_of_a_documents_title_name_no_figure():
    sentence = "修改编制了《政府信息公开指南》《公开申请办理工作流程》等5项政府信息公开工作制度。"
    assert check(sentence, processed(8)) == []


@pytest.mark.parametrize("sentence", [
    "全年共制发政府信息405条，其中主动公开政府信息140条、依申请公开177条、不予公开88条。",
    "全年印发公文类政府信息共514条，其中主动公开信息数130，依申请公开信息数363条，不予公开21条。",
    "其中主动公开253份、依申请公开及不予公开409份。",
])
def test_the_classes_of_the_information_made_are_no_replies(sentence):
    denied = [Cell("applications", "denied_state_secret", "total", 0, "0")]
    assert check(f"本机关重视政府信息公开申请办理。{sentence}", denied) == []


def test_the_classes_of_the_information_disclosed_are_no_requests_handled():
    sentence = ("加强主动公开和依申请公开事项的审核，主动公开政府信息40条，"
                "其中办理对外管理服务事项的依据、条件、程序1条，重大建设项目的批准和实施情况3条。")
    assert check(sentence, processed(0)) == []


def test_requests_handled_beside_the_information_disclosed_are_still_compared():
    sentence = "主动公开政府信息40条，办理政府信息公开申请5件。"
    assert check(sentence, processed(2)) == ["narrative_mismatch"]


def test_replies_denied_beside_the_information_made_are_still_compared():
    sentence = "全年制作政府信息120条；答复政府信息公开申请12件，其中答复不予公开3件。"
    assert check(sentence, processed(12, denied_state_secret=0)) == ["narrative_mismatch"]
