"""Single-report validation: the pandera model and FORMAT.md's identities."""

from decimal import Decimal

import pytest

from xxgk.schemas.catalog import TEMPLATES
from xxgk.schemas.records import Cell, Issue
from xxgk.schemas.validate import validate


def cells(template: str = "2021", **figures) -> list[Cell]:
    """Every cell of the template, blank but for `figures` given as table__row__col=value."""
    given = {tuple(key.split("__")): value for key, value in figures.items()}
    return [Cell(t.key, r, c, given.get((t.key, r, c)), "") for t in TEMPLATES[template].tables for r, c in t.cells()]


def findings(template="2021", **figures):
    return sorted((i.check, i.severity, i.row, i.col, i.expected, i.actual)
                  for i in validate(cells(template, **figures), template))


A = "applications"


def balanced(col="natural_person", received=5, carried_over=0, granted=5, carried_forward=0):
    """One applicant column whose figures satisfy every identity."""
    return {f"{A}__new_received__{col}": received, f"{A}__carried_over__{col}": carried_over,
            f"{A}__granted__{col}": granted, f"{A}__total_processed__{col}": granted,
            f"{A}__carried_forward__{col}": carried_forward,
            f"{A}__new_received__total": received, f"{A}__carried_over__total": carried_over,
            f"{A}__granted__total": granted, f"{A}__total_processed__total": granted,
            f"{A}__carried_forward__total": carried_forward}


def test_blank_figures_raise_nothing():
    assert findings() == []


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_consistent_figures_raise_nothing(template):
    assert findings(template, **balanced(received=7, carried_over=2, granted=6, carried_forward=3)) == []


def test_balance_is_checked_per_column():
    figures = balanced() | {f"{A}__carried_forward__natural_person": 2, f"{A}__carried_forward__total": 2}
    assert ("balance", "error", "total_processed", "natural_person", 3, 5) in findings(**figures)


def test_results_must_add_up_to_total_processed():
    figures = balanced() | {f"{A}__granted__natural_person": 4, f"{A}__granted__total": 4}
    assert ("results_sum", "error", "total_processed", "natural_person", 4, 5) in findings(**figures)


def test_a_row_total_must_be_the_sum_of_the_applicant_columns():
    figures = balanced() | {f"{A}__granted__commercial": 1, f"{A}__total_processed__commercial": 1,
                            f"{A}__new_received__commercial": 1, f"{A}__new_received__total": 6,
                            f"{A}__total_processed__total": 6}
    assert ("row_total", "error", "granted", "total", 6, 5) in findings(**figures)


def test_review_and_litigation_totals_are_checked():
    figures = {"review_litigation__review__upheld": 2, "review_litigation__review__pending": 1,
               "review_litigation__review__total": 4}
    assert findings(**figures) == [("rl_total", "error", "review", "total", 3, 4)]


def test_a_blank_total_beside_figures_is_a_warning_not_an_error():
    figures = {"review_litigation__review__upheld": 2}
    assert findings(**figures) == [("rl_total", "warning", "review", "total", None, None)]


def test_a_blank_total_over_zeros_is_the_blank_zero_convention():
    assert findings(**{"review_litigation__review__upheld": 0}) == []


def test_negative_counts_are_errors():
    assert (("non_negative", "error", "licensing", "decisions", None, -1)
            in findings(**{"active_disclosure__licensing__decisions": -1}))


def test_fractional_counts_are_errors():
    found = findings(**{"active_disclosure__licensing__decisions": Decimal("2.5")})
    assert ("integer", "error", "licensing", "decisions", None, Decimal("2.5")) in found


def test_a_negative_2019_change_is_allowed():
    assert findings("2019", **{"active_disclosure__licensing__change": -3}) == []


def test_fees_may_have_decimals():
    assert findings(**{"active_disclosure__fees__amount_10k_yuan": Decimal("12.34")}) == []


def test_an_identity_over_a_row_the_reader_left_unread_is_not_checked():
    figures = balanced(granted=3, carried_forward=2) | {f"{A}__carried_forward__natural_person": None,
                                                        f"{A}__carried_forward__total": None}
    assert ("balance", "error", "total_processed", "natural_person", 5, 3) in findings(**figures)  # blank counts 0
    unread = Issue("ambiguous_alignment", "warning", "which columns cannot be told", table=A, row="carried_forward")
    assert [i.check for i in validate(cells(**figures), "2021", [unread])] == []


def test_an_identity_over_an_unread_cell_is_not_checked_but_its_other_columns_are():
    figures = balanced() | {f"{A}__carried_forward__natural_person": 2, f"{A}__carried_forward__total": 2}
    unread = Issue("unreadable_value", "error", "no figure", table=A, row="carried_forward", col="natural_person")
    assert [(i.check, i.col) for i in validate(cells(**figures), "2021", [unread])] == [("balance", "total")]


def test_figures_are_never_altered():
    given = cells(**{"review_litigation__review__upheld": 2, "review_litigation__review__total": 9})
    before = [c.value for c in given]
    validate(given, "2021")
    assert [c.value for c in given] == before


def test_a_published_total_over_blank_parts_is_a_warning_that_the_parts_were_not_reported():
    figures = {"review_litigation__review__total": 4}
    assert findings(**figures) == [("rl_total", "warning", "review", "total", None, 4)]
    assert "parts not reported" in validate(cells(**figures), "2021")[0].message


def test_a_zero_total_over_blank_parts_is_the_blank_zero_convention():
    assert findings(**{"review_litigation__review__total": 0}) == []


def test_a_2021_report_printing_other_handling_as_one_row_counts_it_in_the_results():
    figures = {**balanced(received=5, granted=3), f"{A}__total_processed__natural_person": 5,
               f"{A}__total_processed__total": 5}
    given = cells(**figures) + [Cell(A, "other_handling", col, 2, "2") for col in ("natural_person", "total")]
    assert [i for i in validate(given, "2021") if i.check == "results_sum"] == []
