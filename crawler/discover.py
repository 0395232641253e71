"""Finding reports on a portal's pages: which links are reports, which are further list
pages, and where a detail page keeps the report.

Portals are built on a few CMS families, so generic rules cover most of them: a report
link is recognised by its title (a year, 政府信息公开, 年度报告/年报/工作报告), in the
anchor text or, where the text is truncated with an ellipsis, the `title` attribute;
pagination is a 下一页 link, numbered page links (`index_2.html`, `?page=2`, `list_2`),
or the page count TRS sites write into a `createPageHTML(count, current, "index",
"html")` script; a detail page's report is an attachment (PDF, Word, WPS, text) if it
links one, else the page itself. A portal's profile replaces a rule with an XPath or a
pattern where the generic one fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html

from xxgk.crawler.registry import Profile
from xxgk.schemas.charset import decode_page

_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_REPORT = re.compile(r"政府信息公开.*?(?:年度报告|年报|工作报告)|信息公开工作年度报告")
_NEXT_TEXT = re.compile(r"^\s*(?:下一页|下页|后一页|next|›|»|>)\s*$", re.IGNORECASE)
_NUMBERED = re.compile(r"(?:index|list|default)_\d+\.s?html?$|[?&](?:page|pageNum|pageNo|pageIndex|p)=\d+", re.IGNORECASE)
_TRS_PAGES = re.compile(r"createPageHTML\(\s*(\d{1,12})\s*,\s*(\d+)\s*,\s*[\"'](\w+)[\"']\s*,\s*[\"'](\w+)[\"']")
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|wps|txt|xlsx?|ofd)$", re.IGNORECASE)
# How the names of government bodies end: 人民政府, 统计局, 发展和改革委员会, 办公厅, 街道办事处…
_ORGAN_ENDINGS = ("政府", "局", "委员会", "委", "厅", "办公室", "办", "院", "部", "署", "会", "中心", "处", "所", "馆",
                  "站", "队", "街道", "镇", "乡", "公司", "集团")
_COLUMN_TEXT = re.compile(r"^(?:政府)?信息公开(?:工作)?年(?:度报告|报)$")
_DISCLOSURE_TEXT = re.compile(r"^(?:政府)?信息公开$")


@dataclass(frozen=True)
class ReportLink:
    title: str
    year: int
    url: str

    @property
    def organ(self) -> str | None:
        """The organ the title names before its year (四川省统计局2023年…), if it names one:
        a government's column often lists its departments' reports too, and each is the
        department's own report, not the government's."""
        year = _YEAR.search(self.title)
        prefix = self.title[:year.start()].strip("【】[]（）() ") if year else ""
        return prefix if 2 <= len(prefix) <= 40 and prefix.endswith(_ORGAN_ENDINGS) else None


@dataclass(frozen=True)
class Listing:
    reports: list[ReportLink]
    next_pages: list[str]


def report_year(title: str) -> int | None:
    """The reporting year of a link title that names an annual report, else None."""
    title = re.sub(r"\s+", "", title)
    if not _REPORT.search(title):
        return None
    year = _YEAR.search(title)
    return int(year.group(1)) if year else None


def page_text(body: bytes, charset: str | None) -> str:
    """A page's text in whatever charset it is in, declared or not."""
    return decode_page(body, charset)[0]


def listing(html: str, url: str, profile: Profile = Profile()) -> Listing:
    """The report links and the further list pages of one list page."""
    root = _parse(html, url)
    anchors = root.xpath(profile.list_item) if profile.list_item else root.iter("a")
    reports, seen = [], set()
    for anchor in anchors:
        link = _report_link(anchor, url)
        if link and link.url not in seen:
            seen.add(link.url)
            reports.append(link)
    return Listing(reports, _next_pages(root, html, url, profile, seen))


def report_document(html: str, url: str, profile: Profile = Profile()) -> str | None:
    """The attachment a detail page keeps its report in (the one titled as a report when
    there are several), or None when the report is the page itself."""
    root = _parse(html, url)
    attachments = [(anchor.text_content().strip(), href) for anchor, href in _hrefs(root.iter("a"), url)
                   if is_attachment(href, profile)]
    if not attachments:
        return None
    titled = [href for text, href in attachments if "报告" in text or "年报" in text]
    return (titled or [href for _, href in attachments])[0]


def is_attachment(url: str, profile: Profile = Profile()) -> bool:
    if profile.attachment:
        return re.search(profile.attachment, url) is not None
    return _ATTACHMENT.search(urlsplit(url).path) is not None


def column_links(html: str, url: str) -> tuple[list[str], list[str]]:
    """For `portals add`: links to an annual-report column (信息公开年报 and its variants),
    and links to 信息公开 pages, where the column usually is when it is not on this page."""
    root = _parse(html, url)
    columns, disclosure = [], []
    for anchor, href in _hrefs(root.iter("a"), url):
        text = re.sub(r"\s+", "", anchor.text_content() or anchor.get("title") or "")
        if _COLUMN_TEXT.match(text) and href not in columns:
            columns.append(href)
        elif _DISCLOSURE_TEXT.match(text) and href not in disclosure:
            disclosure.append(href)
    return columns, disclosure


def _parse(html: str, url: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html or "<html></html>", base_url=url)


def _hrefs(anchors, url: str):
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if href and not href.lower().startswith(("javascript:", "mailto:", "#")):
            yield anchor, urldefrag(urljoin(url, href))[0]


def _report_link(anchor, url: str) -> ReportLink | None:
    for _, href in _hrefs([anchor], url):
        for title in (anchor.get("title") or "", anchor.text_content() or ""):
            year = report_year(title)
            if year:
                return ReportLink(re.sub(r"\s+", "", title), year, href)
    return None


def _next_pages(root, html: str, url: str, profile: Profile, reports: set[str]) -> list[str]:
    if profile.next_page:
        return [href for _, href in _hrefs(root.xpath(profile.next_page), url)]
    found: list[str] = []
    for anchor, href in _hrefs(root.iter("a"), url):
        text = (anchor.text_content() or "").strip()
        if href in reports or href == url:
            continue
        if _NEXT_TEXT.match(text) or (text.isdigit() and _NUMBERED.search(href)):
            found.append(href)
    trs = _TRS_PAGES.search(html)
    if trs:
        # the count is the page's word: capped before any URL is made from it
        count, name, ext = min(int(trs.group(1)), profile.max_pages), trs.group(3), trs.group(4)
        found += [urljoin(url, name + (f"_{i}" if i else "") + "." + ext) for i in range(count)]
    origin = urlsplit(url).netloc
    return list(dict.fromkeys(u for u in found if urlsplit(u).netloc == origin and u != url))
