"""Finding reports on a portal's pages: which links are reports, which are further list
pages, and where a detail page keeps the report.

Portals are built on a few CMS families (crawler/families.py), recognised from the page,
so generic rules cover most of them: a report link is recognised by its title (the scored
reading of schemas/titles.py: a year, a disclosure phrase, a report noun, no cue of a plan,
guide, budget or notice), in the `title` attribute or the anchor text (which lists
truncate); further pages are the family's requests (TRS page
counts, Hanweb dataproxy POSTs, Fujian and gkmlpt list APIs) or 下一页 and numbered links;
a detail page's report is an attachment (PDF, Word, WPS, text) if it links one or binds
one by script, else the page itself. A portal's profile replaces a rule with an XPath or
a pattern where the generic one fails, or names the family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from xxgk.crawler.families import Item, PageRequest, anchor_titles, hrefs, parse_html, read_page
from xxgk.crawler.registry import Profile
from xxgk.schemas.charset import decode_page
from xxgk.schemas.divisions import codes_named, division_names, jurisdiction_code
from xxgk.schemas.identity import ReportIdentity
from xxgk.schemas.titles import normal_title, report_title

_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|wps|txt|xlsx?|ofd)$", re.IGNORECASE)
# How the names of government bodies end: 人民政府, 统计局, 发展和改革委员会, 办公厅, 街道办事处…
_ORGAN_ENDINGS = ("政府", "局", "委员会", "委", "厅", "办公室", "办", "院", "部", "署", "会", "中心", "处", "所", "馆",
                  "站", "队", "街道", "镇", "乡", "公司", "集团")
# How the names of places end: a title led by one is that place's government's report.
PLACE_ENDINGS = ("省", "自治区", "市", "区", "县", "旗", "盟", "州", "实验区", "新区", "特别行政区")
_ITEM_TITLE_CHARS = 8  # an anchor titled this long is a list item, not navigation
# Where a detail page binds its full-fidelity attachment by script (Fujian's 全真版 PDF…).
_BINDING_ATTRIBUTES = frozenset({"ms-attr-href", "data-href", "data-url", "data-file", "data-src", "data-download"})
_SCRIPT_FILE = re.compile(r"[\"']([^\"'\s<>]{1,300}\.(?:pdf|docx?|wps|ofd))[\"']", re.IGNORECASE)


@dataclass(frozen=True)
class ReportLink:
    title: str
    year: int
    url: str
    named: str | None = None   # the organ or place the title names (schemas/titles.py)

    @property
    def prefix(self) -> str:
        return self.named or ""

    @property
    def organ(self) -> str | None:
        """The organ the title names (四川省统计局2023年…), if it names one:
        a government's column often lists its departments' reports too, and each is the
        department's own report, not the government's."""
        prefix = self.prefix
        return prefix if 2 <= len(prefix) <= 40 and prefix.endswith(_ORGAN_ENDINGS) else None

    @property
    def place(self) -> str | None:
        """The place a place-led title names (鄂尔多斯市2019年…): its government's report,
        which a column may repost from another jurisdiction."""
        prefix = self.prefix
        return prefix if 2 <= len(prefix) <= 20 and not self.organ and prefix.endswith(PLACE_ENDINGS) else None


def credit(link: ReportLink, code: str, organ: str) -> ReportIdentity:
    """Whose report a listed link is, by the listing alone, given the portal's jurisdiction
    (`code`) and organ: a department keeps its own name as the title gives it (and its
    place's code where its name leads with a division); a place-led title names its own
    jurisdiction, matched to a division, and its government; anything else is the
    portal's. The year is the title's. A department the title names without its place
    stays bare here: the document may name it in full, and settling the identity
    (schemas/identity.py) qualifies it with the jurisdiction's place where it does not."""
    named_jurisdiction, named_organ = named(link, code)
    if link.organ:
        return ReportIdentity(named_jurisdiction or code, link.organ, link.year)
    if named_jurisdiction and named_jurisdiction != code:
        return ReportIdentity(named_jurisdiction, named_organ or organ, link.year)
    return ReportIdentity(code, organ, link.year)


def named(link: ReportLink, near: str = "") -> tuple[str | None, str | None]:
    """The jurisdiction code and organ a title names by itself (None where it names
    none); of divisions sharing a name, the one nearest `near`."""
    if link.organ:
        return place_code(link.organ, near), link.organ
    if link.place:
        code = place_code(link.place, near)
        return code, link.place + "人民政府" if code else None
    return None, None


def place_code(name: str, near: str) -> str | None:
    """The division a name leads with; of divisions sharing a name, the one nearest the
    portal's (same prefecture, else same province)."""
    code = jurisdiction_code(name)
    if not code:
        return None
    same_name = codes_named(division_names()[code])
    for width in (4, 2):
        nearby = [c for c in same_name if c[:width] == near[:width]]
        if nearby:
            return nearby[0]
    return code


@dataclass(frozen=True)
class Listing:
    family: str
    reports: list[ReportLink]
    others: list[tuple[str, str]]    # (title, URL) of the list items that are not reports
    next: list[PageRequest]
    declared_total: int | None = None
    declared_pages: int | None = None


def page_text(body: bytes, charset: str | None) -> str:
    """A page's text in whatever charset it is in, declared or not."""
    return decode_page(body, charset)[0]


def listing(text: str, url: str, profile: Profile = Profile(), request: PageRequest | None = None) -> Listing:
    """The report links, the count of other list items, and the further list pages of one
    listing page or API answer (`request`, when it was one, says which)."""
    request = request or PageRequest(url)
    family, page = read_page(text, request, profile.max_pages, profile.family)
    items, following = page.items, page.next
    if profile.list_item or profile.next_page:
        root = parse_html(text, url)
        if profile.list_item:
            items = [Item(anchor_titles(a), href) for a, href in hrefs(root.xpath(profile.list_item), url)]
        if profile.next_page:
            following = [PageRequest(href) for _, href in hrefs(root.xpath(profile.next_page), url)]
    reports: dict[str, ReportLink] = {}
    others: dict[str, str] = {}
    for item in items:
        link = _report_link(item)
        if link:
            reports.setdefault(link.url, link)
        elif item.titles and len(normal_title(item.titles[0])) >= _ITEM_TITLE_CHARS:
            others.setdefault(item.url, normal_title(item.titles[0]))
    following = [r for r in following if r.url not in reports or r.method != "GET"]
    return Listing(family, list(reports.values()), [(t, u) for u, t in others.items() if u not in reports], following,
                   page.declared_total, page.declared_pages)


def report_document(html: str, url: str, profile: Profile = Profile()) -> str | None:
    """The attachment a detail page keeps its report in (the one titled as a report when
    there are several), or None when the report is the page itself. Attachments bound by
    script count too (Fujian's 全真版 PDF in an `ms-attr-href`, a `data-` attribute, a
    script variable): they hold the full-fidelity report the page's text only copies."""
    root = parse_html(html, url)
    attachments = [(anchor.text_content().strip(), href) for anchor, href in hrefs(root.iter("a"), url)
                   if is_attachment(href, profile)]
    attachments += [(label, href) for label, href in _bound_attachments(root, url) if is_attachment(href, profile)]
    if not attachments:
        return None
    titled = [href for text, href in attachments if "报告" in text or "年报" in text or "全真" in text]
    return (titled or [href for _, href in attachments])[0]


def _bound_attachments(root, url: str) -> list[tuple[str, str]]:
    """(label, URL) of attachments a page binds by attribute or script rather than href."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower() in _BINDING_ATTRIBUTES:
                found.append(((element.text_content() or "").strip(), value))
    for script in root.iter("script"):
        found += [("", literal) for literal in _SCRIPT_FILE.findall(script.text or "")]
    return [(label, urljoin(url, value.strip("'\" "))) for label, value in found
            if value.strip("'\" ") and "{" not in value]


def is_attachment(url: str, profile: Profile = Profile()) -> bool:
    if profile.attachment:
        return re.search(profile.attachment, url) is not None
    return _ATTACHMENT.search(urlsplit(url).path) is not None


def _report_link(item: Item) -> ReportLink | None:
    for title in item.titles:
        if (reading := report_title(title)) and reading.year is not None:  # a report's title has a year
            return ReportLink(reading.title, reading.year, item.url, reading.organ)
    return None
