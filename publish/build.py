"""Building the site from the warehouse, incrementally.

A build reads the warehouse through one read-only connection (a consistent snapshot, so
it can run while loads go on) and writes into the output folder. The folder keeps a
manifest of what the last build saw: each report's extraction time and files, and a
fingerprint of the site's code and templates. The next build rewrites only the pages of
reports that are new, re-extracted, or gone (and every report of the same organ, whose
pages link each other and whose cross-year findings move together), their jurisdictions'
and provinces' pages, and the national page, the search index, the data dictionary and
the national list of findings, which are always cheap.
A change in the site's code rebuilds everything. The manifest is written last, so an
interrupted build is simply redone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from markupsafe import Markup

from xxgk.publish import charts, coverage, legacy, paths, queries, reference, series
from xxgk.publish.downloads import Sheet, template_sheets, write_downloads
from xxgk.publish.pages import render, report_page
from xxgk.publish.queries import Report
from xxgk.publish.tables import lay_out
from xxgk.publish.tiles import SHORT_NAMES
from xxgk.schemas.catalog import TEMPLATE_2021, TEMPLATES, template_for_year
from xxgk.schemas.divisions import Division
from xxgk.schemas.errors import XxgkError
from xxgk.schemas.legacy import LEGACY

_PACKAGE = Path(__file__).parent


class SiteUnwritable(XxgkError):
    """The output folder cannot be written (permissions, a file in the way, a full disk)."""


@dataclass(frozen=True)
class BuildSummary:
    full: bool
    reports: int  # report pages written
    jurisdictions: int
    provinces: int
    removed: int
    seconds: float

    def line(self) -> str:
        """What `xxgk site` prints."""
        kind = "full build" if self.full else "incremental build"
        return (f"{kind}: {self.reports} report pages, {self.jurisdictions} jurisdiction pages, "
                f"{self.provinces} province pages written, {self.removed} reports removed, in {self.seconds:.1f} s")


@dataclass(frozen=True)
class _Warehouse:
    """What every page of a build reads: the whole warehouse minus the report details."""

    divisions: dict[str, Division]
    reports: list[Report]
    figures: dict[str, queries.Figures]
    years: list[int]
    built_at: str
    browse_url: str | None

    def province_of(self, code: str) -> str:
        division = self.divisions.get(code)
        return division.province_code if division else code[:2] + "0000"

    def name_of(self, code: str) -> str:
        division = self.divisions.get(code)
        return division.name if division else code


@dataclass(frozen=True)
class _Plan:
    """What a build writes and removes, from the last build's manifest."""

    full: bool
    reports: list[Report]  # report pages to write
    gone: dict[str, list]  # manifest entries of reports no longer in the warehouse
    jurisdictions: set[str]  # jurisdiction pages to write
    emptied: set[str]  # jurisdictions whose last report is gone: their pages are removed
    provinces: set[str]


def build_site(con: duckdb.DuckDBPyConnection, out_dir: str | Path, *, since: datetime | None = None,
               browse_url: str | None = None) -> BuildSummary:
    """Write or update the site in `out_dir`. Reports extracted after `since` (naive UTC,
    as `reports.extracted_at`) are rewritten whatever the manifest says. With `browse_url`
    (where `xxgk serve` runs, "/" when it serves the site itself) the pages link their
    rows in Datasette."""
    started = time.perf_counter()
    out = Path(out_dir)
    all_reports = queries.reports(con)
    data = _Warehouse(queries.jurisdictions(con), all_reports, queries.figures(con),
                      _years(all_reports), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), browse_url)
    plan = _plan(_read_manifest(out), data, since)
    try:
        _write_site(con, out, data, plan)
    except OSError as error:
        raise SiteUnwritable(f"cannot write the site to {out}: {error.strerror or error}") from None
    return BuildSummary(plan.full, len(plan.reports), len(plan.jurisdictions), len(plan.provinces), len(plan.gone),
                        time.perf_counter() - started)


def _years(reports: list[Report]) -> list[int]:
    """Every year from the first report's to the last's: a series has no holes in its axis
    (a year without reports shows as one)."""
    years = {r.year for r in reports}
    return list(range(min(years), max(years) + 1)) if years else []


def _write_site(con: duckdb.DuckDBPyConnection, out: Path, data: _Warehouse, plan: _Plan) -> None:
    for _, stem, _ in plan.gone.values():
        for file in (out / stem).parent.glob(Path(stem).name + "*"):
            file.unlink()
    for code in plan.emptied:
        (out / paths.jurisdiction_page(code)).unlink(missing_ok=True)

    _write_assets(out, data)
    _write(out, paths.NATIONAL, _national(data))
    _write(out, paths.DICTIONARY, reference.dictionary_page(con, data.built_at, data.browse_url))
    _write(out, paths.FINDINGS, reference.findings_page(con, data.built_at, data.browse_url))
    _write(out, paths.FINDINGS_DATA, reference.findings_data(con))
    by_province: dict[str, list[Report]] = defaultdict(list)
    by_jurisdiction: dict[str, list[Report]] = defaultdict(list)
    for report in data.reports:
        by_province[data.province_of(report.jurisdiction_code)].append(report)
        by_jurisdiction[report.jurisdiction_code].append(report)
    for code in sorted(plan.provinces & set(data.divisions)):
        _write(out, paths.province_page(code), _province(data, code, by_province[code]))
    for code in sorted(plan.jurisdictions):
        _write(out, paths.jurisdiction_page(code), _jurisdiction(data, code, by_jurisdiction[code]))
    _write_reports(con, out, data, plan.reports, by_jurisdiction)
    _write_manifest(out, data, {r.key: [r.extracted_at.isoformat(), _stem(r), r.jurisdiction_code]
                                for r in data.reports})


def _plan(manifest: dict, data: _Warehouse, since: datetime | None) -> _Plan:
    full = manifest.get("version") != _code_version() or manifest.get("browse_url") != data.browse_url
    built: dict[str, list] = manifest.get("reports", {})
    previous = {} if full else built
    current = {r.key: r for r in data.reports}
    stale = {key for key, r in current.items()
             if previous.get(key, [None])[0] != r.extracted_at.isoformat() or (since and r.extracted_at > since)}
    stale_organs = {(current[key].jurisdiction_code, current[key].organ) for key in stale}
    reports = [r for r in data.reports if (r.jurisdiction_code, r.organ) in stale_organs]
    gone = {key: entry for key, entry in built.items() if key not in current}
    with_reports = {r.jurisdiction_code for r in data.reports}
    emptied = {code for _, _, code in gone.values()} - with_reports
    if full or manifest.get("years") != data.years:  # every time series has a new axis
        provinces = {c for c, d in data.divisions.items() if d.level == "province"}
        return _Plan(full, reports, gone, with_reports, emptied, provinces)
    touched = {r.jurisdiction_code for r in reports} | {code for _, _, code in gone.values()}
    return _Plan(full, reports, gone, touched & with_reports, emptied, {data.province_of(c) for c in touched})


# ── pages ───────────────────────────────────────────────────────────────────────────


def _stem(report: Report) -> str:
    return paths.report_stem(report.key, report.jurisdiction_code, report.year)


def _province_lines(data: _Warehouse) -> list[charts.Line]:
    return [charts.Line(d.code, SHORT_NAMES.get(d.code, d.name), paths.province_page(d.code))
            for d in data.divisions.values() if d.level == "province"]


def _legends() -> dict[str, object]:
    return {"coverage_legend": charts.legend(charts.COVERAGE, "0%", "100% 地区有年报"),
            "quality_legend": charts.legend(charts.PROBLEMS, "0%", "100% 年报有错误")}


def _series_context(reports: list[Report], data: _Warehouse, subject: str) -> dict[str, object]:
    rows = series.by_year(reports, data.figures, data.years)
    return {"rows": rows, "charts": series.charts(rows, subject)}


def _national(data: _Warehouse) -> str:
    root = paths.root_of(paths.NATIONAL)
    areas = coverage.provinces(data.divisions)
    lines = [charts.Line(line.key, line.label, root + line.href if line.href else None)
             for line in _province_lines(data)]
    covered = coverage.coverage_marks(areas, data.reports, data.years)
    quality = coverage.quality_marks(areas, data.reports, data.years)
    latest = max(data.years, default=None)
    hrefs = {line.key: line.href for line in lines}

    def tiles(marks: dict[tuple[str, int], charts.Mark], palette: charts.Palette, caption: str) -> Markup:
        return charts.tile_map({key: mark for (key, year), mark in marks.items() if year == latest}, hrefs, palette,
                               f"{latest} 年{caption}")

    totals = {
        "reports": len(data.reports),
        "jurisdictions": len({r.jurisdiction_code for r in data.reports}),
        "organs": len({(r.jurisdiction_code, r.organ) for r in data.reports}),
        "years": f"{data.years[0]}–{data.years[-1]} 年" if data.years else "尚无年度",
        "errors": sum(r.errors for r in data.reports), "warnings": sum(r.warnings for r in data.reports),
    }
    return render(
        "national.html.j2", root=root, built_at=data.built_at, totals=totals, latest=latest,
        tiles=tiles(covered, charts.COVERAGE, "各省覆盖率"),
        quality_tiles=tiles(quality, charts.PROBLEMS, "各省有错误的年报占比"),
        coverage=charts.heatmap(lines, data.years, covered, charts.COVERAGE, "覆盖率：省份 × 年度"),
        quality=charts.heatmap(lines, data.years, quality, charts.PROBLEMS, "有错误的年报占比：省份 × 年度"),
        **_legends(), **_series_context(data.reports, data, "全国"))


def _province(data: _Warehouse, code: str, reports: list[Report]) -> str:
    page = paths.province_page(code)
    root = paths.root_of(page)
    areas = coverage.prefectures(data.divisions, code)
    reporting = {r.jurisdiction_code for r in reports}
    lines = [charts.Line(a.key, a.label, root + paths.jurisdiction_page(a.key) if a.key in reporting else None)
             for a in areas]
    counts: dict[str, int] = defaultdict(int)
    for report in reports:
        counts[report.jurisdiction_code] += 1
    places = [({"name": data.name_of(c), "href": paths.jurisdiction_page(c)}, n) for c, n in sorted(counts.items())]
    return render(
        "province.html.j2", root=root, built_at=data.built_at, province=data.divisions[code], reports=reports,
        jurisdictions=places,
        coverage=charts.heatmap(lines, data.years, coverage.coverage_marks(areas, reports, data.years),
                                charts.COVERAGE, f"{data.name_of(code)} 覆盖率"),
        quality=charts.heatmap(lines, data.years, coverage.quality_marks(areas, reports, data.years),
                               charts.PROBLEMS, f"{data.name_of(code)} 有错误的年报占比"),
        **_legends(), **_series_context(reports, data, data.name_of(code)))


def _jurisdiction(data: _Warehouse, code: str, reports: list[Report]) -> str:
    root = paths.root_of(paths.jurisdiction_page(code))
    organs: dict[str, dict[int, dict[str, object]]] = defaultdict(dict)
    for r in reports:
        organs[r.organ][r.year] = {"errors": r.errors, "title": r.title, "href": _stem(r) + ".html"}
    province = data.province_of(code)
    jurisdiction = data.divisions.get(code) or Division(code, reports[0].jurisdiction_name, "", None, province)
    return render(
        "jurisdiction.html.j2", root=root, built_at=data.built_at, jurisdiction=jurisdiction,
        province_name=data.name_of(province), province_href=paths.province_page(province), years=data.years,
        organs=sorted(organs.items()), **_series_context(reports, data, jurisdiction.name))


def _page_range(pages: set[int]) -> str:
    if not pages:
        return ""
    return str(min(pages)) if len(pages) == 1 else f"{min(pages)}–{max(pages)}"


def _write_reports(con: duckdb.DuckDBPyConnection, out: Path, data: _Warehouse, reports: list[Report],
                   by_jurisdiction: dict[str, list[Report]]) -> None:
    by_key = {r.key: r for r in reports}
    for key, detail in queries.details(con, list(by_key)):
        report = by_key[key]
        stem = _stem(report)
        if report.template == "legacy":
            tables, findings = legacy.lay_out(detail.cells, detail.findings)
            sheets = [Sheet(LEGACY, legacy.HEADING, *legacy.download_rows(detail.cells))]
        else:
            template = TEMPLATES.get(report.template or "") or template_for_year(report.year) or TEMPLATE_2021
            tables, findings = lay_out(template, detail.cells, detail.findings)
            sheets = template_sheets(template, detail.cells)
        (out / stem).parent.mkdir(parents=True, exist_ok=True)
        files = write_downloads(sheets, out / stem)
        downloads = [(f"{sheet.title} CSV", files[sheet.key].name) for sheet in sheets] + [("XLSX", files["xlsx"].name)]
        province = data.province_of(report.jurisdiction_code)
        siblings = sorted((r.year, paths.report_stem(r.key, r.jurisdiction_code, r.year) + ".html")
                          for r in by_jurisdiction[report.jurisdiction_code]
                          if r.organ == report.organ and r.key != key)
        _write(out, stem + ".html", report_page(
            findings, root=paths.root_of(stem), built_at=data.built_at, report=report, tables=tables,
            province_name=data.name_of(province), province_href=paths.province_page(province),
            jurisdiction_href=paths.jurisdiction_page(report.jurisdiction_code), other_years=siblings,
            source_is_link=(report.url or "").startswith(("http://", "https://")), downloads=downloads,
            browse=_browse_links(data.browse_url, key),
            pages=_page_range({c.page for c in detail.cells.values() if c.page is not None})))


def _browse_links(base: str | None, key: str) -> list[tuple[str, str]]:
    """The report's rows in Datasette, when it serves beside the site."""
    if base is None:
        return []
    return [("全部数字", paths.browse_link(base, "cells", report_key=key)),
            ("检查结果", paths.browse_link(base, "findings", report_key=key)),
            ("概要", paths.browse_link(base, "report_summary", report_key=key))]


# ── files ───────────────────────────────────────────────────────────────────────────


def _search_entries(data: _Warehouse) -> list[list[str]]:
    """[name, kind, page, context] for provinces, jurisdictions with reports and organs."""
    entries = [[d.name, "省份", paths.province_page(d.code), ""] for d in data.divisions.values()
               if d.level == "province"]
    codes = sorted({r.jurisdiction_code for r in data.reports})
    entries += [[data.name_of(c), "地区", paths.jurisdiction_page(c), data.name_of(data.province_of(c))] for c in codes]
    organs = sorted({(r.organ, r.jurisdiction_code) for r in data.reports})
    entries += [[organ, "机关", paths.jurisdiction_page(code), data.name_of(code)] for organ, code in organs]
    return entries


def _write_assets(out: Path, data: _Warehouse) -> None:
    (out / paths.STYLESHEET).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_PACKAGE / "assets" / "site.css", out / paths.STYLESHEET)
    index = json.dumps(_search_entries(data), ensure_ascii=False, separators=(",", ":"))
    _write(out, paths.SEARCH_INDEX, f"window.XXGK_SEARCH = {index};\n")


def _write(out: Path, relative: str, text: str) -> None:
    """Replace the file whole, so a reader never sees half a page."""
    target = out / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)


def _code_version() -> str:
    """A fingerprint of the site's code, templates and stylesheet."""
    digest = hashlib.sha256()
    for file in sorted(_PACKAGE.rglob("*")):
        if file.is_file() and file.suffix in (".py", ".j2", ".css"):
            digest.update(file.relative_to(_PACKAGE).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def _read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / paths.MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_manifest(out: Path, data: _Warehouse, reports: dict[str, list]) -> None:
    _write(out, paths.MANIFEST, json.dumps({"version": _code_version(), "browse_url": data.browse_url,
                                            "years": data.years, "reports": reports}, ensure_ascii=False))
