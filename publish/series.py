"""Figures of a set of reports summed per year: what a jurisdiction's, a province's or the
nation's time series show. Shares are taken of the summed figures (a province's granted
share is its granted requests over its processed requests), never averaged across reports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from xxgk.publish.charts import series
from xxgk.publish.queries import Figures, Report


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    share: bool


MEASURES = (
    Measure("received", "本年新收申请", False),
    Measure("granted_share", "予以公开（含部分公开）占比", True),
    Measure("denied_share", "不予公开占比", True),
    Measure("carried_forward", "结转下年度继续办理", False),
    Measure("reviews", "行政复议", False),
    Measure("lawsuits", "行政诉讼", False),
)


@dataclass(frozen=True)
class YearFigures:
    year: int
    reports: int
    values: dict[str, float | None]


def _sum(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _ratio(part: float | None, whole: float | None) -> float | None:
    return None if part is None or not whole else part / whole


def by_year(reports: Iterable[Report], figures: dict[str, Figures], years: Sequence[int]) -> list[YearFigures]:
    grouped: dict[int, list[Figures]] = {year: [] for year in years}
    for report in reports:
        grouped.setdefault(report.year, []).append(figures.get(report.key, Figures()))
    result = []
    for year in years:
        rows = grouped[year]
        total = {name: _sum(getattr(f, name) for f in rows) for name in Figures.__dataclass_fields__}
        result.append(YearFigures(year, len(rows), {
            "received": total["received"],
            "granted_share": _ratio(total["granted"], total["processed"]),
            "denied_share": _ratio(total["denied"], total["processed"]),
            "carried_forward": total["carried_forward"],
            "reviews": total["reviews"],
            "lawsuits": total["lawsuits"],
        }))
    return result


def charts(rows: Sequence[YearFigures], subject: str) -> list[tuple[Measure, Markup]]:
    years = [r.year for r in rows]
    return [(m, series(years, [r.values[m.key] for r in rows], share=m.share, caption=f"{subject} · {m.label}"))
            for m in MEASURES]


def shown(value: float | None, share: bool) -> str:
    if value is None:
        return "—"
    return f"{value:.1%}" if share else f"{value:,.0f}"
