"""Place names to GB/T 2260 codes: the fast one-address lookup answers as cpca's public
`transform` does, over the family of names organs and titles carry."""

from __future__ import annotations

import cpca

from xxgk.schemas.divisions import division_names, divisions, locate

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
