"""Coverage and quality of areas (provinces, prefectures) per year, as heatmap marks.

Coverage: the share of an area's divisions with at least one report that year
(placeholder divisions such as 市辖区 publish nothing and are not counted). Quality: the
share of the area's reports with at least one error finding.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from xxgk.publish.charts import Mark
from xxgk.publish.queries import Report
from xxgk.schemas.divisions import Division


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    members: frozenset[str]  # division codes whose reports count for the area


def provinces(divisions: dict[str, Division]) -> list[Area]:
    members: dict[str, set[str]] = defaultdict(set)
    for d in divisions.values():
        if not d.placeholder:
            members[d.province_code].add(d.code)
    return [Area(d.code, d.name, frozenset(members[d.code])) for d in divisions.values() if d.level == "province"]


def prefectures(divisions: dict[str, Division], province_code: str) -> list[Area]:
    """The province's own government, then each prefecture with the counties under it."""
    inside = [d for d in divisions.values() if d.province_code == province_code]
    areas = [Area(province_code, f"{divisions[province_code].name}（省级）", frozenset({province_code}))]
    for prefecture in (d for d in inside if d.level == "prefecture"):
        members = {d.code for d in inside if prefecture.code in (d.code, d.parent_code) and not d.placeholder}
        label = f"{divisions[province_code].name}{prefecture.name}" if prefecture.placeholder else prefecture.name
        areas.append(Area(prefecture.code, label, frozenset(members)))
    direct = {d.code for d in inside if d.level == "county" and d.parent_code == province_code and not d.placeholder}
    if direct:
        areas.append(Area(f"{province_code}-direct", "省直辖县级", frozenset(direct)))
    return areas


def _area_of(areas: Sequence[Area]) -> dict[str, str]:
    return {code: area.key for area in areas for code in area.members}


def coverage_marks(areas: Sequence[Area], reports: Iterable[Report], years: Sequence[int]
                   ) -> dict[tuple[str, int], Mark]:
    area_of = _area_of(areas)
    covered: dict[tuple[str, int], set[str]] = defaultdict(set)
    for report in reports:
        if report.jurisdiction_code in area_of:
            covered[(area_of[report.jurisdiction_code], report.year)].add(report.jurisdiction_code)
    marks = {}
    for area in areas:
        for year in years:
            count, total = len(covered[(area.key, year)]), len(area.members)
            share = count / total if total else None
            marks[(area.key, year)] = Mark(share, "" if share is None else f"{share:.0%}",
                                           f"{area.label} {year}: {count}/{total} 个地区有年报")
    return marks


def quality_marks(areas: Sequence[Area], reports: Iterable[Report], years: Sequence[int]
                  ) -> dict[tuple[str, int], Mark]:
    area_of = _area_of(areas)
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for report in reports:
        if report.jurisdiction_code in area_of:
            tally = counts[(area_of[report.jurisdiction_code], report.year)]
            tally[0] += 1
            tally[1] += report.errors > 0
    marks = {}
    for (key, year), (total, with_errors) in counts.items():
        label = next(a.label for a in areas if a.key == key)
        share = with_errors / total
        marks[(key, year)] = Mark(share, f"{share:.0%}", f"{label} {year}: {with_errors}/{total} 份年报有错误")
    return marks
