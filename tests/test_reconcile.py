"""Two readings of one report: where the grids leave something open, the page's text read
against the template completes or checks them; nothing changes where the grids suffice."""

import random

import pytest

from xxgk.extractors.extract import extract, read
from xxgk.extractors.normalize import normalize
from xxgk.extractors.reconcile import reconcile
from xxgk.samples.figures import random_report
from xxgk.samples.layout import Traits
from xxgk.samples.render import render
from xxgk.schemas.catalog import TEMPLATE_2021

SPEC = random_report(random.Random(5), year=2023, blank_zeros=0)


def values(extraction):
    return {(c.table, c.row, c.col): c.value for c in extraction.cells}


@pytest.mark.parametrize("blank", ["", "—"])
def test_a_report_the_grids_read_whole_gets_no_second_reading(blank):
    extraction = extract(render(random_report(random.Random(2), year=2023), "html", Traits(blank=blank)), "r.html")
    assert not [i for i in extraction.issues if i.check in ("second_reading", "reading_disagreement")]


def test_a_row_whose_label_the_grid_reader_cannot_place_is_read_from_the_text_by_its_place_in_the_template():
    page = render(SPEC, "html").decode().replace("重复申请", "重复的申请事项", 1).encode()
    extraction = extract(page, "r.html")
    assert values(extraction) == SPEC.values
    found = {(i.check, i.row) for i in extraction.issues}
    assert ("second_reading", "rejected_duplicate") in found and ("label_variant", "rejected_duplicate") in found
    assert not extraction.errors()


def test_a_published_error_read_alike_twice_is_confirmed_and_kept():
    wrong = SPEC.value("applications", "granted", "total") + 1
    spec = SPEC.with_values({("applications", "granted", "total"): wrong})
    page = render(spec, "html").decode().replace("重复申请", "重复的申请事项", 1).encode()
    extraction = extract(page, "r.html")
    assert values(extraction)[("applications", "granted", "total")] == wrong
    assert {(i.check, i.row, i.col) for i in extraction.errors()} >= {("row_total", "granted", "total")}
    assert ("second_reading", "granted", "total") in {(i.check, i.row, i.col) for i in extraction.issues}


def _grid_reading_with(change):
    document = read(render(SPEC, "html"), "r.html")
    cells, issues = normalize(document.blocks, TEMPLATE_2021)
    for cell in cells:
        if (cell.table, cell.row, cell.col) in change:
            cell.value = change[(cell.table, cell.row, cell.col)]
    return document, cells, issues


def test_where_the_readings_differ_the_one_the_identities_support_wins_and_the_other_is_recorded():
    key = ("applications", "granted", "natural_person")
    document, cells, issues = _grid_reading_with({key: SPEC.value(*key) + 5})
    merged, notes = reconcile(document.blocks, TEMPLATE_2021, cells, issues)
    assert {(c.table, c.row, c.col): c.value for c in merged}[key] == SPEC.value(*key)
    [disagreement] = [i for i in notes if i.check == "reading_disagreement"]
    assert (disagreement.row, disagreement.col, disagreement.actual) == (key[1], key[2], SPEC.value(*key) + 5)


def test_where_no_identity_tells_the_readings_apart_the_cell_is_left_blank_and_flagged():
    # The grids read a total as the sum + 5, the page's text as the sum + 7: both break it.
    key = ("applications", "granted", "total")
    _, cells, issues = _grid_reading_with({key: SPEC.value(*key) + 5})
    text = read(render(SPEC.with_values({key: SPEC.value(*key) + 7}), "html"), "r.html")
    merged, notes = reconcile(text.blocks, TEMPLATE_2021, cells, issues)
    assert {(c.table, c.row, c.col): c.value for c in merged}[key] is None
    assert ("ambiguous_alignment", "granted", "total") in {(i.check, i.row, i.col) for i in notes}
