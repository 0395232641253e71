"""Report identity: title, organ, reporting year, jurisdiction."""

import pytest

from xxgk.extractors.metadata import detect_metadata
from xxgk.schemas.identity import ReportIdentity


def checks(meta):
    return sorted(i.check for i in meta.issues)


@pytest.mark.parametrize("title, organ, year", [
    ("海东市人民政府2023年政府信息公开工作年度报告", "海东市人民政府", 2023),
    ("海东市人民政府2023年度政府信息公开工作年度报告", "海东市人民政府", 2023),
    ("上海市人民政府办公厅关于2021年政府信息公开工作的年度报告", "上海市人民政府办公厅", 2021),
    ("2020年青海省教育厅政府信息公开工作年度报告", "青海省教育厅", 2020),
    ("福州市晋安区教育局政府信息公开工作2022年度报告", "福州市晋安区教育局", 2022),
    ("北京市朝阳区人民政府二〇二三年政府信息公开工作年度报告", "北京市朝阳区人民政府", 2023),
    ("青海省统计局2017政府信息公开工作年度报告", "青海省统计局", 2017),
    ("青海省统计局2017年度政务信息公开报告", "青海省统计局", 2017),
    ("2017年度青海省统计局信息公开工作总结报告", "青海省统计局", 2017),
])
def test_title_forms_give_organ_and_year(title, organ, year):
    meta = detect_metadata(f"{title}\n一、总体情况")
    assert (meta.title, meta.organ, meta.year) == (title, organ, year)


def test_a_title_set_on_two_lines_is_joined():
    meta = detect_metadata("海东市人民政府\n\n海东市人民政府 2023 年政府信息公开工作年度报告\n")
    assert meta.title == "海东市人民政府2023年政府信息公开工作年度报告" and meta.organ == "海东市人民政府"


@pytest.mark.parametrize("organ, code, name", [
    ("海东市人民政府", "630200", "海东市"),
    ("福州市晋安区人民政府", "350111", "晋安区"),
    ("福州市晋安区教育局", "350111", "晋安区"),
    ("上海市人民政府办公厅", "310000", "上海市"),
    ("青海省教育厅", "630000", "青海省"),
    ("互助土族自治县人民政府", "630223", "互助土族自治县"),
])
def test_the_jurisdiction_is_the_organs_division(organ, code, name):
    meta = detect_metadata(f"{organ}2023年政府信息公开工作年度报告")
    assert (meta.jurisdiction_code, meta.jurisdiction_name) == (code, name)


def test_a_place_name_several_divisions_share_is_flagged():
    meta = detect_metadata("朝阳区人民政府2023年政府信息公开工作年度报告")
    assert "jurisdiction_ambiguous" in checks(meta)


@pytest.mark.parametrize("separator", [">", " > ", "＞", "»"])
def test_a_pages_path_above_the_title_is_no_title(separator):
    path = separator.join(["您当前的位置: 首页", "政府信息公开", "年报", "2014", "市政府各部门政府信息公开年度报告"])
    meta = detect_metadata(f"{path}\n某某市文化局2014年政府信息公开工作年度报告\n一、主动公开政府信息情况")
    assert (meta.title, meta.organ, meta.year) == ("某某市文化局2014年政府信息公开工作年度报告", "某某市文化局", 2014)


def test_the_statistics_period_gives_the_year_when_the_title_does_not():
    meta = detect_metadata("某县人民政府政府信息公开工作年度报告\n"
                           "本报告中所列数据统计期限自2022年1月1日起至2022年12月31日止。")
    assert meta.year == 2022


def test_the_statistics_period_wins_over_a_wrong_title_and_says_so():
    meta = detect_metadata("某县人民政府2024年政府信息公开工作年度报告\n统计期限自2023年1月1日起至2023年12月31日止。")
    assert meta.year == 2023 and "year_conflict" in checks(meta)


def test_the_publication_date_is_never_the_year():
    meta = detect_metadata("某县人民政府政府信息公开工作年度报告\n正文\n2024年3月10日")
    assert meta.year is None and "year_missing" in checks(meta)


def test_a_portal_title_hint_loses_its_site_suffix():
    meta = detect_metadata("正文", "海东市人民政府2023年政府信息公开工作年度报告_海东市人民政府门户网站")
    assert meta.title == "海东市人民政府2023年政府信息公开工作年度报告"


@pytest.mark.parametrize("column", ["政府信息公开年报", "年度报告", "政府信息公开工作年度报告"])
def test_a_portal_title_hint_loses_the_column_named_after_reports(column):
    meta = detect_metadata("正文", f"海东市人民政府2023年政府信息公开工作报告_{column}_海东市人民政府门户网站")
    assert meta.title == "海东市人民政府2023年政府信息公开工作报告"


def test_a_title_hint_keeps_a_report_title_the_separator_cuts():
    meta = detect_metadata("正文", "海东市人民政府—2023年政府信息公开工作年度报告")
    assert meta.title == "海东市人民政府—2023年政府信息公开工作年度报告"


def test_overrides_win():
    meta = detect_metadata("海东市人民政府2023年政府信息公开工作年度报告", given=ReportIdentity("350111", "某局", 2022))
    assert (meta.year, meta.jurisdiction_code, meta.jurisdiction_name, meta.organ) == (2022, "350111", "晋安区", "某局")


def test_an_unknown_division_code_is_an_error():
    assert "jurisdiction_invalid" in checks(detect_metadata("x", given=ReportIdentity("999999")))


def test_what_cannot_be_found_is_null_with_a_reason():
    meta = detect_metadata("没有标题的文字")
    assert (meta.title, meta.organ, meta.year, meta.jurisdiction_code) == (None, None, None, None)
    assert checks(meta) == ["jurisdiction_missing", "organ_missing", "title_missing", "year_missing"]


def test_an_organ_without_a_place_has_no_jurisdiction():
    meta = detect_metadata("国家税务总局2023年政府信息公开工作年度报告")
    assert meta.jurisdiction_code is None and "jurisdiction_missing" in checks(meta)


ARCHIVE_HEADER = ("标题: {title}\n发布时间: 2024-03-10 15:35\n文号: \n发布机构: {organ}\n栏目: 政府信息公开年报\n"
                  "原文链接: https://www.example.gov.cn/zfxxgknb/202403/t20240310_1.htm\n"
                  "本地目录: zfxxgknb/202403/1_{title}\n==================== 正文 ====================\n")


def test_an_archive_header_gives_the_title_and_never_becomes_it():
    title = "海东市人民政府2023年政府信息公开工作年度报告"
    meta = detect_metadata(ARCHIVE_HEADER.format(title=title, organ="海东市人民政府办公室") + "本报告根据…编制。")
    assert (meta.title, meta.organ, meta.year, meta.jurisdiction_code) == (title, "海东市人民政府", 2023, "630200")


def test_the_archive_headers_publishing_organ_stands_in_when_the_title_names_none():
    meta = detect_metadata(ARCHIVE_HEADER.format(title="2023年政府信息公开工作年度报告", organ="海东市人民政府办公室"))
    assert meta.organ == "海东市人民政府办公室" and meta.jurisdiction_code == "630200"


def test_header_lines_without_a_title_key_are_not_titles():
    text = "原文链接: https://example.gov.cn/a.htm\n本地目录: 2023/海东市人民政府2023年政府信息公开工作年度报告\n正文"
    assert detect_metadata(text).title is None


@pytest.mark.parametrize("organ, zone, code", [
    ("平潭综合实验区", "平潭综合实验区", "350128"),
    ("平潭综合实验区管委会办公室", "平潭综合实验区", "350128"),
    ("横琴粤澳深度合作区执行委员会", "横琴粤澳深度合作区", "440400"),
    ("雄安新区管理委员会", "雄安新区", "130600"),
])
def test_a_zone_of_the_table_is_keyed_to_its_division_and_says_so(organ, zone, code):
    meta = detect_metadata(f"{organ}2023年政府信息公开工作年度报告")
    assert meta.jurisdiction_code == code
    assert [i.check for i in meta.issues if zone in i.message] == ["jurisdiction_inferred"]


@pytest.mark.parametrize("organ, code, word", [
    ("淮安经济技术开发区管理委员会", "320800", "开发区"),
    ("成都高新技术产业开发区管理委员会", "510100", "开发区"),
    ("苏州工业园区管理委员会", "320500", "工业园区"),
])
def test_a_zone_outside_the_table_is_keyed_to_the_division_its_name_begins_with(organ, code, word):
    meta = detect_metadata(f"{organ}2023年政府信息公开工作年度报告")
    assert meta.jurisdiction_code == code
    assert [i.check for i in meta.issues if word in i.message] == ["jurisdiction_inferred"]


@pytest.mark.parametrize("organ", ["上海市浦东新区人民政府", "天津市滨海新区人民政府", "海东市人民政府"])
def test_a_division_whose_own_name_holds_a_zone_word_is_not_inferred(organ):
    meta = detect_metadata(f"{organ}2023年政府信息公开工作年度报告")
    assert meta.jurisdiction_code and "jurisdiction_inferred" not in checks(meta)


PLACES = ("海东市", "福州市晋安区")
DEPARTMENTS = (("公安局", "公安局"), ("教育局", "教育局"), ("发改委", "发展和改革委员会"),
               ("人社局", "人力资源和社会保障局"))


def full_name_in(where: str, organ: str) -> str:
    """A report body naming its organ in full only in one place: the archive header, the
    line above the title, or the signature before the closing date."""
    if where == "header":
        return ARCHIVE_HEADER.format(title="{title}", organ=organ) + "本报告根据…编制。\n"
    if where == "top":
        return f"{organ}\n{{title}}\n本报告根据…编制。\n"
    return f"{{title}}\n本报告根据…编制。\n{organ}\n2016年1月20日\n"


@pytest.mark.parametrize("where", ["header", "top", "signature"])
@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("bare, full", DEPARTMENTS)
@pytest.mark.parametrize("year_word", ["年度", "年", ""])
def test_a_title_naming_a_bare_department_takes_the_full_name_of_the_same_body(where, place, bare, full, year_word):
    title = f"{bare}2015{year_word}政府信息公开工作年度报告"
    meta = detect_metadata(full_name_in(where, f"{place}{full}").replace("{title}", title))
    assert (meta.title, meta.organ, meta.year) == (title, f"{place}{full}", 2015)


def test_a_full_name_of_another_body_is_not_taken_for_a_bare_department():
    meta = detect_metadata("公安局2015年度政府信息公开工作年度报告\n正文。\n海东市人民政府\n2016年1月20日\n")
    assert meta.organ == "公安局"


@pytest.mark.parametrize("code, place", [("630202", "乐都区"), ("350111", "晋安区")])
@pytest.mark.parametrize("bare", ["教育局", "卫生健康委员会"])
def test_a_bare_organ_is_qualified_with_the_place_of_its_portal(code, place, bare):
    meta = detect_metadata(f"{bare}2015年政府信息公开工作年度报告\n正文", listing=ReportIdentity(code))
    assert (meta.organ, meta.jurisdiction_code) == (f"{place}{bare}", code)


@pytest.mark.parametrize("kind", ["政府信息公开报告", "政务信息公开报告", "政务信息公开工作年度报告"])
@pytest.mark.parametrize("year_word", ["年度", "年"])
@pytest.mark.parametrize("lead", ["", "关于报送"])
def test_every_report_title_form_gives_organ_and_year(kind, year_word, lead):
    title = f"海东市教育局{lead}2013{year_word}{kind}"
    meta = detect_metadata(f"{title}\n正文")
    assert (meta.title, meta.organ, meta.year) == (title, "海东市教育局", 2013)


def test_a_bare_department_the_listing_names_is_qualified_with_the_listings_place():
    meta = detect_metadata("2015年政府信息公开工作年度报告\n正文", listing=ReportIdentity("630202", "教育局", 2015))
    assert (meta.organ, meta.jurisdiction_code, meta.year) == ("乐都区教育局", "630202", 2015)


def test_a_bare_department_the_listing_names_takes_the_documents_full_name_of_it():
    text = full_name_in("signature", "海东市乐都区教育局").replace("{title}", "教育局2015年政府信息公开工作年度报告")
    assert detect_metadata(text, listing=ReportIdentity("630202", "教育局", 2015)).organ == "海东市乐都区教育局"


def test_the_listings_year_is_used_and_a_document_reading_another_is_a_year_conflict():
    text = "某县人民政府2023年政府信息公开工作年度报告\n本报告统计期限自2022年1月1日起"
    meta = detect_metadata(text, listing=ReportIdentity(year=2023))
    assert meta.year == 2023 and "year_conflict" in checks(meta)


def test_a_listing_and_a_document_of_the_same_year_raise_no_year_conflict():
    meta = detect_metadata("某县人民政府2023年政府信息公开工作年度报告\n正文", listing=ReportIdentity(year=2023))
    assert meta.year == 2023 and "year_conflict" not in checks(meta)


def test_a_year_the_caller_gives_raises_no_year_conflict():
    meta = detect_metadata("某县人民政府2022年政府信息公开工作年度报告\n正文", given=ReportIdentity(year=2023))
    assert meta.year == 2023 and "year_conflict" not in checks(meta)
