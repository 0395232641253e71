"""The markup of the CMS families government portals run on, as their real pages write
it (../shared/real/portals/ holds transcriptions): list items, pagers, embedded data and
list-API answers, for the demo portal and for tests. Items are (title, href, date)."""

from __future__ import annotations

import json
from html import escape
from urllib.parse import quote

Item = tuple[str, str, str]
HANWEB_PROXY = "/module/web/jpage/dataproxy.jsp"
FUJIAN_API = "/fjdzapp/search"


def short(title: str, width: int = 18) -> str:
    """List pages truncate long titles; the full one is in the `title` attribute."""
    return title if len(title) <= width else title[:width - 1] + "…"


def list_items(items: list[Item]) -> str:
    return "\n".join(f'<li><a href="{escape(href)}" title="{escape(title)}" target="_blank">{escape(short(title))}'
                     f'</a><span class="date">{date}</span></li>' for title, href, date in items)


# ---------------------------------------------------------------- TRS WCM pagers

def trs_pager(variant: str, count: int, current: int, name: str = "index", ext: str = "html",
              total: int | None = None) -> str:
    """The pager script of a TRS list page, in one of the forms TRS templates write:
    `createPageHTML` with 4 arguments, with 6 (a div id first, the record count last),
    `var countPage` with a `document.write` pager, or `Pager({size, current, prefix, suffix})`."""
    if variant == "createPageHTML":
        return f'<div class="page"><script>createPageHTML({count}, {current}, "{name}", "{ext}");</script></div>'
    if variant == "createPageHTML6":
        return (f"<div class=\"page\" id=\"page_div\"></div><script>createPageHTML('page_div', {count}, {current}, "
                f"'{name}', '{ext}', {total});</script>")
    if variant == "countPage":
        return ("<div class=\"page\"><script>\nvar currentPage = " + str(current) + ";\nvar countPage = " + str(count)
                + ";\ndocument.write(\"共\" + countPage + \"页 \");\nif (currentPage + 1 < countPage) {\n"
                f"  document.write(\"<a href=\\\"{name}_\" + (currentPage + 1) + \".{ext}\\\">下一页</a>\");\n}}\n"
                "</script></div>")
    if variant == "Pager":
        return (f'<div class="page" id="page"></div><script>$("#page").Pager({{size: {count}, current: {current}, '
                f"prefix: '{name}', suffix: '{ext}'}});</script>")
    raise ValueError(f"unknown TRS pager {variant!r}")


# ---------------------------------------------------------------- static pagers that print the column's size

def static_pager(variant: str, current: int, count: int, total: int, name: str = "index", ext: str = "html") -> str:
    """The pager of a static list page (`name.ext`, then `name_2.ext`…, numbered from 1)
    printing the column's size as the CMSs do: EmpireCMS's `Total record` link and
    numbered links (`empire`), `共N条 共N页` with 下一页 (`count`), `记录数：N 页次：i/N`
    (`records`). On the last page the links lead back to the pages before it."""
    def href(number: int) -> str:
        return f"{name}{f'_{number}' if number > 1 else ''}.{ext}"
    numbered = "&nbsp;".join(f"<b>{n}</b>" if n == current else f'<a href="{href(n)}">{n}</a>'
                             for n in range(1, count + 1))
    following = f'<a href="{href(current + 1)}">下一页</a>' if current < count else ""
    back = f'<a href="{href(1)}">首页</a> <a href="{href(max(1, current - 1))}">上一页</a>' if current > 1 else ""
    if variant == "empire":
        return (f'<div class="pages"><a title="Total record">&nbsp;<b>{total}</b> </a>&nbsp;&nbsp;'
                f'{back}&nbsp;{numbered}'
                f"&nbsp;{following}</div>")
    if variant == "count":
        return f'<div class="pager">共<span>{total}</span>条&nbsp;共{count}页&nbsp;{back} {following}</div>'
    if variant == "records":
        return (f'<div class="pager">记录数：{total}&nbsp;页次：{current}/{count}&nbsp;'
                f'{back} {numbered} {following}</div>')
    raise ValueError(f"unknown static pager {variant!r}")


# ---------------------------------------------------------------- Hanweb jpage

def hanweb_record(title: str, href: str, date: str) -> str:
    return (f'<record><![CDATA[\n<li class="clearfix">    <a target="_blank" href="{escape(href)}" '
            f'title="{escape(title)}">{escape(short(title, 33))}</a>    <b>{date}</b></li>]]></record>')


def hanweb_datastore(items: list[Item], column: int, unit: int, web: int, webname: str) -> str:
    """The `<datastore>` a Hanweb column embeds (and dataproxy.jsp answers): a `<nextgroup>`
    link carrying the column's settings (webname percent-encoded twice), then the records."""
    nextgroup = (f"{HANWEB_PROXY}?page=1&appid=1&webid={web}&path=/&columnid={column}&unitid={unit}"
                 f"&webname={quote(quote(webname))}&permissiontype=0")
    records = "\n".join(hanweb_record(*item) for item in items)
    return (f'<datastore>\n<nextgroup><![CDATA[<a href="{nextgroup}"></a>]]></nextgroup>\n'
            f"<recordset>\n{records}\n</recordset>\n</datastore>")


def hanweb_column(items: list[Item], column: int, unit: int, web: int, webname: str, per_page: int,
                  total: int | None) -> str:
    """A Hanweb column page's list block: the first group of records in a
    `<script type="text/xml">`, then the `jpage({...})` call that pages them (declaring the
    record count where the template writes `totalRecord`)."""
    declared = f"totalRecord: {total}, " if total is not None else ""
    return (f'<div id="{unit}"><script type="text/xml">\n{hanweb_datastore(items, column, unit, web, webname)}\n'
            f"</script></div>\n<script type=\"text/javascript\">\n$(document).ready(function () {{\n"
            f"  $('#{unit}').jpage({{ dataStore: $('#{unit} script[type=\"text/xml\"]'), perPage: {per_page}, "
            f"{declared}groupSize: 2, proxyUrl: '{HANWEB_PROXY}', barPosition: 'bottom', showMode: 'full' }});\n"
            "});\n</script>")


def hanweb_answer(items: list[Item], column: int, unit: int, web: int, webname: str) -> bytes:
    """dataproxy.jsp's answer to a POST for a range of records."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + hanweb_datastore(items, column, unit, web, webname)).encode()


# ---------------------------------------------------------------- Fujian's unified platform

def fujian_list(items: list[Item], channel: int, search_id: int, record_count: int, per_page: int) -> str:
    """Page 1 of a Fujian column: the static `<dl>` rows, the avalon template the list API
    fills for further pages, the page bar, and the `listModel({...})` configuration."""
    rows = "\n".join(f'<dl><dd class="trt-col-sm-24 text_align_left"><a href="{escape(href)}" target="_blank" '
                     f'title="{escape(title)}">{escape(title)}</a></dd><dd class="trt-col-4">{date}</dd></dl>'
                     for title, href, date in items)
    return (f'<div class="tabs info_tabs" ms-controller="list"><div class="rules_tabs_01" ms-visible="showStatic">\n'
            f"{rows}\n</div>\n"
            '<div class="rules_tabs_01" ms-visible="!showStatic" style="display: none">'
            '<dl ms-if="list.length>0" ms-repeat="list"><dd>'
            '<a ms-attr-href="el.chnldocurl" ms-attr-title="el.doctitle" '
            'ms-text="el.doctitle|html" target="_blank"></a></dd>'
            "<dd ms-text=\"el.docreltime|date('yyyy-MM-dd')\"></dd></dl></div>\n"
            '<div class="page_base" ms-controller="list_pagebar" ms-include-src="pgTemp" ms-if="pageCount>0">'
            '</div></div>\n'
            f"<script>\nvar SiteInfo = {{\n    searchId: {search_id}, //默认的文档检索频道的ID\n"
            '    defaultPgTemp: "pgBar_pt.html",\n};\n</script>\n'
            '<script>\n    require(["list2.trsapi", "tools"], function(listModel, tools) {\n        listModel({\n'
            '            quickMode: "动静结合",\n            maxStaticIndex: 1,\n            listArgs: {\n'
            f'                channelid: SiteInfo.searchId,\n                classsql: "" || "chnlid={channel}",\n'
            '                sortfield: "-docorderpri,-docreltime"\n            },\n            pagebar: {\n'
            f"                prepage: {per_page},\n                recordCount: '{record_count}',\n"
            '                pgTemp: "pgBar_xxgk.html",\n                pgCountMode: "recordCount",\n'
            "                displayNum: 2\n            }\n        });\n    });\n</script>")


def fujian_answer(items: list[Item], page_count: int, total: int) -> bytes:
    """The list API's answer for one page."""
    return json.dumps({"data": [{"doctitle": title, "chnldocurl": href, "docreltime": date}
                                for title, href, date in items],
                       "pageCount": page_count, "total": total}, ensure_ascii=False).encode()


def fujian_detail(title: str, text: str, pdf_href: str) -> str:
    """A Fujian detail page: the report as page text, and its full-fidelity PDF (全真版)
    bound by an avalon attribute rather than an href."""
    return (f"<h1>{escape(title)}</h1><div class=\"TRS_Editor\"><p>{escape(text)}</p></div>"
            f"<div class=\"article_attachment\"><a ms-attr-href=\"'{escape(pdf_href)}'\" target=\"_blank\">"
            f"全真版</a></div>")


# ---------------------------------------------------------------- Guangdong's gkmlpt

def gkmlpt_shell(sid: int) -> str:
    """The script shell a gkmlpt column page is: the site's SID; items come from the API."""
    return (f"<div id=\"app\"></div>\n<script>window._CONFIG = {{ SID: '{sid}', TYPE: 'annualreport' }};</script>\n"
            '<script src="/gkmlpt/static/js/manifest.js"></script><script src="/gkmlpt/static/js/app.js"></script>')


def gkmlpt_api(category: int, sid: int, page: int) -> str:
    return f"/gkmlpt/api/all/{category}?page={page}&sid={sid}"


def gkmlpt_answer(items: list[Item], total: int) -> bytes:
    return json.dumps({"total": total,
                       "articles": [{"id": n, "title": title, "url": href, "publisher": "", "date": date}
                                    for n, (title, href, date) in enumerate(items)]},
                      ensure_ascii=False).encode()
