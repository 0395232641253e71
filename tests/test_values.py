from decimal import Decimal

import pytest

from xxgk.extractors.values import is_value_like, parse_value


@pytest.mark.parametrize("text", ["", "  ", "—", "——", "-", "/", "／", "无", "\xa0", "\u3000"])
def test_blank_marks_are_null_not_zero(text):
    assert parse_value(text).value is None and parse_value(text).blank


def test_zero_is_zero():
    assert parse_value("0").value == 0


@pytest.mark.parametrize("text, value", [("１２３４", 1234), ("1,234", 1234), ("1，234", 1234), ("1 234", 1234),
                                         ("12件", 12), ("３宗", 3), ("+2", 2)])
def test_published_count_forms(text, value):
    assert parse_value(text).value == value


def test_negative_figures_are_kept_for_validation_to_judge():
    assert parse_value("-3").value == -3


def test_a_unit_in_the_cell_is_converted_to_the_keys_unit():
    assert parse_value("251000元", "10k_yuan").value == Decimal("25.1")
    assert parse_value("3万元", "yuan").value == Decimal("30000")


def test_a_unit_stated_in_the_header_is_converted():
    assert parse_value("251000", "10k_yuan", stated_unit="yuan").value == Decimal("25.1")


def test_amounts_keep_their_decimals_exactly():
    assert parse_value("12.30", "10k_yuan").value == Decimal("12.3")


def test_fractional_counts_are_kept_as_published():
    assert parse_value("3.5").value == Decimal("3.5")


def test_text_that_is_no_figure_says_why():
    parsed = parse_value("约30")
    assert parsed.value is None and not parsed.blank and "约30" in parsed.problem


@pytest.mark.parametrize("text, like", [("12", True), ("—", True), ("无法提供", False), ("规章", False)])
def test_value_like_tells_figures_from_labels(text, like):
    assert is_value_like(text) is like


def test_a_figure_wrapped_in_a_narrow_cell_is_one_figure():
    assert parse_value("１８\n９").value == 189
