"""Misprinted row labels: read as the row the template puts there only when everything
but the label says so, and always with a `label_variant` warning naming the printed label."""

import pytest

from tests.grids import grid
from tests.roundtrip import TRAITS, extracted, report
from tests.test_normalize import T3_HEADER, read, value
from xxgk.samples.layout import misprinted_rows
from xxgk.samples.render import render
from xxgk.schemas.catalog import TEMPLATES

STATE_SECRET = "三、本年度办理结果|（三）不予公开|1.属于国家秘密|1||||||1"
THREE_SAFETY = "~三、本年度办理结果|~（三）不予公开|3.危及“三安全一稳定”|3||||||3"


def variants(issues):
    return [(i.row, i.message) for i in issues if i.check == "label_variant"]


def test_a_misprinted_label_between_its_found_neighbours_is_read_as_that_row_with_a_warning():
    cells, issues = read(grid(*T3_HEADER, STATE_SECRET,
                              "~三、本年度办理结果|~（三）不予公开|2.其他法律行政止公开|2||||||2", THREE_SAFETY))
    assert value(cells, "denied_law_prohibited", "total") == 2
    [(row, message)] = variants(issues)
    assert row == "denied_law_prohibited" and "2.其他法律行政止公开" in message
    assert "row_missing" not in [i.check for i in issues if i.row == "denied_law_prohibited"]


def test_a_label_far_from_the_expected_one_leaves_the_row_missing():
    cells, issues = read(grid(*T3_HEADER, STATE_SECRET, "~三、本年度办理结果|~（三）不予公开|2.其他情形|2||||||2",
                              THREE_SAFETY))
    assert value(cells, "denied_law_prohibited", "total") is None
    assert not variants(issues) and ("row_missing", "denied_law_prohibited") in [(i.check, i.row) for i in issues]


def test_a_misprinted_label_without_a_found_row_after_it_stays_missing():
    cells, issues = read(grid(*T3_HEADER, STATE_SECRET,
                              "~三、本年度办理结果|~（三）不予公开|2.其他法律行政止公开|2||||||2"))
    assert value(cells, "denied_law_prohibited", "total") is None and not variants(issues)


def test_a_misprinted_label_not_where_its_row_belongs_stays_missing():
    cells, issues = read(grid(*T3_HEADER, "三、本年度办理结果|（三）不予公开|2.其他法律行政止公开|2||||||2",
                              THREE_SAFETY))
    assert value(cells, "denied_law_prohibited", "total") is None and not variants(issues)


def test_a_misprinted_label_with_more_figures_than_the_row_has_columns_stays_missing():
    cells, issues = read(grid(*T3_HEADER, STATE_SECRET,
                              "~三、本年度办理结果|~（三）不予公开|2.其他法律行政止公开|2|0|0|0|0|0|0|2", THREE_SAFETY))
    assert value(cells, "denied_law_prohibited", "total") is None and not variants(issues)


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("kind, options", [("html", {}), ("pdf", {}), ("docx", {}), ("text", {"style": "spaces"})])
def test_every_misprinted_row_of_a_generated_report_is_named_in_a_warning(kind, options, template):
    spec = report(template)
    extraction = extracted(render(spec, kind, TRAITS["misprinted labels"], **options))
    printed = misprinted_rows(TEMPLATES[template].table("applications"))
    warned = {i.row: i.message for i in extraction.issues if i.check == "label_variant"}
    assert set(warned) == set(printed)
    assert all(repr(printed[row]) in message for row, message in warned.items())
