"""A small warehouse for the site's tests, made from figures: a city's reports over three
years (the last with a granted total that does not add up) and two legacy ones before
them (2017 with its statistics table, 2018 in prose only), a district's report as a PDF
(so cells have pages), and the seed report when ../shared is beside the repository."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path

from tests.shared import SEED
from xxgk.extractors.extract import extract
from xxgk.samples.figures import ReportSpec, random_report
from xxgk.samples.legacy import LegacySpec, build_legacy_layout, random_legacy, without_cumulative
from xxgk.samples.render import render, render_layout
from xxgk.schemas.identity import ReportIdentity
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.load import DocumentInfo, load_extraction

BROKEN_GRANTED = 99999
CITY, DISTRICT = "330100", "510107"


@dataclass
class SiteWarehouse:
    path: str
    city: list[ReportSpec]  # 2020 (2019 template), 2021, 2022 (granted total broken)
    district: ReportSpec
    legacy: list[LegacySpec]  # the city's 2017 (statistics table) and 2018 (prose only)

    @property
    def broken(self) -> ReportSpec:
        return self.city[-1]

    def key(self, spec: ReportSpec | LegacySpec) -> str:
        return ReportIdentity(spec.jurisdiction_code, spec.organ, spec.year).key


def city_reports() -> list[ReportSpec]:
    rng, specs = random.Random(7), []
    for year in (2020, 2021, 2022):
        specs.append(random_report(rng, organ="杭州市人民政府", year=year, jurisdiction_code=CITY,
                                   previous=specs[-1] if specs else None))
    specs[-1] = specs[-1].with_values({("applications", "granted", "total"): BROKEN_GRANTED})
    return specs


def load(path: str, spec: ReportSpec, kind: str = "html") -> None:
    with open_warehouse(path) as con:
        load_extraction(con, extract(render(spec, kind), f"report.{kind}"),
                        DocumentInfo(url=f"https://www.example.gov.cn/{spec.jurisdiction_code}/{spec.year}.{kind}"))


def legacy_reports() -> list[LegacySpec]:
    """2017's applications exceed the sum of their channels by five this year (a legacy_channels
    warning); their running totals add up."""
    rng = random.Random(9)
    table = random_legacy(rng, organ="杭州市人民政府", year=2017, jurisdiction_code=CITY)
    (year, cumulative), (online, online_cumulative) = (table.figures[key] for key in
                                                       ("applications_total", "applications_online"))
    table = replace(table, figures={**table.figures, "applications_total": (year + 5, cumulative + 5),
                                    "applications_online": (online, online_cumulative + 5)})
    return [table, without_cumulative(random_legacy(rng, organ="杭州市人民政府", year=2018, jurisdiction_code=CITY))]


def load_legacy(path: str, spec: LegacySpec) -> None:
    layout = build_legacy_layout(spec, table=spec.value("reviews", "cumulative") is not None)
    with open_warehouse(path) as con:
        load_extraction(con, extract(render_layout(layout, "html"), "report.html"),
                        DocumentInfo(url=f"https://www.example.gov.cn/{spec.jurisdiction_code}/{spec.year}.html"))


def make_warehouse(folder: Path) -> SiteWarehouse:
    path = str(folder / "warehouse.lake")
    city, older = city_reports(), legacy_reports()
    for spec in older:
        load_legacy(path, spec)
    district = random_report(random.Random(8), organ="成都市武侯区人民政府", year=2021, jurisdiction_code=DISTRICT)
    for spec in city:
        load(path, spec)
    load(path, district, "pdf")
    if SEED.exists():
        with open_warehouse(path) as con:
            load_extraction(con, extract(SEED.read_bytes(), SEED.name))
    return SiteWarehouse(path, city, district, older)


def built_site(warehouse: SiteWarehouse, out: Path) -> Path:
    """The site of `warehouse`, built into `out`."""
    from xxgk.publish.build import build_site

    with open_warehouse(warehouse.path, read_only=True) as con:
        build_site(con, out)
    return out
