"""The demo portal's sites as data: pages by path, generated from a seed number.

Each site is a real jurisdiction's annual-report column in one of the CMS styles seen
on government portals (their markup is in samples/cms.py):

- `trs`: `index.html`, `index_1.html`… with the page count written into a
  `createPageHTML(count, …)` script; detail pages `YYYYMM/tYYYYMMDD_N.html` holding the
  report inline or linking a PDF; `trs-shtml`: `list.shtml`, `list_1.shtml`… paged by
  `createPageHTML('page_div', count, current, 'list', 'shtml', total)`; `trs-countpage`:
  `var countPage = N` with a `document.write` pager;
- `hanweb`: a jpage column `/col/colN/index.html` whose first group of records sits in a
  `<datastore>` in a script; further groups only through POSTs to `dataproxy.jsp`,
  answered with XML; GBK declared in the HTTP header; detail pages `/art/…` linking PDF
  or DOCX attachments;
- `fujian`: page 1 static, further pages through the `/fjdzapp/search` list API that
  `listModel({...})` configures (a POST answering JSON); detail pages show the report as
  text and bind its full-fidelity PDF (全真版) by an `ms-attr-href`;
- `gkmlpt`: a script shell `/gkmlpt/annualreport#2629` with the site's SID; the items come
  from the JSON API `/gkmlpt/api/all/2629?page=N&sid=SID`;
- `plain`: `list.html`, `list_2.html` reached only by 下一页, GBK declared nowhere, links
  straight to the attachments.

Every column lists the template reports of 2019–2024 and, below them (so on later list
pages, API pages and Hanweb groups), legacy reports of 2015–2018 as real ones came: TRS
articles inline, attachments elsewhere (PDF, DOCX, or text on plain columns), with the
统计表 or in prose only, worded differently from report to report (samples/legacy.py).
Columns also list what is not a report (工作要点, 指南), and the demo's traps sit on fixed
sites: a path robots.txt disallows, a slow page, a page that fails with a 500 before it answers, a
broken link, an off-domain link, a redirect, a report listed on two list pages, and a
department's report as a Word 97-2003 .doc damaged in transfer. Two generated reports
misprint a figure (MISPRINTS), so the checks have inconsistencies to find; the seed report,
given (`xxgk.config.seed_report`: ../shared beside a checkout), stands as 海东市's 2023
report with its own defects.
A county (`split`) lays its 信息公开 page out as many real ones do: the annual reports
split into linked sub-columns 政府年报 / 部门年报 / 乡镇（街道）年报 under a heading
信息公开年报 that links nowhere, its departments' and towns' reports each titled with their
organ, and no robots.txt (it answers 404). One home page lists some of the other portals
in a jump menu (`<select>` of `<option value="http://…">`) rather than in anchors.
Documents are rendered when first asked for (DOCX takes about a second), then kept.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from html import escape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from xxgk.samples import cms
from xxgk.samples.figures import ReportSpec, random_report
from xxgk.samples.layout import Layout, Traits, build_layout
from xxgk.samples.legacy import LegacySpec, build_legacy_layout, random_legacy, without_cumulative
from xxgk.samples.render import SUFFIX, render_layout

YEARS = tuple(range(2019, 2025))        # reports in the national template
LEGACY_YEARS = tuple(range(2015, 2019))  # reports before it (format legacy), on every site
PUBLISHED = date(2024, 1, 15)            # when the template reports were posted (in their URLs)
PER_PAGE = 4
LAST_MODIFIED = "Mon, 15 Jan 2024 08:00:00 GMT"

# (organ, jurisdiction code, style); a province, a prefecture and a county in three provinces.
SITES = (
    ("青海省人民政府", "630000", "trs"),
    ("海东市人民政府", "630200", "hanweb"),
    ("海东市乐都区人民政府", "630202", "plain"),
    ("浙江省人民政府", "330000", "hanweb"),
    ("杭州市人民政府", "330100", "trs-shtml"),
    ("杭州市西湖区人民政府", "330106", "trs-countpage"),
    ("四川省人民政府", "510000", "plain"),
    ("成都市人民政府", "510100", "gkmlpt"),
    ("成都市武侯区人民政府", "510107", "fujian"),
)
_ENTRY = {"trs": "/zwgk/xxgkndbg/index.html", "trs-shtml": "/zwgk/xxgkndbg/list.shtml",
          "trs-countpage": "/zwgk/xxgkndbg/index.html", "hanweb": "/col/col1229/index.html",
          "fujian": "/zwgk/zfxxgk/zfxxgknb/", "gkmlpt": "/gkmlpt/annualreport#2629", "plain": "/xxgk/ndbg/list.html"}
_CHARSET = {"hanweb": "gbk", "plain": "gbk"}  # the others are UTF-8
_KINDS = {"trs": ("html", "pdf"), "hanweb": ("pdf", "docx"), "plain": ("pdf", "docx"), "fujian": ("pdf",),
          "gkmlpt": ("pdf", "docx")}
# Legacy reports came as TRS articles inline, elsewhere as attachments (plain columns also
# posted bare text files).
_LEGACY_KINDS = {"trs": ("html",), "hanweb": ("pdf", "docx"), "plain": ("pdf", "text"), "fujian": ("pdf",),
                 "gkmlpt": ("pdf", "docx")}
_TRS_PAGERS = {"trs": ("createPageHTML", "index", "html"), "trs-shtml": ("createPageHTML6", "list", "shtml"),
               "trs-countpage": ("countPage", "index", "html")}
# The settings real columns carry: Hanweb's column, unit and web ids, Fujian's channel and
# document-search channel, gkmlpt's site id and category.
HANWEB_COLUMN, HANWEB_UNIT, HANWEB_WEB = 1229, 5891, 63
FUJIAN_CHANNEL, FUJIAN_SEARCH = 1813, 200210
GKMLPT_SID, GKMLPT_CATEGORY = 757, 2629
_CONTENT_TYPES = {".html": "text/html", ".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8",
                  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
# A Word 97-2003 file damaged in transfer, as portals serve some: the OLE2 signature, then
# sectors that hold no directory.
DAMAGED_WORD_97_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 16
_NOT_REPORTS = ("{year}年政府信息公开工作要点", "政府信息公开指南（{year}年修订）",
                "关于做好{year}年政务公开工作的通知")
# Counties whose annual reports are split into sub-columns (organ, jurisdiction code), and
# the sub-columns: (name, folder, publishers: None for the government itself, years).
SPLIT_SITES = (("海东市平安区人民政府", "630203"),)
SPLIT_COLUMNS = (("政府年报", "zfnb", (None,), (2022, 2023, 2024)),
                 ("部门年报", "bmnb", ("海东市平安区统计局", "海东市平安区教育局"), (2024,)),
                 ("乡镇（街道）年报", "xznb", ("海东市平安区小峡镇人民政府", "海东市平安区平安街道办事处"), (2024,)))


@dataclass
class Page:
    """One resource: its bytes (made on first request), content type, and behaviour."""

    content_type: str
    make: Callable[[], bytes]
    behaviour: str | None = None      # slow | flaky | redirect:<path> | missing
    _body: bytes | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def body(self) -> bytes:
        with self._lock:
            if self._body is None:
                self._body = self.make()
            return self._body


@dataclass(frozen=True)
class DemoReport:
    """A report the demo serves; `spec` holds the figures its document states: a
    `ReportSpec` for a template report, a `LegacySpec` for one before the template (without
    running totals where it prints no statistics table), None for the seed report and for
    the damaged Word 97-2003 .doc, which the pipeline records as unreadable."""

    organ: str
    jurisdiction_code: str
    year: int
    kind: str
    page_path: str        # the detail page, or the list entry for a direct attachment
    document_path: str
    spec: ReportSpec | LegacySpec | None


@dataclass
class Site:
    organ: str
    jurisdiction: str
    style: str
    charset: str
    entry: str
    pages: dict[str, Page] = field(default_factory=dict)      # by path (with the query, for APIs)
    reports: list[DemoReport] = field(default_factory=list)
    robots: str | None = "User-agent: *\nDisallow:\n"   # None: the site has no robots.txt (404)
    # Form POSTs (Hanweb's dataproxy.jsp, Fujian's list API) by path: (query, form) → answer
    posts: dict[str, Callable[[dict[str, str], dict[str, str]], Page]] = field(default_factory=dict)
    # Where the annual reports are split: (name, path) of each sub-column, the first one the entry
    columns: tuple[tuple[str, str], ...] = ()

    @property
    def family(self) -> str:
        return self.style.split("-")[0]


def build_sites(seed: int = 2024, seed_report: Path | None = None,
                sites: tuple[tuple[str, str, str], ...] = SITES,
                legacy_years: tuple[int, ...] = LEGACY_YEARS,
                split_sites: tuple[tuple[str, str], ...] | None = None) -> list[Site]:
    """Every site of `sites` (organ, jurisdiction code, style), deterministic from `seed`,
    each publishing the template reports of YEARS and legacy reports of `legacy_years`.
    The sites do not know their address: links are relative, so the same sites can be
    served on any ports. The traps sit on the default sites' jurisdictions. Each site's
    legacy reports draw on a generator of their own, so the template reports' figures do
    not depend on which legacy years are published. `split_sites` (organ, code) are
    counties with split report columns: SPLIT_SITES beside the default sites, else none."""
    rng = random.Random(seed)
    built = [_site(organ, code, style, rng, seed_report, random.Random(f"{seed}/{code}/legacy"), legacy_years)
             for organ, code, style in sites]
    if split_sites is None:
        split_sites = SPLIT_SITES if sites is SITES else ()
    return built + [split_site(organ, code, random.Random(f"{seed}/{code}/split")) for organ, code in split_sites]


def _site(organ: str, code: str, style: str, rng: random.Random, seed_report: Path | None,
          legacy_rng: random.Random, legacy_years: tuple[int, ...]) -> Site:
    site = Site(organ, code, style, _CHARSET.get(style, "utf-8"), _ENTRY[style])
    previous: ReportSpec | None = None
    items: list[tuple[str, str]] = []  # (title, href relative to the column), newest first
    for number, year in enumerate(YEARS, start=1):
        previous = random_report(rng, organ=organ, year=year, jurisdiction_code=code, previous=previous)
        spec = misprinted(previous)
        kind = rng.choice(_KINDS[site.family])
        if code == "630200" and year == 2023 and seed_report and seed_report.is_file():
            items.insert(0, _report_pages(site, None, year, number, "text", seed_report.read_bytes))
            continue
        traits = Traits(vertical_group_labels=rng.random() < 0.3, wrapped_labels=rng.random() < 0.3)
        items.insert(0, _report_pages(site, spec, year, number, kind, _renderer(partial(build_layout, spec, traits),
                                                                                 kind, site)))
    for year in (2024, 2022):
        items.insert(rng.randint(0, len(items)),
                     (rng.choice(_NOT_REPORTS).format(year=year), _detail(site, 90 + year % 10)))
        site.pages[_path(site, _detail(site, 90 + year % 10))] = _html_page(site, "通知", "<p>工作安排。</p>")
    items += _legacy_reports(site, legacy_years, len(YEARS) + 1, legacy_rng)
    _traps(site, items)
    _list_pages(site, items)
    site.pages["/"] = _home_page(site, [])
    folder = site.entry.split("#")[0].rsplit("/", 2)[0] or ""
    site.pages.setdefault(f"{folder}/index.html", _html_page(
        site, "信息公开", f'<a href="{site.entry}">政府信息公开年报</a> <a href="{folder}/zn.html">信息公开指南</a>'))
    _robots_page(site)
    return site


def _robots_page(site: Site) -> None:
    if site.robots is not None:
        robots = site.robots.encode()
        site.pages["/robots.txt"] = Page("text/plain", lambda: robots)


def split_site(organ: str, code: str, rng: random.Random) -> Site:
    """A county whose 信息公开 page splits the annual reports into linked sub-columns under
    a heading that links nowhere (SPLIT_COLUMNS); each report an HTML detail page titled
    with its publisher; no robots.txt."""
    folder = "/xxgk"
    columns = tuple((name, f"{folder}/{path}/list.html") for name, path, _, _ in SPLIT_COLUMNS)
    site = Site(organ, code, "split", "utf-8", columns[0][1], robots=None, columns=columns)
    number = 0
    for (name, path, publishers, years), (_, entry) in zip(SPLIT_COLUMNS, columns, strict=True):
        items: list[cms.Item] = []
        for publisher in publishers:
            publisher_organ = publisher or organ
            specs: dict[int, ReportSpec] = {}
            for year in sorted(years):  # each year's figures continue the year before's, as published
                specs[year] = random_report(rng, organ=publisher_organ, year=year, jurisdiction_code=code,
                                            previous=specs.get(year - 1))
            for year in sorted(years, reverse=True):
                number += 1
                spec = specs[year]
                detail = f"{folder}/{path}/content_{number:04d}.html"
                site.pages[detail] = Page("text/html", _renderer(partial(build_layout, spec, Traits()), "html", site))
                site.reports.append(DemoReport(publisher_organ, code, year, "html", detail, detail, spec))
                items.append((f"{publisher_organ}{year}年政府信息公开工作年度报告", f"content_{number:04d}.html",
                              f"{year + 1}-03-15"))
        site.pages[entry] = _html_page(site, name, f'<ul class="list">\n{cms.list_items(items)}\n</ul>')
    site.pages[f"{folder}/index.html"] = _html_page(site, "政府信息公开", _split_menu(columns, folder))
    for page, title in (("zn", "政府信息公开指南"), ("zd", "政府信息公开制度"), ("fdzdgknr", "法定主动公开内容"),
                        ("jgzn", "机构职能")):
        site.pages[f"{folder}/{page}.html"] = _html_page(site, title, f"<p>{title}。</p>")
    site.pages["/"] = _home_page(site, [])
    return site


def _split_menu(columns: tuple[tuple[str, str], ...], folder: str) -> str:
    """A 信息公开 page's menu as real county portals write it: each group's heading an `<a
    class="a1">`, the annual reports' heading without a link, its sub-columns below it."""
    subs = "".join(f'<li><a href="{escape(path)}" target="_blank">{escape(name)}</a></li>' for name, path in columns)
    return (f'<div class="xxgk-menu"><ul>'
            f'<li><a class="a1" href="{folder}/zn.html">政府信息公开指南</a></li>'
            f'<li><a class="a1" href="{folder}/zd.html">政府信息公开制度</a></li>'
            f'<li><a class="a1">信息公开年报</a><ul class="sub">{subs}</ul></li>'
            f'<li><a class="a1" href="{folder}/fdzdgknr.html">法定主动公开内容</a>'
            f'<ul class="sub"><li><a href="{folder}/jgzn.html">机构职能</a></li></ul></li>'
            f'</ul></div>')


def link_sites(sites: list[Site], addresses: list[str]) -> None:
    """Each site's home page links the others, at their addresses, as government portals
    link their superior and subordinate governments' portals (政府网站 blocks, footers)."""
    for site in sites:
        others = [(other.organ, address) for other, address in zip(sites, addresses, strict=True) if other is not site]
        site.pages["/"] = _home_page(site, others)


def _home_page(site: Site, others: list[tuple[str, str]]) -> Page:
    folder = site.entry.split("#")[0].rsplit("/", 2)[0] or ""
    anchored, menu = (others[::2], others[1::2]) if site.jurisdiction == "630000" else (others, [])
    links = " ".join(f'<a href="{escape(address)}/" target="_blank" title="{escape(organ)}">{escape(organ)}</a>'
                     for organ, address in anchored)
    return _html_page(site, "首页", f'<a href="{folder}/index.html">信息公开</a> <a href="/news/">要闻</a>'
                                    f'<div class="links">政府网站：{links}{_jump_menu(menu)}</div>')


def _jump_menu(others: list[tuple[str, str]]) -> str:
    """A jump menu of portals, as provincial portals list their cities' and counties'."""
    if not others:
        return ""
    options = "".join(f'<option value="{escape(address)}/">{escape(organ)}</option>' for organ, address in others)
    return (f'<select onchange="if(this.value){{window.open(this.value)}}">'
            f'<option value="">市州政府网站（请选择）</option>{options}</select>')


def _legacy_reports(site: Site, years: tuple[int, ...], first_number: int, rng: random.Random) -> list[tuple[str, str]]:
    """The site's reports before the template, each posted in March of the next year; with
    the statistics table or in prose only, the wording and the table's rows varying from
    report to report as they did between publishers. Returns their list items, newest first."""
    items: list[tuple[str, str]] = []
    for number, year in enumerate(sorted(years), start=first_number):
        spec = random_legacy(rng, organ=site.organ, year=year, jurisdiction_code=site.jurisdiction)
        table = rng.random() < 0.7
        layout = partial(build_legacy_layout, spec, table=table, phrasing=rng.randrange(3),
                         parts_apart=table and rng.random() < 0.3)
        kind = rng.choice(_LEGACY_KINDS[site.family])
        stated = spec if table else without_cumulative(spec)
        items.insert(0, _report_pages(site, stated, year, number, kind, _renderer(layout, kind, site),
                                      date(year + 1, 3, 20)))
    return items


def _report_pages(site: Site, spec: ReportSpec | LegacySpec | None, year: int, number: int, kind: str,
                  make: Callable[[], bytes], published: date = PUBLISHED) -> tuple[str, str]:
    """The report's document, made by `make` (and its detail page, unless the style links
    documents directly); returns its list item."""
    title = _report_title(site, year)
    detail = _detail(site, number, published)
    suffix = SUFFIX[kind]
    document = detail if kind == "html" else f"{_attachment_dir(site, published)}P0{year}0115{number:03d}{suffix}"
    site.pages[_path(site, document)] = Page(_CONTENT_TYPES[suffix] if kind != "html" else _html_type(site), make)
    if site.style == "fujian":
        body = cms.fujian_detail(title, f"{title}全文见全真版。", _relative(site, document, detail))
        site.pages[_path(site, detail)] = _html_page(site, title, body)
    elif kind != "html" and site.style != "plain":
        link = f'<p>附件：<a href="{_relative(site, document, detail)}">{escape(title)}{suffix}</a></p>'
        site.pages[_path(site, detail)] = _html_page(site, title, f"<p>{escape(title)}已发布，详见附件。</p>{link}")
    site.reports.append(DemoReport(site.organ, site.jurisdiction, year, kind, _path(site, detail),
                                   _path(site, document), spec))
    return title, detail if site.style != "plain" else document


def _renderer(layout: Callable[[], Layout], kind: str, site: Site) -> Callable[[], bytes]:
    """The document, laid out and rendered when first asked for (HTML in the site's charset)."""
    options = {"charset": site.charset} if kind == "html" else {}
    return lambda: render_layout(layout(), kind, **options)


def _traps(site: Site, items: list[tuple[str, str]]) -> None:
    """The fixed traps of the demo, each on one site."""
    if site.jurisdiction == "330000":  # robots.txt disallows a draft column
        site.robots = "User-agent: *\nDisallow: /col/internal/\n"
        items.insert(1, ("2021年政府信息公开工作年度报告（征求意见稿）", "/col/internal/art_1.html"))
        site.pages["/col/internal/art_1.html"] = _html_page(site, "内部", "<p>不应被抓取。</p>")
    if site.jurisdiction == "330100":  # a slow detail page, and a link to another domain
        _report_page(site, 2021).behaviour = "slow"
        items.insert(2, ("国务院办公厅2023年政府信息公开工作年度报告", "http://www.gov.cn/zhengce/2024-03/ndbg.html"))
    if site.jurisdiction == "510100":  # a 500 before each answer (every other request)
        _report_page(site, 2022).behaviour = "flaky"
    if site.jurisdiction == "510000":  # a broken link titled as a report; a department's .doc
        items.insert(3, (f"{site.organ}2020年政府信息公开工作年度报告（补充说明）", "P0missing.pdf"))
        doc = "files/P020230301001.doc"
        site.pages[_path(site, doc)] = Page("application/msword", lambda: DAMAGED_WORD_97_DOC)
        site.reports.append(DemoReport("四川省统计局", site.jurisdiction, 2023, "doc", _path(site, doc),
                                       _path(site, doc), None))
        items.insert(5, ("四川省统计局2023年政府信息公开工作年度报告", doc))
    if site.jurisdiction == "630000":  # the 2022 report listed twice; the 2020 one behind a redirect
        items.insert(PER_PAGE + 1, next(item for item in items if "2022年" in item[0]))
        old = "old/t2020_report.html"
        index = next(i for i, item in enumerate(items) if "2020年" in item[0])
        site.pages[_path(site, old)] = Page("text/html", bytes, behaviour="redirect:" + _path(site, items[index][1]))
        items[index] = (items[index][0], old)


# Figures misprinted as publishers misprint them, on fixed sites and years: (jurisdiction,
# year) → the cell and what is added to the figure the report publishes. Each breaks
# identities the checks catch (a row's total, the results' sum), so the demo shows findings
# of its own; the manifest holds the figures as published.
MISPRINTS: dict[tuple[str, int], tuple[tuple[str, str, str], int]] = {
    ("330100", 2022): (("applications", "granted", "natural_person"), 10),
    ("510100", 2021): (("applications", "total_processed", "total"), 1),
}


def misprinted(spec: ReportSpec) -> ReportSpec:
    """The report as published: its figures, with the misprint planted in it, if any."""
    misprint = MISPRINTS.get((spec.jurisdiction_code, spec.year))
    if misprint is None:
        return spec
    cell, added = misprint
    return spec.with_values({cell: (spec.values[cell] or 0) + added})


def _report_page(site: Site, year: int) -> Page:
    report = next(r for r in site.reports if r.year == year)
    return site.pages[report.page_path]


def _list_pages(site: Site, items: list[tuple[str, str]]) -> None:
    """The column's pages, in the family's way: static pages with a pager; Hanweb's first
    group embedded and the rest answered by dataproxy.jsp; Fujian's page 1 and its list
    API; gkmlpt's shell and its JSON API."""
    dated = [(title, href, f"{2024 - n // PER_PAGE}-0{n // PER_PAGE + 1}-15") for n, (title, href) in enumerate(items)]
    pages = [dated[i:i + PER_PAGE] for i in range(0, len(dated), PER_PAGE)]
    if site.family == "hanweb":
        _hanweb_pages(site, dated)
    elif site.family == "fujian":
        _fujian_pages(site, dated, pages)
    elif site.family == "gkmlpt":
        site.pages["/gkmlpt/annualreport"] = _html_page(site, "政府信息公开年报", cms.gkmlpt_shell(GKMLPT_SID))
        for number, chunk in enumerate(pages, start=1):
            answer = cms.gkmlpt_answer(chunk, len(dated))
            site.pages[cms.gkmlpt_api(GKMLPT_CATEGORY, GKMLPT_SID, number)] = Page("application/json",
                                                                                 partial(bytes, answer))
    else:
        for number, chunk in enumerate(pages):
            body = f'<ul class="list">\n{cms.list_items(chunk)}\n</ul>\n{_pager(site, number, len(pages), len(dated))}'
            site.pages[_list_path(site, number)] = _html_page(site, "政府信息公开年报", body)


def _hanweb_pages(site: Site, dated: list[cms.Item]) -> None:
    """The first group in the column page; the province declares its record count in the
    jpage call, the prefecture does not (the crawler then asks group after group)."""
    settings = (HANWEB_COLUMN, HANWEB_UNIT, HANWEB_WEB, site.organ)
    total = len(dated) if site.jurisdiction.endswith("0000") else None
    body = cms.hanweb_column(dated[:PER_PAGE], *settings, per_page=PER_PAGE // 2, total=total)
    site.pages[site.entry] = _html_page(site, "政府信息公开年报", body)

    def answer(query: dict[str, str], form: dict[str, str]) -> Page:
        try:
            start, end = int(query["startrecord"]), int(query["endrecord"])
        except (KeyError, ValueError):
            start, end = 1, 0
        ours = (form.get("columnid"), form.get("unitid"), form.get("webid")) == tuple(map(str, settings[:3]))
        chosen = dated[max(start, 1) - 1:min(end, len(dated))] if ours else []
        data = cms.hanweb_answer(chosen, *settings)
        return Page("text/xml;charset=UTF-8", lambda: data)

    site.posts[cms.HANWEB_PROXY] = answer


def _fujian_pages(site: Site, dated: list[cms.Item], pages: list[list[cms.Item]]) -> None:
    body = cms.fujian_list(pages[0], FUJIAN_CHANNEL, FUJIAN_SEARCH, len(dated), PER_PAGE)
    site.pages[site.entry] = _html_page(site, "政府信息公开年报", body)

    def answer(query: dict[str, str], form: dict[str, str]) -> Page:
        number = int(form["page"]) if form.get("page", "").isdigit() else 1
        ours = (form.get("channelid"), form.get("classsql")) == (str(FUJIAN_SEARCH), f"chnlid={FUJIAN_CHANNEL}")
        chosen = pages[number - 1] if ours and 1 <= number <= len(pages) else []
        folder = site.entry.rsplit("/", 1)[0]
        rows = [(title, href if href.startswith(("/", "http")) else f"{folder}/{href.removeprefix('./')}", date)
                for title, href, date in chosen]
        data = cms.fujian_answer(rows, len(pages), len(dated))
        return Page("application/json;charset=UTF-8", lambda: data)

    site.posts[cms.FUJIAN_API] = answer


def _pager(site: Site, number: int, count: int, total: int) -> str:
    if site.jurisdiction in _PAGER_FORMS:
        return _pager_form(site, number, count, total)
    if site.family == "trs":
        variant, name, ext = _TRS_PAGERS[site.style]
        return cms.trs_pager(variant, count, number, name, ext, total)
    return f'<div class="pager"><a href="list_{number + 2}.html">下一页</a></div>' if number + 1 < count else ""


# The wordings and pager forms real columns mix, each on a site of its own: a title
# template ({organ}, {year}, {cn_year}: the year in Chinese digits) by jurisdiction, and
# the pager by jurisdiction (a static pager printing the column's size, or TRS's Pager
# object). The other sites keep the common wording and their family's pager.
_TITLE_WORDINGS = {
    "630200": "{organ}{year}年度政府信息公开报告",
    "630202": "{organ}{year}政府信息公开工作年度报告",        # a year without 年
    "510000": "{year}年度{organ}政务信息公开报告",            # the organ after the year
    "330106": "{organ}{cn_year}年政府信息年度报告",           # Chinese digits, no 公开
    "510100": "{organ}{year}年政府信息公开年报",
    "510107": "{organ} {year}年度 信息公开工作总结报告",       # spaces
}
_PAGER_FORMS = {"630202": ("static", "empire"), "510000": ("static", "records"), "630000": ("trs", "Pager")}
_CN_DIGITS = "〇一二三四五六七八九"


def _report_title(site: Site, year: int) -> str:
    wording = _TITLE_WORDINGS.get(site.jurisdiction, "{organ}{year}年政府信息公开工作年度报告")
    return wording.format(organ=site.organ, year=year, cn_year="".join(_CN_DIGITS[int(d)] for d in str(year)))


def _pager_form(site: Site, number: int, count: int, total: int) -> str:
    """The site's own pager form: static pagers number their pages from 1 (`list.html`,
    `list_2.html`…), TRS's Pager object from 0."""
    family, variant = _PAGER_FORMS[site.jurisdiction]
    _, name, ext = _TRS_PAGERS.get(site.style, ("", "list", "html"))
    if family == "trs":
        return cms.trs_pager(variant, count, number, name, ext)
    return cms.static_pager(variant, number + 1, count, total, name, ext)


def _list_path(site: Site, number: int) -> str:
    folder = site.entry.rsplit("/", 1)[0]
    if site.family == "trs":
        _, name, ext = _TRS_PAGERS[site.style]
        return f"{folder}/{name}{f'_{number}' if number else ''}.{ext}"
    return f"{folder}/list{f'_{number + 1}' if number else ''}.html"


def _detail(site: Site, number: int, published: date = PUBLISHED) -> str:
    """A detail page's href relative to the column, in the style's URL scheme (dated by
    the day the page was posted where the scheme is)."""
    if site.family == "trs":
        return f"{published:%Y%m}/t{published:%Y%m%d}_{number:04d}.{_TRS_PAGERS[site.style][2]}"
    if site.family == "fujian":
        return f"./{published:%Y%m}/t{published:%Y%m%d}_{number:04d}.htm"
    if site.family == "hanweb":
        return f"/art/{published.year}/{published.month}/{published.day}/art_1229_{number:04d}.html"
    if site.family == "gkmlpt":
        return f"/gkmlpt/content/0/{number}/post_{number:04d}.html"
    return f"content_{number:04d}.html"


def _attachment_dir(site: Site, published: date) -> str:
    """Where the style keeps attachments: TRS and Fujian beside their dated detail page."""
    return {"trs": f"{published:%Y%m}/", "fujian": f"{published:%Y%m}/", "hanweb": "/attach/0/",
            "gkmlpt": "/attachment/0/", "plain": "files/"}[site.family]


def answer_post(site: Site, path: str, form: dict[str, str]) -> Page | None:
    """The answer to a form POST to `path` (with its query), or None where nothing answers."""
    parts = urlsplit(path)
    handler = site.posts.get(parts.path)
    return handler(dict(parse_qsl(parts.query)), form) if handler else None


def _path(site: Site, href: str) -> str:
    """The site path of an href relative to the column."""
    return href if href.startswith("/") else site.entry.rsplit("/", 1)[0] + "/" + href.removeprefix("./")


def _relative(site: Site, document: str, detail: str) -> str:
    """The attachment's href as written on its detail page (absolute paths stay absolute)."""
    if document.startswith("/"):
        return document
    return document.rsplit("/", 1)[-1] if "/" in detail and not detail.startswith("/") else document


def _html_type(site: Site) -> str:
    return "text/html; charset=GBK" if site.family == "hanweb" else "text/html"


def _html_page(site: Site, title: str, body: str) -> Page:
    meta = '<meta charset="utf-8">' if site.charset == "utf-8" else ""
    html = (f"<!DOCTYPE html><html><head>{meta}<title>{escape(title)}_{escape(site.organ)}</title></head><body>"
            f'<div class="header">{escape(site.organ)}门户网站</div><div class="nav"><a href="/">首页</a> '
            f'{_nav_column(site)}</div><div class="content">{body}</div></body></html>')
    data = html.encode(site.charset)
    return Page(_html_type(site), lambda: data)


def _nav_column(site: Site) -> str:
    """The navigation's link to the annual-report column; a site whose reports are split
    has no one column to link."""
    return "" if site.columns else f'<a href="{escape(site.entry)}">政府信息公开年报</a>'
