"""Report identity: the key it gives, and the rule that settles it from the listing, the
document and the caller (schemas/identity.py)."""

import pytest

from xxgk.schemas.identity import ReportIdentity, settle

COUNTY = "630202"  # 乐都区, a county of 海东市


def test_the_key_reads_jurisdiction_year_organ():
    assert ReportIdentity("630202", "海东市乐都区教育局", 2023).key == "630202/2023/海东市乐都区教育局"


@pytest.mark.parametrize("identity, missing", [
    (ReportIdentity(None, "某局", 2023), ["jurisdiction_code"]),
    (ReportIdentity("630202", None, 2023), ["organ"]),
    (ReportIdentity("630202", "某局", None), ["year"]),
])
def test_an_identity_with_a_part_missing_has_no_key_and_names_the_part(identity, missing):
    assert identity.key is None and identity.missing == missing


def test_the_listings_year_wins_over_a_different_year_in_the_document():
    listed = ReportIdentity(COUNTY, "海东市乐都区人民政府", 2023)
    assert settle(listed, ReportIdentity(year=2022)).year == 2023


def test_the_listings_jurisdiction_wins_over_the_one_the_document_names():
    assert settle(ReportIdentity(COUNTY), ReportIdentity("630200")).jurisdiction_code == COUNTY


def test_a_listed_organ_naming_its_place_wins_over_the_documents_name():
    listed = ReportIdentity(COUNTY, "海东市乐都区人民政府", 2023)
    assert settle(listed, ReportIdentity(organ="海东市乐都区人民政府办公室")).organ == "海东市乐都区人民政府"


@pytest.mark.parametrize("bare, full", [("教育局", "海东市乐都区教育局"), ("发改委", "乐都区发展和改革委员会")])
def test_the_documents_full_name_of_a_bare_listed_department_is_kept(bare, full):
    assert settle(ReportIdentity(COUNTY, bare, 2023), ReportIdentity(organ=full)).organ == full


@pytest.mark.parametrize("read", [None, "教育局", "海东市乐都区公安局"])
def test_a_bare_listed_department_is_qualified_with_the_place_of_its_jurisdiction(read):
    """Whether the document names no organ, the same bare name, or another body in full."""
    assert settle(ReportIdentity(COUNTY, "教育局", 2023), ReportIdentity(organ=read)).organ == "乐都区教育局"


def test_a_bare_department_the_document_names_is_qualified_with_the_listings_place():
    assert settle(ReportIdentity(COUNTY), ReportIdentity(organ="卫生健康委员会")).organ == "乐都区卫生健康委员会"


def test_a_bare_department_stays_bare_where_no_jurisdiction_is_known():
    assert settle(ReportIdentity(), ReportIdentity(organ="公安局", year=2015)).organ == "公安局"


def test_the_callers_values_win_over_listing_and_document_and_are_taken_as_given():
    listed, read = ReportIdentity(COUNTY, "教育局", 2023), ReportIdentity("630200", "海东市教育局", 2022)
    given = ReportIdentity("350111", "某局", 2021)
    assert settle(listed, read, given) == given


def test_what_the_listing_leaves_open_the_document_fills():
    read = ReportIdentity("630200", "海东市人民政府", 2022)
    assert settle(ReportIdentity(), read) == read


def test_what_the_document_leaves_open_the_listing_fills():
    settled = settle(ReportIdentity(COUNTY, "教育局", 2023), ReportIdentity())
    assert settled == ReportIdentity(COUNTY, "乐都区教育局", 2023)


def test_a_part_the_caller_gives_leaves_the_others_to_listing_and_document():
    read = ReportIdentity(organ="海东市乐都区教育局", year=2022)
    settled = settle(ReportIdentity(COUNTY), read, ReportIdentity(year=2021))
    assert settled == ReportIdentity(COUNTY, "海东市乐都区教育局", 2021)


@pytest.mark.parametrize("listed, read", [
    (ReportIdentity(COUNTY, "教育局", 2023), ReportIdentity()),
    (ReportIdentity(COUNTY, "发改委", 2023), ReportIdentity(organ="乐都区发展和改革委员会")),
    (ReportIdentity(COUNTY, "海东市乐都区人民政府", 2023), ReportIdentity("630200", "海东市统计局", 2022)),
])
def test_settling_a_settled_identity_with_its_listing_again_changes_nothing(listed, read):
    """Extraction settles with the listing, and load settles the extraction with the
    listing once more: both must give the same key."""
    once = settle(listed, read)
    assert settle(listed, once) == once


def test_a_bare_department_is_not_prefixed_with_a_code_that_is_no_division():
    assert settle(ReportIdentity("999999", "教育局"), ReportIdentity()).organ == "教育局"


def test_a_listed_department_led_by_the_short_form_of_its_place_is_not_prefixed_again():
    assert settle(ReportIdentity("350128", "平潭市场监督管理局"), ReportIdentity()).organ == "平潭市场监督管理局"


def test_a_department_named_like_its_place_is_still_qualified():
    assert settle(ReportIdentity("421022", "公安局"), ReportIdentity()).organ == "公安县公安局"
