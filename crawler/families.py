"""The CMS families government portals are built on, as data: how each is recognised on
a listing page, where its list items are, how its further pages are asked for, and what
size the column declares.

A family's further pages are requests, not just links (`PageRequest`): Hanweb's jpage
serves them to form POSTs on `dataproxy.jsp`, Fujian's platform and Guangdong's gkmlpt
through JSON list APIs. The crawler sends every request through the same fetcher, and
the request names the family whose rules read the answer.

- `gkmlpt` (Guangdong's 政府信息公开目录): the column page is a script shell; its `SID`
  and the category in the URL fragment (`/gkmlpt/annualreport#2629`) give the API
  `/gkmlpt/api/all/{category}?page=N&sid={SID}` → `{"total", "articles": [{"title", "url"}]}`.
- `hanweb` (大汉 jpage): list items are `<li>` fragments in the CDATA of `<record>`s of a
  `<datastore>` (in a `<script type="text/xml">`, or the whole answer of dataproxy.jsp);
  further groups of records are POSTs to dataproxy.jsp with `startrecord`/`endrecord`/
  `perpage` in the query and the column's settings (from the `<nextgroup>` link and the
  `jpage({...})` call) as the form.
- `fujian` (福建 unified platform, TRS with avalon.js): page 1 static; `listModel({...})`
  configures the list API (`/fjdzapp/search`, a form POST answering JSON `data`/`docs`).
- `trs` (TRS WCM and the templates that copied its pagers): static pages `index.html`,
  `index_1.html`… whose count a script declares: `createPageHTML(count, current, "index",
  "html")`, `createPageHTML('div', count, current, 'list', 'shtml', total)` (and the same
  with quoted numbers or a trailing record count), `var countPage = N` with a
  `document.write` pager, or `Pager({size: N, current: 0, prefix: 'index', suffix:
  'html'})`; only the pages after the current one are further pages.
- `static`: anything else; 下一页 links and numbered page links after the current page.

Static pagers print the column's size too, and every HTML family reads it where the
family's own script does not say: EmpireCMS `<a title="Total record"><b>99</b></a>`,
`共99条`, `记录数：99`, `共7页`, `页次：1/7`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import parse_qsl, unquote, urldefrag, urlencode, urljoin, urlsplit

import lxml.html

_NEXT_TEXT = re.compile(r"^\s*(?:下一页|下页|后一页|next|›|»|>)\s*$", re.IGNORECASE)
_NUMBERED = re.compile(r"(?:index|list|default)_\d+\.s?html?$|[?&](?:page|pageNum|pageNo|pageIndex|p)=\d+",
                       re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"(?:index|list|default)_(\d+)\.s?html?$|[?&](?:page|pageNum|pageNo|pageIndex|p)=(\d+)",
                          re.IGNORECASE)
# createPageHTML(…) in its forms: its arguments, each a number, a quoted word or a name.
_CREATE_PAGE = re.compile(r"createPageHTML\(((?:\s*(?:\"[\w-]*\"|'[\w-]*'|[\w-]+)\s*,){3,6}"
                          r"\s*(?:\"[\w-]*\"|'[\w-]*'|[\w-]+)\s*)\)")
_CALL_CHARS = 400  # a pager call is read within this many characters of its name
_CALLS = 10        # and only its first few mentions are looked at
_COUNT_PAGE = re.compile(r"\bvar\s+countPage\s*=\s*(\d+)")
_CURRENT_PAGE = re.compile(r"\bvar\s+currentPage\s*=\s*(\d+)")
_PAGER = re.compile(r"\bPager\(\s*\{([^{}]{0,500})\}\s*\)")
_TAGS = r"(?:\s|&nbsp;|<[^<>]{0,200}>){0,12}"  # markup a pager may set around its figures
_PAGER_TOTALS = (re.compile(r"title=[\"']Total\s*record[\"'][^<>]{0,200}>" + _TAGS + r"(\d{1,7})", re.IGNORECASE),
                 re.compile(r"共(?:有|计)?" + _TAGS + r"(\d{1,7})" + _TAGS + r"条"),
                 re.compile(r"(?:总记录数|记录总数|总条数|记录数|总记录)" + _TAGS + r"[:：]" + _TAGS + r"(\d{1,7})"))
_PAGER_PAGES = (re.compile(r"共" + _TAGS + r"(\d{1,6})" + _TAGS + r"页"),
                re.compile(r"页次" + _TAGS + r"[:：]?" + _TAGS + r"\d{1,6}" + _TAGS + r"/" + _TAGS + r"(\d{1,6})"))
_WRITTEN_NAME = re.compile(r"(\w{1,40})_[\"']\s*\+")
_WRITTEN_EXT = re.compile(r"\+\s*[\"']\.(s?html?)\b")
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.{0,200}?href=[\"']([^\"']{1,2000})[\"']", re.DOTALL)
_TOTAL_RECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|\btotalRecord\s*[:=]\s*['\"]?(\d+)", re.IGNORECASE)
_JPAGE_SETTING = re.compile(r"\b(perPage|groupSize|proxyUrl|columnid|unitid|webid|appid|webname|path|permissiontype)"
                            r"\s*:\s*['\"]?([^'\",}\s]*)")
_HANWEB_FORM = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname", "permissiontype")
_HANWEB_FIXED = {"col": "1", "appid": "1", "path": "/", "sourceContentType": "1", "permissiontype": "0"}
_HANWEB_PROXY = "/module/web/jpage/dataproxy.jsp"
_LIST_MODEL = re.compile(r"listModel\(\s*\{(.*?)\}\s*\)\s*;", re.DOTALL)
_LIST_MODEL_CHARS = 10_000  # a listModel({...}) configuration is read within this many characters
_GKMLPT_SID = re.compile(r"\bSID\s*[:=]\s*['\"]?(\d+)")
_FUJIAN_API = "/fjdzapp/search"
_MAX_ITEMS = 10_000  # list items read off one answer, at most


@dataclass(frozen=True)
class PageRequest:
    """A further listing page as the request that fetches it. `reads` names the family
    whose rules read the answer (None: recognise the family from the page itself)."""

    url: str
    method: str = "GET"
    form: tuple[tuple[str, str], ...] = ()
    reads: str | None = None
    declared: int | None = None   # the column's declared size, for an answer to know where it ends (not sent)

    def to_json(self) -> dict:
        return {"method": self.method, "url": self.url, "form": dict(self.form)}


@dataclass(frozen=True)
class Item:
    """A list item's link: the titles it carries (the `title` attribute first, where lists
    keep the full title they truncate in the text) and its absolute URL."""

    titles: tuple[str, ...]
    url: str


@dataclass
class Page:
    """What a family reads off one listing page or API answer."""

    items: list[Item] = field(default_factory=list)
    next: list[PageRequest] = field(default_factory=list)
    declared_total: int | None = None   # records the column says it holds
    declared_pages: int | None = None   # pages the column says it has


@dataclass(frozen=True)
class Family:
    """A CMS family: a detection rule, and a reader giving items and further requests."""

    name: str
    detects: Callable[[str, str], bool]
    read: Callable[[str, PageRequest, int], Page]


def read_page(text: str, request: PageRequest, max_pages: int, family: str | None = None) -> tuple[str, Page]:
    """The family of a page (the request's, the profile's, else the first that detects
    itself) and what it reads there. `max_pages` caps the pages a declared count generates."""
    chosen = _BY_NAME.get(request.reads or family or "") or next(f for f in FAMILIES if f.detects(text, request.url))
    return chosen.name, chosen.read(text, request, max_pages)


# ---------------------------------------------------------------- plain HTML lists

def html_items(root: lxml.html.HtmlElement, url: str) -> list[Item]:
    return [Item(anchor_titles(anchor), href) for anchor, href in islice(hrefs(root.iter("a"), url), _MAX_ITEMS)]


def hrefs(anchors, url: str, keep_fragment: bool = False):
    """(anchor, absolute URL) of the anchors that link somewhere; without the fragment,
    unless it is kept (a gkmlpt column's category is its fragment)."""
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if href and not href.lower().startswith(("javascript:", "mailto:", "#")):
            absolute = urljoin(url, href)
            yield anchor, absolute if keep_fragment else urldefrag(absolute)[0]


def parse_html(text: str, url: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(text or "<html></html>", base_url=url)


def anchor_titles(anchor) -> tuple[str, ...]:
    return tuple(t for t in ((anchor.get("title") or "").strip(), (anchor.text_content() or "").strip()) if t)


def linked_pages(root: lxml.html.HtmlElement, url: str) -> list[PageRequest]:
    """下一页 links and numbered page links on the same host, after this page: on the
    last page, the links back to the pages before it are not further pages."""
    here = page_number(url) or 0   # the unnumbered first page is 0
    found = [href for anchor, href in hrefs(root.iter("a"), url)
             if (_NEXT_TEXT.match(text := (anchor.text_content() or "").strip())
                 or (text.isdigit() and _NUMBERED.search(href)))
             and ((number := page_number(href)) is None or number > here)]
    return [PageRequest(u) for u in _same_host(found, url)]


def page_number(url: str) -> int | None:
    """The number a list page's URL gives it (`index_3.html`, `?page=3`), if it gives one."""
    found = _PAGE_NUMBER.search(urldefrag(url)[0])
    return int(found.group(1) or found.group(2)) if found else None


def _same_host(urls: list[str], url: str) -> list[str]:
    origin, here = urlsplit(url).netloc, urldefrag(url)[0]
    return list(dict.fromkeys(u for u in urls if urlsplit(u).netloc == origin and u != here))


def _read_static(text: str, request: PageRequest, max_pages: int) -> Page:
    root = parse_html(text, request.url)
    return Page(html_items(root, request.url), linked_pages(root, request.url), *pager_size(text))


def pager_size(text: str) -> tuple[int | None, int | None]:
    """The records and pages a static pager prints (the last of each: pagers close the list)."""
    totals = [int(m.group(1)) for pattern in _PAGER_TOTALS for m in pattern.finditer(text)]
    pages = [int(m.group(1)) for pattern in _PAGER_PAGES for m in pattern.finditer(text)]
    return (max(totals) if totals else None), (max(pages) if pages else None)


# ---------------------------------------------------------------- TRS WCM

def _detects_trs(text: str, url: str) -> bool:
    return "createPageHTML(" in text or _COUNT_PAGE.search(text) is not None or _PAGER.search(text) is not None


def _read_trs(text: str, request: PageRequest, max_pages: int) -> Page:
    page = _read_static(text, request, max_pages)
    pager = script_pager(text, request.url)
    if pager is None:
        return page
    count, current, name, ext, total = pager
    page.declared_pages = count
    page.declared_total = total if total is not None else page.declared_total
    pages = [urljoin(request.url, name + (f"_{i}" if i else "") + "." + ext)
             for i in range(current + 1, min(count, current + max_pages))]
    page.next = [PageRequest(u) for u in _same_host([r.url for r in page.next] + pages, request.url)]
    return page


def _mentions(text: str, name: str) -> Iterator[int]:
    """Where the first few mentions of `name` start (a page mentioning it endlessly costs no more)."""
    at = text.find(name)
    for _ in range(_CALLS):
        if at < 0:
            return
        yield at
        at = text.find(name, at + 1)


def script_pager(text: str, url: str) -> tuple[int, int, str, str, int | None] | None:
    """(pages, current page from 0, page name, extension, records or None) as a pager
    script declares them: `createPageHTML` in any of its forms, `Pager({...})`, or `var
    countPage` with a `document.write` pager (whose names are those of this page's URL
    where the script does not write them)."""
    calls = (_CREATE_PAGE.match(text, at, at + _CALL_CHARS) for at in _mentions(text, "createPageHTML("))
    for created in filter(None, calls):   # the function's own definition names no figures
        values = [value.strip().strip("\"'") for value in created.group(1).split(",")]
        if values and not values[0].isdigit():   # a div id first
            values = values[1:]
        numbers = [int(value) for value in values if value.isdigit()]
        words = [value for value in values if value and not value.isdigit()]
        if len(numbers) >= 2 and len(words) >= 2:
            return numbers[0], numbers[1], words[0], words[1], numbers[2] if len(numbers) > 2 else None
    if pager := _PAGER.search(text):
        settings = {key: value for key, value in re.findall(r"(\w+)\s*:\s*['\"]?([\w.-]*)", pager.group(1))}
        if settings.get("size", "").isdigit():
            current = settings.get("current", "0")
            return (int(settings["size"]), int(current) if current.isdigit() else 0, settings.get("prefix") or "index",
                    (settings.get("suffix") or "html").lstrip("."), None)
    if count_page := _COUNT_PAGE.search(text):
        stem, _, suffix = urlsplit(url).path.rsplit("/", 1)[-1].partition(".")
        written_name, written_ext = _WRITTEN_NAME.search(text), _WRITTEN_EXT.search(text)
        current = _CURRENT_PAGE.search(text)
        return (int(count_page.group(1)), int(current.group(1)) if current else 0,
                written_name.group(1) if written_name else (stem.split("_")[0] or "index"),
                written_ext.group(1) if written_ext else (suffix or "html"), None)
    return None


# ---------------------------------------------------------------- Hanweb jpage

def _detects_hanweb(text: str, url: str) -> bool:
    return "<datastore>" in text and ("<record>" in text or "<nextgroup>" in text)


def _read_hanweb(text: str, request: PageRequest, max_pages: int) -> Page:
    records = _records(text)
    fragment = lxml.html.fragment_fromstring("<div>" + "".join(records) + "</div>", base_url=request.url) \
        if records else None
    items = html_items(fragment, request.url) if fragment is not None else []
    total_match = _TOTAL_RECORD.search(text)
    total = int(next(g for g in total_match.groups() if g)) if total_match else None
    page = Page(items, declared_total=total)
    if request.method == "POST":
        page.next = _next_group(request, len(records), total or request.declared, max_pages)
    else:
        page.next = _first_groups(text, request.url, len(records), total, max_pages)
    return page


def _records(text: str) -> list[str]:
    """The CDATA of each `<record>`, found in one pass (no regex scanning ahead from every
    record of a page that never closes them)."""
    found = []
    for piece in text.split("<record>")[1:_MAX_ITEMS + 1]:
        start = piece.find("<![CDATA[")
        end = piece.find("]]>", start)
        if 0 <= start < end:
            found.append(piece[start + len("<![CDATA["):end])
    return found


def _first_groups(text: str, url: str, shown: int, total: int | None, max_pages: int) -> list[PageRequest]:
    """The groups after the one the column page embeds, as dataproxy.jsp POSTs built from
    the page's own settings: the `<nextgroup>` link's query, then `jpage({...})`, then the
    column id in the URL (`/col/col12377/`)."""
    settings = dict(_JPAGE_SETTING.findall(text))
    nextgroup = _NEXTGROUP.search(text)
    proxy = settings.get("proxyUrl") or _HANWEB_PROXY
    if nextgroup:
        link = nextgroup.group(1).replace("&amp;", "&")
        proxy = urlsplit(link).path or proxy
        settings.update((k, v) for k, v in parse_qsl(urlsplit(link).query) if v)
    column = re.search(r"/col/col(\d+)/", url)
    settings.setdefault("columnid", column.group(1) if column else "")
    if not settings["columnid"] or not shown:
        return []
    form = tuple((key, _unquoted(settings.get(key) or _HANWEB_FIXED.get(key, ""))) for key in _HANWEB_FORM)
    per_page = int(settings["perPage"]) if settings.get("perPage", "").isdigit() else shown
    group = shown  # the page embeds one group; dataproxy.jsp serves the others, group by group
    end = min(total, group * (max_pages + 1)) if total else 2 * group
    return [_hanweb_request(urljoin(url, proxy), start, start + group - 1, per_page, form, total)
            for start in range(group + 1, end + 1, group)]


def _next_group(request: PageRequest, received: int, total: int | None, max_pages: int) -> list[PageRequest]:
    """After a full group of records, the next one, unless the column's declared total is reached."""
    query = dict(parse_qsl(urlsplit(request.url).query))
    try:
        start, end, per_page = int(query["startrecord"]), int(query["endrecord"]), int(query.get("perpage") or 0)
    except (KeyError, ValueError):
        return []
    group = end - start + 1
    if received < group or (total is not None and end >= total) or end >= group * (max_pages + 1):
        return []
    base = request.url.split("?", 1)[0]
    return [_hanweb_request(base, end + 1, end + group, per_page or group, request.form, total)]


def _hanweb_request(proxy: str, start: int, end: int, per_page: int, form: tuple[tuple[str, str], ...],
                    total: int | None) -> PageRequest:
    query = urlencode({"startrecord": start, "endrecord": end, "perpage": per_page})
    return PageRequest(f"{proxy}?{query}", "POST", form, "hanweb", total)


def _unquoted(value: str) -> str:
    """Hanweb writes `webname` percent-encoded twice in the nextgroup link."""
    for _ in range(3):
        decoded = unquote(value)
        if decoded == value:
            break
        value = decoded
    return value


# ---------------------------------------------------------------- Fujian's unified platform

def _detects_fujian(text: str, url: str) -> bool:
    return _list_model(text) is not None


def _list_model(text: str) -> str | None:
    """The body of the first `listModel({...});` call, looked for in a bounded window after
    each of the first few mentions (a page mentioning it endlessly costs no more)."""
    at = text.find("listModel(")
    for _ in range(5):
        if at < 0:
            return None
        match = _LIST_MODEL.match(text, at, at + _LIST_MODEL_CHARS)
        if match:
            return match.group(1)
        at = text.find("listModel(", at + 1)
    return None


def _read_fujian(text: str, request: PageRequest, max_pages: int) -> Page:
    if request.method == "POST":
        return _read_fujian_answer(text, request, max_pages)
    page = _read_static(text, request, max_pages)
    model = _list_model(text) or ""
    channel = _js_value(model, "channelid")
    if channel and not channel.isdigit():  # SiteInfo.searchId: the site's document search channel
        channel = _js_value(text, channel.rsplit(".", 1)[-1])
    per_page = int(_js_value(model, "prepage") or 0) or len(page.items) or 10
    records = _js_value(model, "recordCount")
    page.declared_total = int(records) if records and records.isdigit() else None
    first_api = int(_js_value(model, "maxStaticIndex") or 1) + 1
    if not channel or page.declared_total is None:
        return page
    page.declared_pages = math.ceil(page.declared_total / per_page)
    fields = {"channelid": channel, "sortfield": _js_value(model, "sortfield") or "",
              "classsql": _js_value(model, "classsql") or "", "prepage": str(per_page)}
    api = urljoin(request.url, _FUJIAN_API)
    page.next = [_fujian_request(api, fields, n) for n in range(first_api, min(page.declared_pages, max_pages) + 1)]
    return page


def _read_fujian_answer(text: str, request: PageRequest, max_pages: int) -> Page:
    answer = _json(text)
    rows = answer.get("data") or answer.get("docs") or []
    items = [Item((str(row.get("doctitle") or row.get("title") or ""),), urljoin(request.url, str(url)))
             for row in rows[:_MAX_ITEMS] if isinstance(row, dict)
             and (url := row.get("chnldocurl") or row.get("docpuburl") or row.get("url"))]
    page = Page(items)
    count = answer.get("pageCount") or answer.get("pagecount")
    if isinstance(count, int) and count > 0:
        form = dict(request.form)
        page.declared_pages = count
        page.next = [_fujian_request(request.url, form, n) for n in range(2, min(count, max_pages) + 1)]
    return page


def _fujian_request(api: str, fields: dict[str, str], number: int) -> PageRequest:
    return PageRequest(api, "POST", tuple({**fields, "page": str(number)}.items()), "fujian")


def _js_value(script: str, key: str) -> str | None:
    """The value of `key: value` in a script object: the last non-empty string of an
    expression such as `"" || "chnlid=1813"`, else a bare number or name."""
    match = re.search(rf"\b{re.escape(key)}\s*:\s*((?:\"[^\"]*\"|'[^']*'|[^,\n}}'\"])+)", script)
    if not match:
        return None
    expression = match.group(1).strip()
    strings = [double or single for double, single in re.findall(r"\"([^\"]*)\"|'([^']*)'", expression)
               if double or single]
    return strings[-1] if strings else expression.strip("\"' ") or None


# ---------------------------------------------------------------- Guangdong's gkmlpt

def _detects_gkmlpt(text: str, url: str) -> bool:
    return "/gkmlpt/" in urlsplit(url).path and (_GKMLPT_SID.search(text) is not None or '"articles"' in text)


def _read_gkmlpt(text: str, request: PageRequest, max_pages: int) -> Page:
    if request.reads == "gkmlpt" or "/gkmlpt/api/" in request.url:
        return _read_gkmlpt_answer(text, request, max_pages)
    sid, category = _GKMLPT_SID.search(text), urlsplit(request.url).fragment
    if not sid or not category.isdigit():
        return Page()
    api = _gkmlpt_api(request.url, category, sid.group(1))
    return Page(next=[PageRequest(api, reads="gkmlpt")])


def _read_gkmlpt_answer(text: str, request: PageRequest, max_pages: int) -> Page:
    answer = _json(text)
    articles = [a for a in (answer.get("articles") or [])[:_MAX_ITEMS] if isinstance(a, dict) and a.get("url")]
    items = [Item((str(a.get("title") or ""),), urljoin(request.url, str(a["url"]))) for a in articles]
    total = answer.get("total") if isinstance(answer.get("total"), int) else None
    page = Page(items, declared_total=total)
    query = dict(parse_qsl(urlsplit(request.url).query))
    if total and articles and query.get("page") == "1":
        page.declared_pages = math.ceil(total / len(articles))
        page.next = [PageRequest(re.sub(r"([?&]page=)1\b", rf"\g<1>{n}", request.url), reads="gkmlpt")
                     for n in range(2, min(page.declared_pages, max_pages) + 1)]
    return page


def _gkmlpt_api(url: str, category: str, sid: str) -> str:
    prefix = urlsplit(url).path.split("/gkmlpt/", 1)[0]
    return urljoin(url, f"{prefix}/gkmlpt/api/all/{category}?page=1&sid={sid}")


def _json(text: str) -> dict:
    try:
        answer = json.loads(text)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


FAMILIES: tuple[Family, ...] = (
    Family("gkmlpt", _detects_gkmlpt, _read_gkmlpt),
    Family("hanweb", _detects_hanweb, _read_hanweb),
    Family("fujian", _detects_fujian, _read_fujian),
    Family("trs", _detects_trs, _read_trs),
    Family("static", lambda text, url: True, _read_static),
)
_BY_NAME = {family.name: family for family in FAMILIES}
