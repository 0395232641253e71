"""Place names to GB/T 2260 codes: the fast one-address lookup answers as cpca's public
`transform` does, over the family of names organs and titles carry."""

from __future__ import annotations

import cpca

from xxgk.publish.coverage import prefectures
from xxgk.schemas.divisions import division_names, divisions, full_name, locate, places_named

SAMPLE = divisions()[::25]
OTHERS = ["海东市人民政府", "淮安市洪泽区人民政府", "平潭综合实验区", "某某县人民政府", "第1县人民政府", "国家统计局",
          ""]
NAMES = ([d.name for d in SAMPLE] + [f"{d.name}人民政府" for d in SAMPLE]
         + [f"{division_names()[d.province_code]}{d.name}人民政府办公室" for d in SAMPLE if d.level != "province"]
         + OTHERS)


def transformed(name: str) -> str | None:
    code = cpca.transform([name])["adcode"].iloc[0]
    return str(code)[:6] if isinstance(code, str) and code[:6] in division_names() else None


def test_locate_answers_as_cpca_transform_does():
    assert {name: locate(name) for name in NAMES} == {name: transformed(name) for name in NAMES}


def test_the_sample_covers_every_level_and_names_outside_any_division():
    located = [locate(name) for name in NAMES]
    assert {d.level for d in SAMPLE} == {"province", "prefecture", "county"}
    assert None in located and len(set(located)) > 100


def test_a_place_name_designates_its_division_with_or_without_parents_and_organ():
    assert [places_named(name) for name in ["海东市", "海东市人民政府", "西宁", "福州市鼓楼区",
                                           "福建省福州市鼓楼区人民政府", "南京鼓楼区", "海东市公安局", "630200"]] == [
        ("630200",), ("630200",), ("630100",), ("350102",), ("350102",), ("320106",), ("630200",), ("630200",)]


def test_a_name_divisions_share_designates_each_of_them():
    assert places_named("鼓楼区") == ("320106", "320302", "350102", "410204")
    assert places_named("吉林") == ("220000", "220200")


def test_a_name_that_is_no_division_designates_none_never_a_near_one():
    assert [places_named(name)
            for name in ["海东县", "海东县人民政府", "福州市朝阳区", "海南州", "某某县", "999999", ""]] == [()] * 7


def test_a_full_name_follows_the_province_and_city():
    assert ([full_name(code) for code in ["320106", "630000", "110105"]]
            == ["江苏省南京市鼓楼区", "青海省", "北京市朝阳区"])


def test_a_grouping_is_a_placeholder_and_the_site_counts_its_counties_under_the_province():
    by_code = {d.code: d for d in divisions()}
    assert by_code["500200"].placeholder and not by_code["500228"].placeholder  # 重庆市's 县, and a county in it
    area = next(a for a in prefectures(by_code, "500000") if a.key == "500200")
    assert area.label == "重庆市县" and "500200" not in area.members and "500228" in area.members
