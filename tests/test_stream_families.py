"""Reports saved as a stream of text, generated as families: single spaces between cells,
spaces in some places and none in others, the whole report on one line, table 4 as one
line of fifteen figures, misprinted table headings, labels broken where their cells
wrapped, blank cells printed as nothing. Every
figure comes back, or its row is flagged with the published figures among the cuts it
lists; a wrong figure is never given without a warning. Misprinted table headings are
checked in every format."""

import random
import re

import pytest

from tests.roundtrip import combined_traits
from xxgk.extractors.extract import extract
from xxgk.samples.figures import random_report
from xxgk.samples.layout import Traits
from xxgk.samples.render import render

TRAITS = {
    "template layout": Traits(),
    "table 4 as three rows, section 2 as one table": Traits(table4="three_rows", section2_tables="one"),
    "misprinted headings": Traits(misprinted_headings=True),
    "misprinted row labels": Traits(misprinted_labels=True),
    "labels wrapped with a space inside": Traits(wrapped_labels=True, broken_header_words=True,
                                                 vertical_group_labels=True),
    "blank marks": Traits(blank="—"),
    "blank as 无": Traits(blank="无"),
    "full-width digits and signs": Traits(fullwidth_digits=True),
    "thousands separators": Traits(thousands_separators=True),
    "fees in yuan, the unit stated": Traits(fees_in_yuan=True),
}


def _spec(seed: int, template: str, blank_zeros: float = 0):
    return random_report(random.Random(seed), template=template, year=2020 if template == "2019" else 2023,
                         blank_zeros=blank_zeros, scale=40)


def assert_every_figure_back_or_flagged(spec, extraction, unreadable_allowed=False):
    """Every cell is the spec's figure, or blank in a row flagged: ambiguous with the
    published figures among its cuts, or (`unreadable_allowed`) unreadable or with blank
    cells printed as nothing."""
    # The cuts are listed as printed; thousands separators aside, the published figures are among them.
    flagged = {(i.table, i.row): i.message.replace(",", "") for i in extraction.issues
               if i.check == "ambiguous_alignment"}
    unreadable = {(i.table, i.row) for i in extraction.issues if i.check == "unreadable_value"}
    got = {(c.table, c.row, c.col): c.value for c in extraction.cells}
    for (table, row, col), want in spec.values.items():
        if (table, row) in flagged:
            columns = spec.catalog.table(table).row(row).columns
            truth = " | ".join("" if spec.value(table, row, c) is None else str(spec.value(table, row, c))
                               for c in columns)
            assert got[(table, row, col)] is None
            assert truth in flagged[(table, row)] or "more" in flagged[(table, row)] or unreadable_allowed, (
                row, truth, flagged[(table, row)])
        elif unreadable_allowed and (table, row) in unreadable:
            assert got[(table, row, col)] is None
        else:
            assert got[(table, row, col)] == want, (table, row, col, got[(table, row, col)], want)
    assert not [i for i in extraction.issues if i.check in ("table_missing", "row_missing")], extraction.issues


@pytest.mark.parametrize("style", ["single_space", "mixed_spacing", "run_together"])
@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("traits", list(TRAITS.values()), ids=list(TRAITS))
def test_a_stream_of_text_gives_every_figure_back_or_flags_its_row(style, template, traits):
    for seed in range(3):
        spec = _spec(seed, template, blank_zeros=0.5 if traits.blank else 0)
        extraction = extract(render(spec, "text", traits, style=style), "dump.txt")
        assert (extraction.title, extraction.year, extraction.format) == (spec.title, spec.year, template)
        assert_every_figure_back_or_flagged(spec, extraction)
        assert not [i for i in extraction.issues if i.severity == "error" and i.check != "unreadable_value"]


@pytest.mark.parametrize("style", ["single_space", "mixed_spacing", "run_together"])
def test_a_report_on_one_line_reads_as_it_does_on_several(style):
    spec = _spec(4, "2021")
    on_lines = extract(render(spec, "text", style=style), "dump.txt")
    on_one = extract(render(spec, "text", style=style, one_line=True), "dump.txt")
    assert [(c.table, c.row, c.col, c.value) for c in on_one.cells] == [
        (c.table, c.row, c.col, c.value) for c in on_lines.cells]
    assert_every_figure_back_or_flagged(spec, on_one)


@pytest.mark.parametrize("style", ["single_space", "mixed_spacing"])
def test_blank_cells_printed_as_nothing_never_give_a_wrong_figure(style):
    for seed in range(4):
        spec = _spec(seed, "2021", blank_zeros=0.5)
        extraction = extract(render(spec, "text", style=style), "dump.txt")
        assert_every_figure_back_or_flagged(spec, extraction, unreadable_allowed=True)


@pytest.mark.parametrize("style", ["single_space", "mixed_spacing"])
def test_rows_left_unread_break_no_identity_and_contradict_no_narrative(style):
    """The publisher's figures hold their identities: an unread row's nulls must not be
    counted as zeros that break them or that the narrative contradicts."""
    for seed in range(4):
        spec = _spec(seed, "2021", blank_zeros=0.5)
        extraction = extract(render(spec, "text", style=style), "dump.txt")
        assert [i.check for i in extraction.issues
                if i.check in ("balance", "results_sum", "row_total", "rl_total", "narrative_mismatch")] == []


def test_a_row_left_blank_whose_label_runs_into_the_next_heading_is_read_as_blank():
    spec = _spec(5, "2021").with_values({("active_disclosure", "fees", "amount_10k_yuan"): None})
    text = render(spec, "text", style="run_together").decode()
    assert "行政事业性收费三、收到和处理政府信息公开申请情况" in text
    extraction = extract(text.encode(), "dump.txt")
    assert_every_figure_back_or_flagged(spec, extraction)


@pytest.mark.parametrize("style", ["single_space", "mixed_spacing", "run_together"])
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_a_text_with_each_table_row_on_a_line_of_its_own_reads_as_one_stream(style, template):
    for seed in range(3):
        spec = _spec(seed, template)
        extraction = extract(render(spec, "text", style=style, rows_on_lines=True), "dump.txt")
        assert_every_figure_back_or_flagged(spec, extraction)


@pytest.mark.parametrize("kind", ["html", "docx", "pdf", "text"])
def test_misprinted_table_headings_lose_nothing_in_any_format(kind):
    spec = _spec(1, "2021")
    extraction = extract(render(spec, kind, Traits(misprinted_headings=True)), f"report.{kind}")
    assert {(c.table, c.row, c.col): c.value for c in extraction.cells} == spec.values
    assert not [i for i in extraction.issues if i.severity != "info"]


@pytest.mark.parametrize("style", ["single_space", "mixed_spacing", "run_together", "tabs", "spaces"])
@pytest.mark.parametrize("seed", range(6))
def test_traits_combined_leave_no_cell_wrong_or_blank_without_a_finding_on_its_row(style, seed):
    rng = random.Random(seed)
    traits, template = combined_traits(rng, "text"), rng.choice(["2019", "2021"])
    spec = random_report(rng, template=template, year=2020 if template == "2019" else 2023,
                         blank_zeros=0.5 if traits.blank else 0, scale=rng.choice([40, 3000]))
    extraction = extract(render(spec, "text", traits, style=style), "dump.txt")
    found_on = {(i.table, i.row) for i in extraction.issues}  # a row's, or (row None) its whole table's
    got = {(c.table, c.row, c.col): c.value for c in extraction.cells}
    unexplained = {key: (want, got.get(key)) for key, want in spec.values.items()
                   if got.get(key) != want and not {key[:2], (key[0], None)} & found_on}
    assert not unexplained, unexplained


@pytest.mark.parametrize("style", ["single_space", "run_together"])
@pytest.mark.parametrize(("change", "printed"), [(-12, "减12"), (12, "增12"), (12, "+12"), (-12, "-12")])
def test_a_change_written_with_a_sign_word_is_one_signed_figure(style, change, printed):
    """行政事业性收费16减12: the previous year's 16 items, 12 fewer this year."""
    spec = _spec(2, "2019").with_values({("active_disclosure", "fees", "prev_items"): 16,
                                         ("active_disclosure", "fees", "change"): change})
    apart = " " if style == "single_space" else ""
    text = render(spec, "text", style=style).decode()
    assert f"行政事业性收费{apart}16{apart}{change}" in text
    text = text.replace(f"行政事业性收费{apart}16{apart}{change}", f"行政事业性收费{apart}16{apart}{printed}")
    assert_every_figure_back_or_flagged(spec, extract(text.encode(), "dump.txt"))


@pytest.mark.parametrize("style", ["single_space", "run_together"])
def test_a_date_between_a_heading_and_its_table_is_no_figure(style):
    spec = _spec(3, "2021")
    heading = "四、政府信息公开行政复议、行政诉讼情况"
    text = render(spec, "text", style=style).decode().replace(
        heading, f"{heading} 2023年12月31日前我局未有政府信息公开行政复议及行政诉讼有关情况。", 1)
    assert_every_figure_back_or_flagged(spec, extract(text.encode(), "dump.txt"))


@pytest.mark.parametrize("style", ["single_space", "run_together"])
@pytest.mark.parametrize("row", ["other_overdue_fee", "other_other"])
def test_a_blank_row_whose_label_runs_into_the_next_rows_number_is_blank(style, row):
    """…不再处理其政府信息公开申请3.其他…: the 3 is the next sub-item's number, not a
    figure; …3.其他（七）总计…: 其他, numbered as the sub-item, is that row, and blank."""
    spec = _spec(5, "2021")
    spec = spec.with_values({key: None for key in spec.values if key[1] == row})
    extraction = extract(render(spec, "text", style=style), "dump.txt")
    assert_every_figure_back_or_flagged(spec, extraction)


@pytest.mark.parametrize("style", ["single_space", "run_together"])
def test_a_report_of_a_later_year_printed_on_the_2019_form_is_read_as_the_2019_template(style):
    spec = random_report(random.Random(6), template="2019", year=2022, scale=40)
    extraction = extract(render(spec, "text", style=style), "dump.txt")
    assert (extraction.year, extraction.format) == (2022, "2019")
    assert_every_figure_back_or_flagged(spec, extraction, unreadable_allowed=True)  # its blank cells print as nothing


@pytest.mark.parametrize("style", ["single_space", "run_together"])
def test_a_table_printed_with_the_other_templates_columns_is_not_read_into_this_ones_cells(style):
    """A 2021 report whose table 二 keeps the 2019 columns (上一年项目数量, 本年增/减): its
    figures mean other things; tables 三 and 四 are read."""
    spec = _spec(7, "2021")
    section = re.compile(r"二、主动公开政府信息情况.*?(?=三、收到和处理)", re.S)
    old_form = render(random_report(random.Random(7), template="2019", year=2020, scale=40), "text", style=style)
    text = section.sub(lambda _: section.search(old_form.decode())[0], render(spec, "text", style=style).decode())
    extraction = extract(text.encode(), "dump.txt")
    assert ("table_layout_mismatch", "active_disclosure") in [(i.check, i.table) for i in extraction.issues]
    got = {(c.table, c.row, c.col): c.value for c in extraction.cells}
    assert all(value is None for key, value in got.items() if key[0] == "active_disclosure")
    assert all(got[key] == value for key, value in spec.values.items() if key[0] != "active_disclosure")


@pytest.mark.parametrize("style", ["single_space", "run_together"])
def test_tables_under_sections_numbered_on_by_an_added_section_are_found(style):
    """A report that adds a section before the tables numbers them 三, 四 and 五."""
    spec = _spec(8, "2021")
    text = render(spec, "text", style=style).decode()
    for old, new in (("六、其他需要", "七、其他需要"), ("五、存在的主要问题", "六、存在的主要问题"),
                     ("四、政府信息公开行政复议", "五、政府信息公开行政复议"), ("三、收到和处理", "四、收到和处理"),
                     ("二、主动公开", "三、主动公开")):
        assert old in text
        text = text.replace(old, new, 1)
    assert_every_figure_back_or_flagged(spec, extract(text.encode(), "dump.txt"))


@pytest.mark.parametrize("style", ["single_space", "run_together"])
@pytest.mark.parametrize("worded", ["因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                                    "政府信息公开行政复议和行政诉讼情况"])
def test_a_table_heading_with_words_added_is_found(style, worded):
    spec = _spec(9, "2021")
    heading = "四、政府信息公开行政复议、行政诉讼情况"
    text = render(spec, "text", style=style).decode().replace(heading, f"四、{worded}", 1)
    assert_every_figure_back_or_flagged(spec, extract(text.encode(), "dump.txt"))


@pytest.mark.parametrize("style", ["single_space", "run_together"])
@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("year", ["2025年", "2025 年", "2025　年"])
def test_a_paragraph_opening_with_a_year_right_after_a_table_lends_it_no_figure(style, template, year):
    """行政事业性收费02025年，我局…: the next paragraph opens with a year glued to the
    table's last figure (0 | 2025年), after table 二, 三 and 四 alike; the year, four digits
    before 年, is the paragraph's, whatever stands between it and 年."""
    for seed in range(10, 13):
        spec = _spec(seed, template)
        text = render(spec, "text", style=style).decode()
        for heading in ("三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议", "五、存在的主要问题"):
            assert heading in text
            text = text.replace(heading, f"{year}，我局依法做好政府信息公开工作。{heading}", 1)
        assert_every_figure_back_or_flagged(spec, extract(text.encode(), "dump.txt"))
