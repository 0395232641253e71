"""Text dumps: tab-separated like the seed, and space-aligned like pdftotext -layout."""

import random

import pytest

from tests.roundtrip import TEXT_TRAITS, assert_roundtrip, extracted, report
from xxgk.samples.figures import random_report
from xxgk.samples.render import render


def assert_right_or_flagged(data: bytes, spec) -> None:
    """A tab dump cannot always show where a row of zeros sits; such a row may be misread
    only if it is flagged. Every other cell must come back exactly."""
    extraction = extracted(data)
    flagged = {i.row for i in extraction.issues if i.check == "ambiguous_alignment"}
    got = {(c.table, c.row, c.col): c.value for c in extraction.cells}
    wrong = {key for key, want in spec.values.items() if got.get(key, "absent") != want}
    assert {row for _, row, _ in wrong} <= flagged, sorted(wrong)[:6]
    assert not [i for i in extraction.errors() if i.row not in flagged], extraction.errors()


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("trait", TEXT_TRAITS)
def test_space_aligned_text_gives_every_cell_back(template, trait):
    for seed in (3, 7):
        spec = report(template, seed)
        assert_roundtrip(render(spec, "text", TEXT_TRAITS[trait], style="spaces"), spec)


@pytest.mark.parametrize("seed", range(24))
def test_in_space_aligned_text_a_blank_cell_before_a_figure_keeps_its_column(seed):
    """Small tables of section 二 whose one row leaves its first figure blank: no row prints
    a figure under that header, yet the figure beside the blank stays under its own."""
    spec = random_report(random.Random(seed), template="2019", year=2020, scale=30)
    assert_roundtrip(render(spec, "text", style="spaces"), spec)


@pytest.mark.parametrize("row", ["licensing", "penalty", "fees"])
def test_in_space_aligned_text_a_row_printed_as_its_label_alone_is_blank_not_missing(row):
    spec = report("2021", 3)
    spec = spec.with_values({key: None for key in spec.values if key[:2] == ("active_disclosure", row)})
    extraction = assert_roundtrip(render(spec, "text", style="spaces"), spec)
    assert not [i for i in extraction.issues if i.check == "row_missing"], extraction.issues


@pytest.mark.parametrize(("label", "first", "figures_on_first"), [
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "1.申请人无正当理由逾期不补正、", False),
    ("5.要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或重新出", True),
], ids=["figures beside the rest", "figures beside the first words"])
def test_in_space_aligned_text_a_label_wrapped_over_two_lines_is_one_row(label, first, figures_on_first):
    """pdftotext -layout prints a long label over two lines and the row's figures beside
    one of them: a line with a row's word but not its whole label is no blank row."""
    spec = report("2021", 3)
    lines = render(spec, "text", style="spaces").decode().split("\n")
    at = next(i for i, line in enumerate(lines) if label in line)
    column = _width(lines[at][:lines[at].index(label)])
    rest = label[len(first):]
    if figures_on_first:  # the rest below, in the label's column
        beside, alone = first, rest
    else:  # the first words above, the rest in the label's column beside the figures
        beside, alone = rest, first
    figures = lines[at].replace(label, beside + " " * (_width(label) - _width(beside)))
    lines[at:at + 1] = [figures, " " * column + alone] if figures_on_first else [" " * column + alone, figures]
    assert_roundtrip("\n".join(lines).encode(), spec)


def _width(text: str) -> int:
    """Display columns: an ideograph takes two."""
    return len(text) + sum(ord(ch) > 0x2E80 for ch in text)


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("trait", TEXT_TRAITS)
def test_tab_dumps_give_every_cell_back_or_flag_the_row(template, trait):
    for seed in (3, 5, 7):
        spec = report(template, seed)
        assert_right_or_flagged(render(spec, "text", TEXT_TRAITS[trait], style="tabs"), spec)


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("trait", TEXT_TRAITS)
def test_pipe_tables_give_every_cell_back_or_flag_the_row(template, trait):
    """Tables as an HTML-to-Markdown conversion writes them: | cells | between pipes |, a
    rule under the first row, merged cells written once or repeated."""
    for seed in (3, 5, 7):
        spec = report(template, seed)
        assert_right_or_flagged(render(spec, "text", TEXT_TRAITS[trait], style="pipes"), spec)


@pytest.mark.parametrize("seed", [3, 5, 7])
def test_pipe_tables_without_border_pipes_are_read_as_their_rule_shows(seed):
    """html2text writes no border pipes (`a | b`, rule `---|---`): a row whose first or last
    cell is blank then begins or ends with a pipe, which is no border."""
    spec = report("2021", seed)
    assert_right_or_flagged(_without_borders(render(spec, "text", style="pipes").decode()).encode(), spec)


@pytest.mark.parametrize("seed", [3, 5, 7])
def test_pipe_tables_without_a_rule_are_read_as_most_rows_show_their_borders(seed):
    spec = report("2021", seed)
    lines = render(spec, "text", style="pipes").decode().split("\n")
    assert_right_or_flagged("\n".join(line for line in lines if not set(line) <= set("|-") or not line).encode(), spec)


@pytest.mark.parametrize("style", ["spaces", "single_space"])
def test_pipes_of_a_portals_navigation_leave_the_text_as_it_is(style):
    spec = report("2021", 3)
    navigation = "首页 | 政务公开 | 政府信息公开年报\n网站地图 | 联系我们 | 无障碍\n主办单位 | 网站标识码 | 备案号\n"
    page = render(spec, "text", style=style)
    without, beside = extracted(page), extracted(navigation.encode() + page)
    assert [(c.row, c.col, c.value) for c in beside.cells] == [(c.row, c.col, c.value) for c in without.cells]
    assert any(c.value is not None for c in beside.cells)


@pytest.mark.parametrize("style", ["spaces", "single_space"])
def test_a_tab_in_a_header_line_leaves_the_text_as_it_is(style):
    spec = report("2021", 3)
    page = render(spec, "text", style=style)
    without, beside = extracted(page), extracted("发布时间:\t2024-03-10\n".encode() + page)
    assert [(c.row, c.col, c.value) for c in beside.cells] == [(c.row, c.col, c.value) for c in without.cells]
    assert any(c.value is not None for c in beside.cells)


def _without_borders(text: str) -> str:
    """Pipe rows as html2text writes them: no pipe at either end, the rule `---|---`."""
    def row(line: str) -> str:
        fields = line.strip()[1:-1].split("|")
        return "|".join("---" for _ in fields) if set(line) <= set("|-") else "|".join(fields).strip(" ")
    return "\n".join(row(line) if line.startswith("|") else line for line in text.split("\n"))


@pytest.mark.parametrize("seed", range(3, 13))
def test_a_tab_dump_trimmed_of_trailing_tabs_gives_every_cell_back_or_flags_the_row(seed):
    """An editor's trimming of trailing white space drops a row's trailing blank cells: the
    row no longer shows where it ends."""
    spec = report("2021", seed)
    lines = render(spec, "text", TEXT_TRAITS["wrapped labels"], style="tabs").decode().split("\n")
    assert_right_or_flagged("\n".join(line.rstrip() for line in lines).encode(), spec)


def test_one_wide_row_of_a_tab_dump_cannot_widen_the_others_beyond_the_bound():
    extraction = extracted(("\t" * 100_000 + "\n" + "行\t1\n" * 1_000).encode())  # 102,000 cells written
    assert [i.check for i in extraction.issues] == ["too_large"] and not extraction.cells


def test_a_tab_dump_whose_rows_all_show_their_place_is_read_without_warnings():
    spec = report("2021", 3).with_values({})
    full = {key: 1 for key in spec.values if key[0] == "applications" and key[2] != "total"}
    full.update({key: 6 for key in spec.values if key[0] == "applications" and key[2] == "total"})
    spec = spec.with_values(full)
    extraction = extracted(render(spec, "text", style="tabs"))
    assert not [i for i in extraction.issues if i.check == "ambiguous_alignment"]
    assert extraction.value("applications", "carried_forward", "total") == 6


def test_gbk_encoded_text_is_decoded():
    spec = report("2021", 3)
    assert_roundtrip(render(spec, "text", style="spaces", encoding="gbk"), spec)


def test_narrative_lines_stay_paragraphs():
    spec = report("2021", 3)
    data = render(spec, "text", style="spaces").replace("（三）政府信息管理。".encode(), "行政许可   99999".encode())
    assert_roundtrip(data, spec)
